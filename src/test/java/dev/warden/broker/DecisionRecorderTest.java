package dev.warden.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.audit.AuditLog;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityStatus;
import dev.warden.inventory.Inventory;
import dev.warden.inventory.Source;
import dev.warden.store.Database;
import dev.warden.store.Dialect;
import dev.warden.testing.Fixtures;
import dev.warden.testing.TestClock;
import dev.warden.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group commit writes one identity per workload per batch: the batch's versions folded in
 * order. On a real store, writing the fold must leave exactly what writing each version in turn
 * leaves.
 */
class DecisionRecorderTest {
    @TempDir
    Path dir;

    private static Identity workload(String owner, Map<String, String> tags, Instant at) {
        return new Identity(
                null,
                IdentityKind.WORKLOAD,
                "system:serviceaccount:payments:deployer",
                "system:serviceaccount:payments:deployer",
                Source.of("broker", "k8s-prod"),
                null,
                owner,
                null,
                owner == null ? null : "policy:" + owner,
                "system:serviceaccount:payments:deployer",
                "just-in-time credentials from the Warden broker",
                IdentityStatus.ACTIVE,
                null,
                tags,
                null,
                at,
                at);
    }

    /** Writes {@code versions} to a fresh store and returns what it holds afterwards. */
    private Identity written(String name, List<Identity> versions, Instant now) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        try (Database db = Database.open(TestStores.fresh(Dialect.SQLITE, d))) {
            TestClock clock = new TestClock(now);
            Inventory inventory = new Inventory(db, new AuditLog(db, clock), clock);
            String id = db.inTransaction(h -> {
                String last = null;
                for (Identity v : versions) {
                    last = inventory.touch(h, v, now);
                }
                return last;
            });
            return inventory.show(id, null).orElseThrow().identity();
        }
    }

    @Test
    void writing_the_fold_of_a_batch_equals_writing_each_version_in_turn() throws Exception {
        Instant t = Fixtures.T0;
        Identity first = workload("team-payments", Map.of("attested.pod", "deployer-1", "attested.node", "n1"), t);
        Identity second = workload(null, Map.of("attested.pod", "deployer-2"), t.plusSeconds(1));
        Identity third = workload("team-platform", Map.of("attested.pod", "deployer-3"), t.plusSeconds(2));
        List<Identity> batch = List.of(first, second, third);
        Identity folded = batch.stream().reduce(DecisionRecorder::fold).orElseThrow();
        Instant now = t.plus(Duration.ofSeconds(3));

        Identity sequential = written("sequential", batch, now);
        Identity once = written("folded", List.of(folded), now);

        assertThat(once.withId(sequential.id())).isEqualTo(sequential);
        assertThat(once.tags()).containsEntry("attested.pod", "deployer-3").containsEntry("attested.node", "n1");
        assertThat(once.businessOwner()).isEqualTo("team-platform");
        assertThat(once.firstSeen()).isEqualTo(t);
        assertThat(once.lastSeen()).isEqualTo(t.plusSeconds(2));
    }
}
