package dev.warden.broker.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.audit.AuditEntry;
import dev.warden.testing.TestStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Two servers (two Leases instances with their own issuers) on one PostgreSQL store. */
class MultiServerTest {
    @Test
    void two_reapers_on_one_postgresql_store_revoke_each_lease_exactly_once() throws Exception {
        try (LeaseHarness h = new LeaseHarness(TestStores.freshPostgres())) {
            Leases a = h.leases;
            Leases b = h.newInstance();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                ids.add((i % 2 == 0 ? a : b)
                        .issue(
                                "app-db",
                                LeaseHarness.grant("w" + (i % 5)),
                                dev.warden.broker.issue.IssueRequest.of("readonly", Duration.ofMinutes(1)))
                        .lease()
                        .id());
            }
            h.clock.advance(Duration.ofMinutes(2));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Callable<Integer>> both = new ArrayList<>();
                for (Leases l : List.of(a, b)) {
                    both.add(() -> {
                        int n = 0;
                        for (int pass = 0; pass < 20; pass++) {
                            n += l.reap().revoked();
                        }
                        return n;
                    });
                }
                int total = 0;
                for (Future<Integer> f : pool.invokeAll(both)) {
                    total += f.get();
                }
                assertThat(total).isEqualTo(60);
            } finally {
                pool.shutdownNow();
            }
            Map<String, Integer> revokes = new HashMap<>();
            for (AuditEntry e : h.audit("lease.revoke", null)) {
                revokes.merge(e.targetId(), 1, Integer::sum);
            }
            assertThat(revokes).hasSize(60).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
            assertThat(ids)
                    .allSatisfy(
                            id -> assertThat(a.get(id).orElseThrow().state()).isEqualTo(LeaseState.EXPIRED));
            assertThat(h.target.managedRoles()).isEmpty();
        }
    }
}
