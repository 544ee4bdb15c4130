/**
 * The Kubernetes connector: service accounts, legacy token secrets (never their data), RBAC
 * resolved into entitlements, and the workloads that run as each account, from manifests,
 * {@code kubectl get -o json|yaml} lists and directories. Implements {@link
 * dev.warden.discovery.Connector}.
 */
package dev.warden.discovery.kubernetes;
