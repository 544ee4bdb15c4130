package dev.warden.broker.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.broker.issue.postgresql.PgTarget;
import dev.warden.store.DbUrl;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real crash: a child JVM running the lease code is killed with SIGKILL at a chosen step; a fresh
 * instance on the same store then reconciles. No lease is lost, no role outlives its lease by more
 * than one reaper pass, nothing is revoked twice.
 */
class LeaseCrashTest {
    @TempDir
    Path dir;

    private record Killed(String leaseId, String handle) {}

    private Killed runAndKill(String step, DbUrl store, PgTarget target) throws Exception {
        Path yaml = Files.writeString(dir.resolve("issuer.yaml"), target.yaml());
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-Dwarden.log.level=WARN",
                        "-cp",
                        System.getProperty("java.class.path"),
                        LeaseCrashChild.class.getName(),
                        step,
                        store.sqlitePath() == null ? store.toString() : "sqlite:" + store.sqlitePath(),
                        yaml.toString(),
                        target.adminUrl)
                .redirectError(dir.resolve("child.err").toFile())
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("READY ")) {
                    String[] f = line.split(" ");
                    p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no cleanup
                    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    assertThat(p.exitValue()).isEqualTo(137);
                    return new Killed(f[1], f[2]);
                }
            }
        } finally {
            p.destroyForcibly();
        }
        throw new AssertionError("child ended without READY: " + Files.readString(dir.resolve("child.err")));
    }

    @Test
    void sigkill_between_lease_write_and_role_creation_leaves_a_lease_that_restart_rolls_back() throws Exception {
        DbUrl store = DbUrl.sqlite(dir.resolve("warden.db"));
        PgTarget target = PgTarget.create();
        Killed k = runAndKill("after-pending", store, target);
        try (LeaseHarness h = new LeaseHarness(store, target, LeaseHarness.quick())) {
            assertThat(h.leases.get(k.leaseId()).orElseThrow().state()).isEqualTo(LeaseState.PENDING);
            h.clock.advance(Duration.ofMinutes(3));
            assertThat(h.leases.reconcile().rolledBack()).isEqualTo(1);
            assertThat(h.leases.get(k.leaseId()).orElseThrow().state()).isEqualTo(LeaseState.ROLLED_BACK);
            assertThat(target.roleExists(k.handle())).isFalse();
            assertThat(h.audit("lease.rollback", k.leaseId())).hasSize(1);
        }
    }

    @Test
    void sigkill_after_role_creation_drops_the_role_at_restart() throws Exception {
        DbUrl store = DbUrl.sqlite(dir.resolve("warden.db"));
        PgTarget target = PgTarget.create();
        Killed k = runAndKill("after-create", store, target);
        assertThat(target.roleExists(k.handle())).isTrue();
        try (LeaseHarness h = new LeaseHarness(store, target, LeaseHarness.quick())) {
            h.clock.advance(Duration.ofMinutes(3));
            h.leases.reconcile();
            assertThat(target.roleExists(k.handle())).isFalse();
            assertThat(h.leases.get(k.leaseId()).orElseThrow().state()).isEqualTo(LeaseState.ROLLED_BACK);
        }
    }

    @Test
    void sigkill_between_expiry_and_revocation_is_revoked_once_by_the_first_pass_after_restart() throws Exception {
        DbUrl store = DbUrl.sqlite(dir.resolve("warden.db"));
        PgTarget target = PgTarget.create();
        Killed k = runAndKill("after-activate", store, target);
        assertThat(target.roleExists(k.handle())).isTrue();
        try (LeaseHarness h = new LeaseHarness(store, target, LeaseHarness.quick())) {
            h.clock.advance(Duration.ofSeconds(3)); // the 2 s lease expired while no Warden ran
            assertThat(h.leases.reconcile().revoked()).isEqualTo(1);
            assertThat(target.roleExists(k.handle())).isFalse();
            assertThat(h.leases.get(k.leaseId()).orElseThrow().state()).isEqualTo(LeaseState.EXPIRED);
            h.restart().reconcile();
            h.leases.reap();
            assertThat(h.audit("lease.revoke", k.leaseId())).hasSize(1);
            assertThat(h.audit("lease.create", k.leaseId())).hasSize(1);
        }
    }
}
