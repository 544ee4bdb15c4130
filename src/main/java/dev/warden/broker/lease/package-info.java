/**
 * Leases: every credential an {@link dev.warden.broker.issue.Issuer} creates is recorded as a
 * pending lease before it exists, active after, renewed within its max TTL and revoked at expiry or
 * on demand, even across restarts. {@link dev.warden.broker.lease.Leases} is the service (issue,
 * renew, revoke, revoke by prefix); inside the package the reaper revokes due leases with retries
 * and backoff until they end or become irrevocable, the reconciler repairs at start what a crash
 * left, the lease's inventory credential follows its state, and {@link
 * dev.warden.broker.lease.LeaseStore} is their SQL. Uses the {@code Issuer} seam through its
 * registry; offers none.
 */
package dev.warden.broker.lease;
