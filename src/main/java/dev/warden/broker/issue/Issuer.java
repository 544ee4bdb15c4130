package dev.warden.broker.issue;

import dev.warden.broker.lease.Lease;
import dev.warden.inventory.CredentialKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Turns a lease into a credential outside Warden, and takes it back. The broker's second plugin
 * seam (after {@code Attestor}): one implementation per kind of credential ({@code postgresql}
 * dynamic logins, {@code x509-svid} certificates), each built from its {@code warden.yaml} section,
 * listed in {@link Issuers}, and each run through the shared contract test ({@code IssuerContract}).
 *
 * <p>Contract. {@code dev.warden.broker.lease.Leases} calls {@link #handle} first and records a
 * {@code pending} lease carrying that handle <em>before</em> {@link #issue} creates anything, so a
 * crash at any point leaves nothing Warden cannot find again: the handle is a pure function of the
 * lease id (and request), carries {@link #prefix()} when the external system can be listed, and is
 * at most 63 characters. {@link #issue} is idempotent with respect to the lease id: calling it again
 * for the same pending lease leaves exactly one credential (the last one). {@link #revoke} is
 * idempotent too: revoking what is already gone (or was never created) succeeds. {@link #managed}
 * lists the handles of every external object carrying Warden's prefix, so that reconciliation can
 * drop those with no live lease ({@link #dropOrphan}). Every method reads time only from the
 * lease and the injected clock, never logs or returns secret material except in {@link
 * Issued#material()} (which Warden hands to the caller once and never stores), throws {@link
 * IssueException} with a lower-case reason safe to show an operator (never a password or a
 * connection string with one), and is safe to call from many threads at once.
 */
public interface Issuer extends AutoCloseable {
    /** The configured name, unique among issuers; recorded on every lease. */
    String name();

    /** The kind: {@code postgresql}, {@code x509-svid}, ... */
    String kind();

    /** What the credential is in the inventory (password, certificate, ...). */
    CredentialKind credentialKind();

    /** Default and maximum TTL of {@code role} (null: the issuer's only role); empty when unknown. */
    Optional<Terms> terms(String role);

    /** The prefix every handle of this issuer carries (e.g. {@code w_}); never empty. */
    String prefix();

    /** The external handle the credential of lease {@code leaseId} will have; a pure function. */
    String handle(String leaseId, IssueRequest request) throws IssueException;

    /** Creates the credential of {@code pending} (state pending, handle planned). */
    Issued issue(Lease pending, IssueRequest request) throws IssueException;

    /** Extends the credential of an active lease until {@code expiresAt}. */
    void renew(Lease lease, Instant expiresAt) throws IssueException;

    /** Takes the credential of {@code lease} away for good; succeeds when it is already gone. */
    void revoke(Lease lease) throws IssueException;

    /** Handles of every external object carrying {@link #prefix()}, leased or not. */
    List<String> managed() throws IssueException;

    /** Removes an external object found by {@link #managed} that no live lease accounts for. */
    void dropOrphan(String handle) throws IssueException;

    @Override
    default void close() {}

    /** The TTL bounds of a role: a lease lives {@code defaultTtl} unless asked, never beyond {@code maxTtl}. */
    record Terms(Duration defaultTtl, Duration maxTtl) {
        public Terms {
            if (defaultTtl.isNegative() || defaultTtl.isZero() || maxTtl.compareTo(defaultTtl) < 0) {
                throw new IllegalArgumentException("need 0 < defaultTtl <= maxTtl");
            }
        }
    }

    /**
     * An issuer that also keeps standing accounts it does not lease (PostgreSQL static roles) and
     * rotates their secret on a schedule ({@link StaticRoles}). {@link #rotate} sets a fresh random
     * secret and forgets it: it is never returned, stored or logged, so no standing secret of the
     * account is known to anyone.
     */
    interface Rotating extends Issuer {
        /** The standing accounts of this issuer and how often each is rotated; may be empty. */
        List<StaticRole> staticRoles();

        /** Sets a fresh random secret on standing account {@code username} and forgets it. */
        void rotate(String username) throws IssueException;
    }

    /** A standing account whose secret is rotated every {@code rotation} (and not kept). */
    record StaticRole(String name, String username, Duration rotation) {}
}
