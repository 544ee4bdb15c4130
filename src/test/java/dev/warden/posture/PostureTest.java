package dev.warden.posture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.audit.AuditEntry;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.Nature;
import dev.warden.inventory.Source;
import dev.warden.posture.checks.BuiltInChecks;
import dev.warden.store.Dialect;
import dev.warden.testing.TestStores;
import dev.warden.usage.UsageEvent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The evaluation engine on the real stores: reconciliation, exceptions, as-of, listing. */
class PostureTest {
    private static final String NO_OWNER = "nhi1-no-owner";
    private static final String ORPHAN = "arn:aws:iam::111122223333:role/orphan";

    @TempDir
    Path dir;

    private static IdentityRecord orphan(boolean owned) {
        return Build.awsRole("orphan").owners(owned ? "team-a" : null, null).build();
    }

    private static Finding one(List<Finding> findings, String check) {
        List<Finding> f =
                findings.stream().filter(x -> x.checkId().equals(check)).toList();
        assertThat(f).as("findings of %s in %s", check, findings).hasSize(1);
        return f.get(0);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void new_findings_open_present_ones_update_fixed_ones_resolve_and_returning_ones_reopen(Dialect dialect) {
        try (PostureHarness h = new PostureHarness(dir, dialect)) {
            h.load(orphan(false), Build.awsRole("owned").build());
            Evaluation first = h.evaluate();
            assertThat(first.persisted()).isTrue();
            assertThat(first.newFindings()).isEqualTo(first.open()).isPositive();
            Finding f = one(h.stored(), NO_OWNER);
            assertThat(f.status()).isEqualTo(FindingStatus.OPEN);
            assertThat(f.firstSeen()).isEqualTo(PostureHarness.NOW);
            assertThat(f.identity().externalId()).isEqualTo(ORPHAN);

            h.clock.advance(Duration.ofDays(1));
            Evaluation second = h.evaluate();
            assertThat(second.newFindings()).isZero();
            assertThat(second.resolved()).isZero();
            Finding still = one(h.stored(), NO_OWNER);
            assertThat(still.id()).isEqualTo(f.id());
            assertThat(still.firstSeen()).isEqualTo(PostureHarness.NOW);
            assertThat(still.lastSeen()).isEqualTo(PostureHarness.NOW.plus(Duration.ofDays(1)));

            h.clock.advance(Duration.ofDays(1));
            h.load(orphan(true));
            Evaluation third = h.evaluate();
            assertThat(third.resolved()).isEqualTo(1);
            Finding fixed = one(h.stored(), NO_OWNER);
            assertThat(fixed.status()).isEqualTo(FindingStatus.RESOLVED);
            assertThat(fixed.resolvedAt()).isEqualTo(PostureHarness.NOW.plus(Duration.ofDays(2)));
            assertThat(fixed.lastSeen()).isEqualTo(PostureHarness.NOW.plus(Duration.ofDays(1)));
            assertThat(h.posture.list(FindingFilter.CURRENT, null, 100).items()).noneMatch(x -> x.id().equals(f.id()));

            h.clock.advance(Duration.ofDays(1));
            h.load(orphan(false));
            Evaluation fourth = h.evaluate();
            assertThat(fourth.reopened()).isEqualTo(1);
            assertThat(fourth.newFindings()).isZero();
            Finding back = one(h.stored(), NO_OWNER);
            assertThat(back.id()).isEqualTo(f.id());
            assertThat(back.status()).isEqualTo(FindingStatus.OPEN);
            assertThat(back.resolvedAt()).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void an_accepted_finding_stays_accepted_while_its_exception_holds_and_reopens_after(Dialect dialect) {
        try (PostureHarness h = new PostureHarness(dir, dialect)) {
            h.load(orphan(false));
            h.evaluate();
            Finding f = one(h.stored(), NO_OWNER);
            Finding accepted = h.posture.accept(f.id(), "vendor role, owner being found", "2026-12-01", "alice", null);
            assertThat(accepted.status()).isEqualTo(FindingStatus.ACCEPTED);
            assertThat(accepted.acceptance().approvedBy()).isEqualTo("alice");
            assertThat(accepted.acceptance().until()).isEqualTo(Instant.parse("2026-12-02T00:00:00Z"));

            h.clock.advance(Duration.ofDays(3));
            Evaluation e = h.evaluate();
            assertThat(e.accepted()).isEqualTo(1);
            assertThat(e.open()).isZero();
            assertThat(one(h.stored(), NO_OWNER).status()).isEqualTo(FindingStatus.ACCEPTED);

            h.clock.advance(Duration.ofDays(10));
            assertThat(one(h.stored(), NO_OWNER).status())
                    .as("an expired exception reads as open even before the next evaluation")
                    .isEqualTo(FindingStatus.OPEN);
            Evaluation after = h.evaluate();
            assertThat(after.reopened()).isEqualTo(1);
            assertThat(after.open()).isEqualTo(1);
            assertThat(one(h.stored(), NO_OWNER).acceptance().reason()).isEqualTo("vendor role, owner being found");

            List<AuditEntry> audit = h.warden.audit().list(0, 100);
            AuditEntry accept = audit.stream()
                    .filter(a -> a.action().equals("finding.accept"))
                    .findFirst()
                    .orElseThrow();
            assertThat(accept.actor()).isEqualTo("alice");
            assertThat(accept.targetId()).isEqualTo(f.id());
            assertThat(accept.details())
                    .containsEntry("reason", "vendor role, owner being found")
                    .containsEntry("until", "2026-12-02T00:00:00Z")
                    .containsEntry("check", NO_OWNER)
                    .containsEntry("previousStatus", "open");
            assertThat(audit.stream().filter(a -> a.action().equals("posture.evaluate")))
                    .hasSize(3)
                    .allSatisfy(a -> assertThat(a.details()).containsKeys("open", "new", "resolved", "reopened"));
            assertThat(h.warden.audit().verify().intact()).isTrue();
        }
    }

    @Test
    void accepting_refuses_bad_input_and_writes_nothing() {
        try (PostureHarness h = new PostureHarness(dir)) {
            h.load(orphan(false), Build.awsRole("fixed").owners(null, null).build());
            h.evaluate();
            Finding f = one(
                    h.stored().stream()
                            .filter(x -> x.identity().externalId().equals(ORPHAN))
                            .toList(),
                    NO_OWNER);
            long auditBefore = h.warden.audit().list(0, 1000).size();
            String unknown = f.identity().id() + "-0123456789abcdef";
            record Bad(String id, String reason, String until, String message) {}
            List<Bad> bad = List.of(
                    new Bad(f.id(), null, "2026-12-01", "a reason is required"),
                    new Bad(f.id(), "  ", "2026-12-01", "a reason is required"),
                    new Bad(f.id(), "ok", null, "an expiry is required"),
                    new Bad(f.id(), "ok", "2026-11-01", "is in the past"),
                    new Bad(f.id(), "ok", "2027-06-01", "more than 180 days ahead"),
                    new Bad(f.id(), "ok", "next tuesday", "is not an ISO-8601 instant"),
                    new Bad(f.id(), "ok", "2026-13-45", "is not an ISO-8601 instant"),
                    new Bad(f.id(), "x".repeat(2001), "2026-12-01", "longer than 2000"),
                    new Bad(f.id(), "a\u0000b", "2026-12-01", "control character"),
                    new Bad(unknown, "ok", "2026-12-01", "no finding"),
                    new Bad("not-a-finding", "ok", "2026-12-01", "no finding"));
            for (Bad b : bad) {
                assertThatThrownBy(() -> h.posture.accept(b.id(), b.reason(), b.until(), "bob", null))
                        .as("%s", b)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(b.message());
            }
            assertThatThrownBy(() -> h.posture.accept(unknown, "ok", "2026-12-01", "bob", null))
                    .isInstanceOf(Posture.NoSuchFindingException.class);
            // the 180-day limit is inclusive of its last day; a team sees only its own findings
            assertThat(h.posture.accept(f.id(), "ok", "2027-05-21", "bob", null).status())
                    .isEqualTo(FindingStatus.ACCEPTED);
            assertThatThrownBy(() -> h.posture.accept(f.id(), "ok", "2026-12-01", "bob", "team-z"))
                    .isInstanceOf(Posture.NoSuchFindingException.class);
            h.load(Build.awsRole("fixed").build());
            h.evaluate();
            String resolved = h.stored().stream()
                    .filter(x -> x.status() == FindingStatus.RESOLVED)
                    .findFirst()
                    .orElseThrow()
                    .id();
            assertThatThrownBy(() -> h.posture.accept(resolved, "ok", "2026-12-01", "bob", null))
                    .hasMessageContaining("is resolved");
            assertThat(h.warden.audit().list(0, 1000).stream()
                            .filter(a -> a.action().equals("finding.accept")))
                    .hasSize(1);
            assertThat(h.warden.audit().list(0, 1000)).hasSize((int) auditBefore + 3);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void an_as_of_evaluation_writes_nothing_and_gives_the_same_answer_twice(Dialect dialect) throws Exception {
        try (PostureHarness h = new PostureHarness(dir, dialect)) {
            h.load(
                    Build.awsRole("old").owners(null, null).age(100).build(),
                    Build.awsRole("new").owners(null, null).age(5).build());
            h.evaluate();
            Finding old = h.stored().stream()
                    .filter(f ->
                            f.identity().name().equals("old") && f.checkId().equals(NO_OWNER))
                    .findFirst()
                    .orElseThrow();
            h.posture.accept(old.id(), "known", "2026-12-20", "alice", null);
            long rows = count(h, "findings");
            long evaluations = count(h, "posture_evaluations");
            long audit = count(h, "audit_log");

            Instant asOf = PostureHarness.NOW.minus(Duration.ofDays(20));
            List<Finding> a = h.viewAsOf(asOf);
            List<Finding> b = h.viewAsOf(asOf);
            assertThat(b).isEqualTo(a);
            assertThat(a).allSatisfy(f -> assertThat(f.identity().name()).isEqualTo("old"));
            assertThat(a).allSatisfy(f -> assertThat(f.lastSeen()).isEqualTo(asOf));
            assertThat(a.stream().filter(f -> f.checkId().equals(NO_OWNER)))
                    .singleElement()
                    .satisfies(f -> assertThat(f.status())
                            .as("the exception was accepted after the as-of instant")
                            .isEqualTo(FindingStatus.OPEN))
                    .satisfies(f -> assertThat(f.firstSeen())
                            .as("first seen after the as-of instant: shown as the instant")
                            .isEqualTo(asOf));
            assertThat(h.viewAsOf(PostureHarness.NOW).stream()
                            .filter(f -> f.checkId().equals(NO_OWNER)
                                    && f.identity().name().equals("new"))
                            .findFirst()
                            .orElseThrow()
                            .firstSeen())
                    .isEqualTo(PostureHarness.NOW);

            assertThat(count(h, "findings")).isEqualTo(rows);
            assertThat(count(h, "posture_evaluations")).isEqualTo(evaluations);
            assertThat(count(h, "audit_log")).isEqualTo(audit);

            h.clock.advance(Duration.ofHours(1));
            assertThat(h.view().stream()
                            .filter(f -> f.checkId().equals(NO_OWNER)
                                    && f.identity().name().equals("old"))
                            .findFirst()
                            .orElseThrow()
                            .status())
                    .isEqualTo(FindingStatus.ACCEPTED);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void usage_is_joined_by_source_scope_and_principal(Dialect dialect) {
        Build c1 = Build.serviceAccount("c1", "ns", "api");
        Build c2 = Build.serviceAccount("c2", "ns", "api");
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            events.add(c1.event(2, "get pods", "10.0.1." + i, "app/1", UsageEvent.API));
        }
        events.add(c2.event(2, "get pods", "10.0.2.1", "app/1", UsageEvent.API));
        try (PostureHarness h = new PostureHarness(dir, dialect)) {
            h.load(c1.build(), c2.build());
            h.usage(events);
            List<Finding> many = h.view().stream()
                    .filter(f -> f.checkId().equals("nhi9-many-sources"))
                    .toList();
            assertThat(many)
                    .singleElement()
                    .satisfies(f -> assertThat(f.identity().source().scope()).isEqualTo("c1"));
            Set<Source> scopes =
                    h.warden.db().withHandle(x -> h.warden.ingester().store().scopes(x));
            assertThat(scopes).containsExactly(Source.of("kubernetes", "c1"), Source.of("kubernetes", "c2"));
        }
    }

    @Test
    void people_and_removed_identities_lose_their_findings() {
        try (PostureHarness h = new PostureHarness(dir)) {
            h.load(orphan(false));
            h.evaluate();
            assertThat(one(h.stored(), NO_OWNER).status()).isEqualTo(FindingStatus.OPEN);
            h.warden.inventory().classify(ORPHAN, Nature.HUMAN, "it is Bob's break-glass role", "admin");
            Evaluation e = h.evaluate();
            assertThat(e.resolved()).isPositive();
            assertThat(h.stored()).allSatisfy(f -> assertThat(f.status()).isEqualTo(FindingStatus.RESOLVED));
        }
    }

    @Test
    void findings_of_an_identity_deleted_from_the_store_are_resolved() throws Exception {
        try (PostureHarness h = new PostureHarness(dir)) {
            String id = h.load(orphan(false)).get(0);
            h.evaluate();
            try (Connection c = TestStores.connect(h.warden.db().url());
                    Statement st = c.createStatement()) {
                st.execute("DELETE FROM identities WHERE id = '" + id + "'");
            }
            Evaluation e = h.evaluate();
            assertThat(e.resolved()).isPositive();
            assertThat(h.stored()).allSatisfy(f -> assertThat(f.status()).isEqualTo(FindingStatus.RESOLVED));
        }
    }

    @Test
    void evaluation_walks_many_pages_and_lists_most_severe_first_with_cursors() {
        try (PostureHarness h = new PostureHarness(dir)) {
            List<IdentityRecord> records = new ArrayList<>();
            for (int i = 0; i < 2_300; i++) {
                Build b = Build.awsRole("r" + i);
                if (i % 10 == 0) {
                    b.owners(null, null).env(i % 20 == 0 ? "prod" : "dev");
                }
                if (i % 100 == 0) {
                    b.allow("*", "*", "inline:admin");
                }
                records.add(b.build());
            }
            h.warden.inventory().load(records, "test", "inventory.load", Map.of());
            Evaluation e = h.evaluate();
            assertThat(e.identities()).isEqualTo(2_300);
            assertThat(e.evaluated()).isEqualTo(2_300);
            assertThat(e.counts().stream()
                            .filter(c -> c.check().equals(NO_OWNER))
                            .mapToLong(Evaluation.Count::count)
                            .sum())
                    .isEqualTo(230);
            assertThat(h.evaluate().newFindings()).isZero();

            List<Finding> all = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            String cursor = null;
            do {
                var page = h.posture.list(FindingFilter.CURRENT, cursor, 97);
                all.addAll(page.items());
                cursor = page.nextCursor();
            } while (cursor != null);
            all.forEach(f -> assertThat(ids.add(f.id())).isTrue());
            assertThat(all).hasSize((int) (e.open() + e.accepted()));
            for (int i = 1; i < all.size(); i++) {
                assertThat(all.get(i - 1).severity().rank())
                        .isGreaterThanOrEqualTo(all.get(i).severity().rank());
            }
            assertThat(h.posture
                            .list(new FindingFilter(Risk.NHI5, Severity.CRITICAL, null, null, null), null, 1000)
                            .items())
                    .hasSize(23)
                    .allSatisfy(f -> assertThat(f.checkId()).isEqualTo("nhi5-admin"));
            assertThat(h.posture
                            .list(new FindingFilter(Risk.NHI1, Severity.HIGH, null, null, null), null, 1000)
                            .items())
                    .hasSize(115);
            assertThat(h.posture
                            .list(
                                    new FindingFilter(null, null, EnumSet.of(FindingStatus.RESOLVED), null, null),
                                    null,
                                    10)
                            .items())
                    .isEmpty();
            assertThatThrownBy(() -> h.posture.list(FindingFilter.CURRENT, "garbage", 10))
                    .hasMessage("invalid cursor");
        }
    }

    @Test
    void a_policy_can_disable_checks() {
        try (PostureHarness h = new PostureHarness(dir)) {
            h.load(orphan(false));
            h.policy(PosturePolicy.parse(
                    "disabledChecks: [nhi1-no-owner]",
                    "p.yaml",
                    BuiltInChecks.registry().ids()));
            assertThat(h.view()).noneMatch(f -> f.checkId().equals(NO_OWNER));
        }
    }

    private static long count(PostureHarness h, String table) throws Exception {
        try (Connection c = TestStores.connect(h.warden.db().url());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
