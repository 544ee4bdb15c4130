/**
 * The {@code spiffe-jwt} {@link dev.warden.broker.attest.Attestor}: SPIFFE JWT-SVIDs verified
 * against the trust domain's bundle file; the SPIFFE ID in {@code sub} is the workload id.
 */
package dev.warden.broker.attest.spiffejwt;
