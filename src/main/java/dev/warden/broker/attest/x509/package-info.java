/**
 * The {@code x509} {@link dev.warden.broker.attest.Attestor}: mTLS client certificates that chain
 * (PKIX, at the injected clock's time) to the configured CAs, which it also offers to the TLS
 * listener; with a trust domain the leaf must be an X.509-SVID and its SPIFFE ID is the workload id.
 */
package dev.warden.broker.attest.x509;
