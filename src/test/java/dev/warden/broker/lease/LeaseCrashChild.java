package dev.warden.broker.lease;

import dev.warden.audit.AuditLog;
import dev.warden.broker.issue.IssueRequest;
import dev.warden.broker.issue.Issuers;
import dev.warden.broker.issue.postgresql.PgTarget;
import dev.warden.broker.issue.postgresql.PostgresIssuer;
import dev.warden.keys.SecretBox;
import dev.warden.store.Database;
import dev.warden.store.DbUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A Warden lease process for {@link LeaseCrashTest} to SIGKILL: it opens the store and the issuer,
 * goes as far as the step its first argument names, prints {@code READY <lease id> <role>} and
 * waits to be killed. Arguments: step, store URL, issuer YAML file, target admin URL.
 */
final class LeaseCrashChild {
    private LeaseCrashChild() {}

    public static void main(String[] args) throws Exception {
        String step = args[0];
        Database db = Database.open(DbUrl.parse(args[1]));
        PostgresIssuer issuer = new PostgresIssuer(PgTarget.config(Files.readString(Path.of(args[2])), args[3]));
        Clock clock = Clock.systemUTC();
        Leases leases = new Leases(
                db,
                new AuditLog(db, clock),
                new Issuers(List.of(issuer)),
                SecretBox.of(LeaseHarness.KEK),
                clock,
                LeaseHarness.quick());
        IssueRequest req = IssueRequest.of("readonly", Duration.ofSeconds(2));
        Lease lease;
        if (step.equals("after-activate")) {
            lease = leases.issue("app-db", LeaseHarness.grant("crash-test"), req)
                    .lease();
        } else {
            String id = dev.warden.store.Ids.next();
            Instant now = clock.instant();
            lease = new Lease(
                    id,
                    "postgresql",
                    "app-db",
                    "readonly",
                    "crash-test",
                    null,
                    null,
                    issuer.handle(id, req),
                    LeaseState.PENDING,
                    null,
                    now,
                    now,
                    now.plusSeconds(2),
                    now.plus(Duration.ofHours(24)),
                    0,
                    0,
                    null,
                    null,
                    "token:test",
                    null,
                    Map.of());
            Lease l = lease;
            db.inTransaction(h -> {
                leases.store().insert(h, l);
                return null;
            });
            if (step.equals("after-create")) {
                issuer.issue(lease, req);
            }
        }
        System.out.println("READY " + lease.id() + " " + lease.handle());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
