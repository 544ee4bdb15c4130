/**
 * The {@link dev.warden.broker.attest.Attestor} seam: a workload's {@link
 * dev.warden.broker.attest.Proof} (a JWT, or a TLS client certificate chain with its thumbprint)
 * becomes a verified {@link dev.warden.broker.attest.Attestation}. {@link
 * dev.warden.broker.attest.Attestors} is its registry: the built-in kinds ({@code oidc}, {@code
 * spiffe-jwt}, {@code x509}) and the configured attestors, routing each proof to the one that
 * handles it. Beside the seam are the parts implementations share: strict JWT parsing ({@link
 * dev.warden.broker.attest.JwtParts}), signature and claim rules ({@link
 * dev.warden.broker.attest.JwtRules}), verification key sets ({@link
 * dev.warden.broker.attest.KeySet}) and their fetching ({@link dev.warden.broker.attest.JwksSource}).
 * One implementation per kind lives in a sub-package; none imports another, and all run the shared
 * attestor contract test.
 */
package dev.warden.broker.attest;
