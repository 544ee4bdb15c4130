/**
 * The Kubernetes audit log parser: {@code audit.k8s.io/v1} events, one JSON object per line as the
 * API server's log backend writes them, for the cluster the ingestion names. Implements {@link
 * dev.warden.usage.UsageParser}; see docs/usage/k8s-audit.md.
 */
package dev.warden.usage.k8saudit;
