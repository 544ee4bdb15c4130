/**
 * The just-in-time credential broker: a workload proves who it is and receives a short-lived
 * credential decided by policy at request time. {@link dev.warden.broker.Broker} is the server's
 * view of it (OAuth 2.0 Token Exchange in {@link dev.warden.broker.TokenExchange}, introspection and
 * revocation, the JWKS, the discovery document and the SPIFFE bundle); {@link
 * dev.warden.broker.X509Svids} issues X.509-SVIDs and {@link dev.warden.broker.CredentialRequests}
 * decides requests for leased credentials (an operator's API token, or a workload's own proof with
 * the policy's TTL). Every decision is recorded — audited, subject-token replay refused — before it
 * is answered. The package offers no seam of its own: it uses the broker's two seams, {@code
 * Attestor} ({@code broker.attest}) and {@code Issuer} ({@code broker.issue}), through their
 * registries.
 */
package dev.warden.broker;
