/**
 * Warden's certificate authority for X.509-SVIDs: its {@code broker.ca} configuration ({@link
 * dev.warden.broker.ca.CaConfig}), the CA itself with sealed keys, overlapping rotation and
 * store-locked sharing between servers ({@link dev.warden.broker.ca.CertificateAuthority}), CSRs
 * read as hostile input ({@link dev.warden.broker.ca.Csr}), PEM in and out, and the SPIFFE trust
 * bundle. Implements no seam; the {@code x509-svid} issuer and the broker use it.
 */
package dev.warden.broker.ca;
