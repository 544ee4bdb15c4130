/**
 * The {@code x509-svid} {@link dev.warden.broker.issue.Issuer}: a lease's CSR signed by Warden's
 * certificate authority and recorded, so that leases, revocation and reconciliation cover
 * X.509-SVIDs as they cover logins.
 */
package dev.warden.broker.issue.svid;
