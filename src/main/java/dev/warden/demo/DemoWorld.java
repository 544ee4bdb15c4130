package dev.warden.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The fictional company behind the demo estate (Acme: teams, services, environments) and the
 * seeded randomness every demo source draws from, so that one {@code now} gives one estate.
 */
final class DemoWorld {
    static final String[] TEAMS = {"payments", "platform", "data", "identity", "growth", "search", "mobile"};
    static final String[] SERVICES = {
        "checkout", "ledger", "invoices", "fraud-scoring", "search-indexer", "recommender", "notifications",
        "billing-export", "etl-nightly", "metrics-gateway", "auth-proxy", "image-resizer", "catalog", "reporting",
        "feature-flags", "webhooks", "sessions", "audit-shipper", "backup", "cdn-purger"
    };

    final Instant now;
    final Random random = new Random(20261122L);
    /** What DemoAws wrote, for the activity logs and the leak that refer to them. */
    final List<AwsPrincipal> awsUsers = new ArrayList<>();

    final List<AwsPrincipal> awsRoles = new ArrayList<>();

    /** An AWS user (with its access key id) or role of the demo estate. */
    record AwsPrincipal(String account, String env, String name, String arn, String principalId, String keyId) {}

    DemoWorld(Instant now) {
        this.now = now;
    }

    String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    String team() {
        return pick(TEAMS);
    }

    /** A team, or null with probability {@code missing}: some identities have no owner. */
    String maybeTeam(double missing) {
        return random.nextDouble() < missing ? null : team();
    }

    Instant daysAgo(int days) {
        return now.minus(Duration.ofDays(days)).minus(Duration.ofMinutes(random.nextInt(1440)));
    }

    /** An instant between {@code min} and {@code max} days ago. */
    Instant daysAgo(int min, int max) {
        return daysAgo(min + random.nextInt(Math.max(1, max - min)));
    }

    String upper(int n) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
