package dev.warden.bench.posture;

import dev.warden.inventory.Entitlement;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityRecord;
import dev.warden.store.Database;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Daily usage aggregates for a share of the estate's AWS and Kubernetes identities, written straight
 * into {@code usage_daily} as the ingester would leave them (ingestion speed is the usage half of the
 * benchmark; this one measures evaluation). Mostly the identity's granted actions, from one or two
 * addresses with an SDK user agent on one to three days of the last 120; a few identities are used
 * from many addresses, from a browser or kubectl on a laptop, or signed in to the console.
 */
final class UsageRows {
    private static final String SDK = "aws-sdk-java/2.20.162 Linux/5.10.201 OpenJDK_64-Bit_Server_VM/17.0.9";
    private static final String BROWSER =
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Safari/605.1.15";
    private static final String KUBECTL_MAC = "kubectl/v1.29.0 (darwin/arm64) kubernetes/3f7a50f";

    private final double share;
    private final long seed;
    private final Instant now;
    private final List<Object[]> pending = new ArrayList<>();
    private long counter;
    long rows;
    long identities;

    UsageRows(double share, long seed, Instant now) {
        this.share = share;
        this.seed = seed;
        this.now = now;
    }

    void add(IdentityRecord r, long i) {
        Identity id = r.identity();
        if (!PostureEstate.hasUsageSource(id.kind())) {
            return;
        }
        SplittableRandom rnd = new SplittableRandom(seed * 17 + i * 0xC2B2AE3D27D4EB4FL);
        if (rnd.nextDouble() >= share) {
            return;
        }
        identities++;
        List<String> actions = new ArrayList<>();
        for (Entitlement e : r.entitlements()) {
            if (rnd.nextInt(4) != 0 && !e.action().contains("*")) {
                actions.add(e.action());
            }
        }
        if (actions.isEmpty()) {
            actions.add(id.kind() == IdentityKind.KUBERNETES_SERVICE_ACCOUNT ? "get pods" : "sts:GetCallerIdentity");
        }
        int special = rnd.nextInt(1000);
        int ips = special < 10 ? 15 : 1 + rnd.nextInt(2);
        String ua = special >= 10 && special < 15
                ? (id.kind() == IdentityKind.KUBERNETES_SERVICE_ACCOUNT ? KUBECTL_MAC : BROWSER)
                : SDK;
        int days = 1 + rnd.nextInt(3);
        for (int d = 0; d < days; d++) {
            long day = LocalDate.ofInstant(now.minus(Duration.ofDays(1 + rnd.nextInt(120))), ZoneOffset.UTC)
                    .toEpochDay();
            for (String action : actions) {
                String ip = "10." + (i % 250) + "." + rnd.nextInt(ips) + "." + (1 + i % 200);
                row(id, day, action, ip, ua, "api", 1 + rnd.nextInt(500));
            }
        }
        if (special >= 15 && special < 18 && id.source().type().equals("aws")) {
            long day = LocalDate.ofInstant(now.minus(Duration.ofDays(1 + rnd.nextInt(30))), ZoneOffset.UTC)
                    .toEpochDay();
            row(id, day, "signin:ConsoleLogin", "198.51.100.7", BROWSER, "console-login", 1);
        }
        if (ips > 2) {
            long day = LocalDate.ofInstant(now.minus(Duration.ofDays(2)), ZoneOffset.UTC)
                    .toEpochDay();
            for (int x = 0; x < ips; x++) {
                row(id, day, actions.get(0), "203.0.113." + x, ua, "api", 3);
            }
        }
    }

    private void row(Identity id, long day, String action, String ip, String ua, String type, long events) {
        long start = LocalDate.ofEpochDay(day)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant()
                .toEpochMilli();
        pending.add(new Object[] {
            String.format("%064x", ++counter),
            id.source().type(),
            id.source().scope(),
            id.externalId(),
            day,
            action,
            ip,
            ua,
            type,
            events,
            start + 3_600_000L,
            start + 20 * 3_600_000L
        });
    }

    /** Writes what was added since the last flush, in one transaction. */
    void flush(Database db) {
        if (pending.isEmpty()) {
            return;
        }
        db.inTransaction(h -> {
            PreparedBatch b = h.prepareBatch("INSERT INTO usage_daily (dim_hash, source_type, scope, principal,"
                    + " credential, day, action, source_ip, user_agent, event_type, events, errors, first_at, last_at)"
                    + " VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, 0, ?, ?)");
            for (Object[] r : pending) {
                for (int c = 0; c < r.length; c++) {
                    b.bind(c, r[c]);
                }
                b.add();
            }
            b.execute();
            return null;
        });
        rows += pending.size();
        pending.clear();
    }
}
