/**
 * The {@code postgresql} {@link dev.warden.broker.issue.Issuer}: dynamic PostgreSQL logins, one
 * issuer per {@code broker.postgresql} database, created by the role's templated statements with a
 * fresh password and {@code VALID UNTIL} the lease's expiry, and dropped on revocation; it also
 * rotates the database's static roles ({@link dev.warden.broker.issue.Issuer.Rotating}).
 */
package dev.warden.broker.issue.postgresql;
