package dev.warden.broker.issue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.warden.broker.lease.Lease;
import dev.warden.broker.lease.LeaseState;
import dev.warden.store.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Issuer} keeps (see its javadoc), run against the real external system:
 * a handle planned from the lease id with Warden's prefix; issue creates one usable credential even
 * when repeated for the same lease; revoke takes it away and succeeds when it is gone or never
 * existed; managed lists what carries the prefix and dropOrphan removes it; no secret leaks into
 * toString, attributes or errors. Each implementation's test extends this.
 */
public abstract class IssuerContract {
    /** The issuer under test, against a real external system. */
    protected abstract Issuer issuer();

    /** A request the issuer accepts. */
    protected abstract IssueRequest request();

    /** True when the external system still holds the credential named {@code handle}. */
    protected abstract boolean exists(String handle);

    /** Proves the credential works (a login, a TLS handshake); fails the test otherwise. */
    protected abstract void assertUsable(Issued issued) throws Exception;

    @AfterEach
    void closeIssuer() {
        issuer().close();
    }

    protected Lease pending(IssueRequest req) throws IssueException {
        String id = Ids.next();
        Instant now = Instant.now();
        Duration ttl = req.ttl() != null
                ? req.ttl()
                : issuer().terms(req.role()).orElseThrow().defaultTtl();
        return new Lease(
                id,
                issuer().kind(),
                issuer().name(),
                req.role(),
                "contract-test",
                null,
                null,
                issuer().handle(id, req),
                LeaseState.PENDING,
                null,
                now,
                now,
                now.plus(ttl),
                now.plus(issuer().terms(req.role()).orElseThrow().maxTtl()),
                0,
                0,
                null,
                null,
                "test",
                null,
                Map.of());
    }

    @Test
    void the_handle_is_planned_from_the_lease_id_and_carries_the_prefix() throws Exception {
        String id = Ids.next();
        String h = issuer().handle(id, request());
        assertThat(h).startsWith(issuer().prefix()).hasSizeLessThanOrEqualTo(63);
        assertThat(issuer().handle(id, request())).isEqualTo(h);
        assertThat(issuer().handle(Ids.next(), request())).isNotEqualTo(h);
        assertThat(issuer().prefix()).isNotEmpty();
        assertThat(Issuers.KINDS).contains(issuer().kind());
    }

    @Test
    void issue_creates_a_usable_credential_and_revoke_takes_it_away() throws Exception {
        Lease l = pending(request());
        assertThat(exists(l.handle())).isFalse();
        Issued issued = issuer().issue(l, request());
        assertThat(exists(l.handle())).isTrue();
        assertUsable(issued);
        issuer().revoke(l);
        assertThat(exists(l.handle())).isFalse();
    }

    @Test
    void issuing_twice_for_one_lease_leaves_one_credential() throws Exception {
        Lease l = pending(request());
        issuer().issue(l, request());
        Issued second = issuer().issue(l, request());
        assertUsable(second);
        assertThat(issuer().managed().stream().filter(l.handle()::equals)).hasSize(1);
        issuer().revoke(l);
        assertThat(exists(l.handle())).isFalse();
    }

    @Test
    void revoking_what_is_gone_or_never_existed_succeeds() throws Exception {
        Lease never = pending(request());
        assertThatCode(() -> issuer().revoke(never)).doesNotThrowAnyException();
        Lease l = pending(request());
        issuer().issue(l, request());
        issuer().revoke(l);
        assertThatCode(() -> issuer().revoke(l)).doesNotThrowAnyException();
    }

    @Test
    void managed_lists_prefixed_objects_and_drop_orphan_removes_them() throws Exception {
        Lease l = pending(request());
        issuer().issue(l, request());
        assertThat(issuer().managed()).contains(l.handle()).allMatch(h -> h.startsWith(issuer().prefix()));
        issuer().dropOrphan(l.handle());
        assertThat(exists(l.handle())).isFalse();
        assertThat(issuer().managed()).doesNotContain(l.handle());
    }

    @Test
    void no_secret_material_appears_outside_the_material_map() throws Exception {
        Lease l = pending(request());
        Issued issued = issuer().issue(l, request());
        try {
            if (issued.secretField() != null) {
                String secret = issued.material().get(issued.secretField());
                assertThat(issued.toString()).doesNotContain(secret);
                assertThat(issued.attributes().values()).noneMatch(v -> v.contains(secret));
                assertThat(issued.externalId() == null ? "" : issued.externalId())
                        .doesNotContain(secret);
            }
        } finally {
            issuer().revoke(l);
        }
    }
}
