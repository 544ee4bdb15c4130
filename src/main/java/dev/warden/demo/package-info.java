/**
 * The demo estate behind {@code warden demo}: a fictional company written as the files its tools
 * export (AWS CLI output, Kubernetes manifests, GitHub checkouts, PEM certificates, CloudTrail
 * logs), deterministic for a given day, then loaded through the real connectors, parsers and
 * scanner. Nothing here is a shortcut: the demo exercises the same code a user runs.
 */
package dev.warden.demo;
