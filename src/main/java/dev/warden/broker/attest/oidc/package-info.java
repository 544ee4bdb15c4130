/**
 * The {@code oidc} {@link dev.warden.broker.attest.Attestor}: JWTs of an OIDC issuer — Kubernetes
 * projected service-account tokens, GitHub Actions and GitLab CI OIDC tokens, or any other issuer —
 * verified against the configured JWKS only, with a per-platform profile that turns the claims into
 * a workload id and attributes.
 */
package dev.warden.broker.attest.oidc;
