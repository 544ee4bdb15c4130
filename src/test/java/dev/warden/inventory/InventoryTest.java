package dev.warden.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.audit.AuditLog;
import dev.warden.store.Database;
import dev.warden.store.Dialect;
import dev.warden.testing.Fixtures;
import dev.warden.testing.TestClock;
import dev.warden.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The inventory on real SQLite and real PostgreSQL: the same behaviour on both. */
class InventoryTest {
    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Fixtures.T0);

    private Inventory open(Database db) {
        return new Inventory(db, new AuditLog(db, clock), clock);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void loaded_identity_is_shown_with_its_credentials_and_entitlements(Dialect dialect) {
        try (Database db = Database.open(TestStores.fresh(dialect, dir))) {
            Inventory inv = open(db);
            Inventory.LoadResult r = inv.load(
                    List.of(Fixtures.awsUser("deployer", "team-payments", "prod")), "test", "inventory.load", Map.of());
            assertThat(r.added()).isEqualTo(1);

            IdentityRecord shown =
                    inv.show("arn:aws:iam::111122223333:user/deployer", null).orElseThrow();
            assertThat(shown.identity().kind()).isEqualTo(IdentityKind.CLOUD_USER);
            assertThat(shown.identity().businessOwner()).isEqualTo("team-payments");
            assertThat(shown.identity().tags()).containsEntry("team", "team-payments");
            assertThat(shown.credentials()).singleElement().satisfies(c -> {
                assertThat(c.externalId()).isEqualTo("AKIADEPLOYERXXXXXXXX".substring(0, 20));
                assertThat(c.identityId()).isEqualTo(shown.identity().id());
                assertThat(c.attributes()).containsEntry("region", "eu-west-1");
                assertThat(c.createdAt()).isEqualTo(Fixtures.T0.minus(Duration.ofDays(200)));
            });
            assertThat(shown.entitlements()).extracting(Entitlement::effect).containsExactly(Effect.ALLOW, Effect.DENY);
            assertThat(shown.entitlements().get(1).condition()).contains("MultiFactorAuthPresent");
            assertThat(inv.show(shown.identity().id(), null)).contains(shown);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void reloading_updates_in_place_and_keeps_ids_and_first_seen(Dialect dialect) {
        try (Database db = Database.open(TestStores.fresh(dialect, dir))) {
            Inventory inv = open(db);
            inv.load(List.of(Fixtures.awsUser("deployer", "team-a", "prod")), "test", "inventory.load", Map.of());
            IdentityRecord first =
                    inv.show("arn:aws:iam::111122223333:user/deployer", null).orElseThrow();

            clock.advance(Duration.ofDays(1));
            IdentityRecord changed = Fixtures.awsUser("deployer", "team-b", "prod");
            Inventory.LoadResult r = inv.load(List.of(changed), "test", "inventory.load", Map.of());

            assertThat(r.added()).isZero();
            assertThat(r.updated()).isEqualTo(1);
            IdentityRecord second = inv.show(first.identity().id(), null).orElseThrow();
            assertThat(second.identity().businessOwner()).isEqualTo("team-b");
            assertThat(second.identity().firstSeen()).isEqualTo(first.identity().firstSeen());
            assertThat(second.credentials().get(0).id())
                    .isEqualTo(first.credentials().get(0).id());
            assertThat(second.entitlements()).hasSize(2);
            assertThat(inv.count()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_failed_load_writes_nothing(Dialect dialect) {
        try (Database db = Database.open(TestStores.fresh(dialect, dir))) {
            Inventory inv = open(db);
            List<IdentityRecord> batch = new ArrayList<>();
            for (int i = 0; i < 2500; i++) {
                batch.add(Fixtures.awsUser("user" + i, "team", "prod"));
            }
            batch.add(Fixtures.awsUser("user7", "team", "prod")); // duplicate key, after the first store batch

            assertThatThrownBy(() -> inv.load(batch, "test", "inventory.load", Map.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("user7")
                    .hasMessageContaining("twice");
            assertThat(inv.count()).isZero();
            assertThat(new AuditLog(db, clock).list(0, 10)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void same_service_account_in_two_clusters_are_two_identities_and_external_id_lookup_is_ambiguous(Dialect dialect) {
        try (Database db = Database.open(TestStores.fresh(dialect, dir))) {
            Inventory inv = open(db);
            inv.load(
                    List.of(
                            Fixtures.serviceAccount("prod-1", "web", "api", "team-web"),
                            Fixtures.serviceAccount("prod-2", "web", "api", "team-web")),
                    "test",
                    "inventory.load",
                    Map.of());

            assertThat(inv.count()).isEqualTo(2);
            assertThatThrownBy(() -> inv.show("system:serviceaccount:web:api", null))
                    .isInstanceOf(Inventory.AmbiguousIdentityException.class)
                    .hasMessageContaining("kubernetes:prod-1")
                    .hasMessageContaining("kubernetes:prod-2");
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void filters_combine_and_pages_cover_every_identity_exactly_once(Dialect dialect) {
        try (Database db = Database.open(TestStores.fresh(dialect, dir))) {
            Inventory inv = open(db);
            List<IdentityRecord> batch = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                batch.add(Fixtures.awsUser(
                        "svc-" + i, i % 3 == 0 ? null : "team-" + (i % 2), i % 4 == 0 ? "dev" : "prod"));
            }
            for (int i = 0; i < 30; i++) {
                batch.add(Fixtures.serviceAccount("c1", "ns" + i, "Sa" + i, "team-1"));
            }
            inv.load(batch, "test", "inventory.load", Map.of());

            Set<String> seen = new HashSet<>();
            String cursor = null;
            int pages = 0;
            do {
                Page<Identity> p = inv.list(IdentityFilter.ALL, cursor, 7);
                p.items()
                        .forEach(i -> assertThat(seen.add(i.id()))
                                .as("duplicate %s", i.id())
                                .isTrue());
                cursor = p.nextCursor();
                pages++;
            } while (cursor != null);
            assertThat(seen).hasSize(150);
            assertThat(pages).isEqualTo(22);

            IdentityFilter kubeTeam1 = new IdentityFilter(
                    IdentityKind.KUBERNETES_SERVICE_ACCOUNT,
                    "kubernetes:c1",
                    "team-1",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null);
            assertThat(inv.list(kubeTeam1, null, 1000).items()).hasSize(30);
            IdentityFilter unownedDev =
                    new IdentityFilter(null, "aws", null, false, "dev", null, null, null, null, null);
            assertThat(inv.list(unownedDev, null, 1000).items())
                    .allSatisfy(i -> {
                        assertThat(i.hasOwner()).isFalse();
                        assertThat(i.environment()).isEqualTo("dev");
                    })
                    .hasSize(10); // i % 12 == 0 for i < 120
            IdentityFilter text = new IdentityFilter(null, null, null, null, null, null, "SA1", null, null, null);
            assertThat(inv.list(text, null, 1000).items())
                    .extracting(Identity::name)
                    .allSatisfy(n ->
                            assertThat(n.toLowerCase(java.util.Locale.ROOT)).contains("sa1"))
                    .isNotEmpty();
            IdentityFilter team = IdentityFilter.ALL.withTeam("team-0");
            assertThat(inv.list(team, null, 1000).items())
                    .allSatisfy(i -> assertThat(i.businessOwner()).isEqualTo("team-0"));
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void hostile_filter_text_is_data_not_sql(Dialect dialect) {
        try (Database db = Database.open(TestStores.fresh(dialect, dir))) {
            Inventory inv = open(db);
            inv.load(
                    List.of(Fixtures.awsUser("a_b", "o", "prod"), Fixtures.awsUser("axb", "o", "prod")),
                    "test",
                    "inventory.load",
                    Map.of());
            for (String hostile : List.of("' OR 1=1 --", "\"; DROP TABLE identities; --", "%", "_", "\\", "a_b")) {
                IdentityFilter f =
                        new IdentityFilter(null, hostile, hostile, null, hostile, null, hostile, null, null, null);
                assertThat(inv.list(f, null, 10).items()).isEmpty();
            }
            // LIKE wildcards in q are literal: "a_b" matches only a_b, not axb.
            IdentityFilter underscore = new IdentityFilter(null, null, null, null, null, null, "a_b", null, null, null);
            assertThat(inv.list(underscore, null, 10).items())
                    .extracting(Identity::name)
                    .containsExactly("a_b");
            assertThat(inv.count()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void stats_count_by_kind_source_environment_status_and_ownership(Dialect dialect) {
        try (Database db = Database.open(TestStores.fresh(dialect, dir))) {
            Inventory inv = open(db);
            inv.load(
                    List.of(
                            Fixtures.awsUser("a", "team", "prod"),
                            Fixtures.awsUser("b", null, "dev"),
                            Fixtures.awsUser("c", null, null),
                            Fixtures.serviceAccount("c1", "ns", "sa", "team")),
                    "test",
                    "inventory.load",
                    Map.of());

            InventoryStats s = inv.stats(IdentityFilter.ALL);
            assertThat(s.total()).isEqualTo(4);
            assertThat(s.byKind())
                    .containsExactlyInAnyOrderEntriesOf(Map.of("cloud_user", 3L, "kubernetes_service_account", 1L));
            assertThat(s.bySource()).containsExactlyInAnyOrderEntriesOf(Map.of("aws", 3L, "kubernetes", 1L));
            assertThat(s.byEnvironment())
                    .containsExactlyInAnyOrderEntriesOf(Map.of("prod", 2L, "dev", 1L, "unspecified", 1L));
            assertThat(s.byStatus()).containsExactlyInAnyOrderEntriesOf(Map.of("active", 4L));
            assertThat(s.owner()).isEqualTo(new InventoryStats.Ownership(2, 2));
            assertThat(inv.stats(new IdentityFilter(null, "aws", null, null, null, null, null, null, null, null))
                            .total())
                    .isEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void bad_limits_and_cursors_are_rejected(Dialect dialect) {
        try (Database db = Database.open(TestStores.fresh(dialect, dir))) {
            Inventory inv = open(db);
            for (int limit : new int[] {-1, 0, 1001}) {
                assertThatThrownBy(() -> inv.list(IdentityFilter.ALL, null, limit))
                        .hasMessageContaining("limit");
            }
            for (String cursor : List.of("garbage", "!!!", "aTE6bm90LWEtdXVpZA", "x".repeat(5000), "' OR 1=1")) {
                assertThatThrownBy(() -> inv.list(IdentityFilter.ALL, cursor, 10))
                        .hasMessage("invalid cursor");
            }
        }
    }
}
