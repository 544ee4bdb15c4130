package dev.warden.bench;

import static dev.warden.bench.LatencyDriver.path;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.inventory.Identity;
import java.util.ArrayList;
import java.util.List;

/** The request shapes the benchmark times, chosen to match rows of {@link SyntheticEstate}. */
final class Shapes {
    private static final String LIST = "/v1/identities";
    private static final String STATS = "/v1/stats";
    private static final String LIMIT = "100";

    private Shapes() {}

    static List<LatencyDriver.Shape> list(LatencyDriver driver, SyntheticEstate estate, long identities) {
        List<LatencyDriver.Shape> s = new ArrayList<>();
        String bigTeam = SyntheticEstate.TEAMS[0];
        String smallTeam = SyntheticEstate.TEAMS[SyntheticEstate.TEAMS.length - 3];
        s.add(shape("list", "no filter", path(LIST, "limit", LIMIT)));
        s.add(shape(
                "list",
                "kind=kubernetes_service_account",
                path(LIST, "kind", "kubernetes_service_account", "limit", LIMIT)));
        s.add(shape("list", "environment=staging", path(LIST, "environment", "staging", "limit", LIMIT)));
        s.add(shape("list", "owner=" + bigTeam + " (largest team)", path(LIST, "owner", bigTeam, "limit", LIMIT)));
        s.add(shape("list", "owner=" + smallTeam + " (small team)", path(LIST, "owner", smallTeam, "limit", LIMIT)));
        s.add(shape("list", "source=github", path(LIST, "source", "github", "limit", LIMIT)));
        String account = SyntheticEstate.AWS_PROD[0];
        s.add(shape("list", "source=aws:" + account, path(LIST, "source", "aws:" + account, "limit", LIMIT)));
        s.add(shape("list", "status=removed", path(LIST, "status", "removed", "limit", LIMIT)));
        s.add(shape(
                "list",
                "kind=cloud_role&environment=prod",
                path(LIST, "kind", "cloud_role", "environment", "prod", "limit", LIMIT)));
        s.add(shape(
                "list",
                "owned=false&environment=dev",
                path(LIST, "owned", "false", "environment", "dev", "limit", LIMIT)));
        s.add(shape(
                "list",
                "kind=database_role&environment=sandbox&owner=" + SyntheticEstate.TEAMS[2],
                path(
                        LIST,
                        "kind",
                        "database_role",
                        "environment",
                        "sandbox",
                        "owner",
                        SyntheticEstate.TEAMS[2],
                        "limit",
                        LIMIT)));
        s.add(shape(
                "list",
                "source=kubernetes:" + SyntheticEstate.K8S_PROD[1] + "&owner=" + bigTeam,
                path(LIST, "source", "kubernetes:" + SyntheticEstate.K8S_PROD[1], "owner", bigTeam, "limit", LIMIT)));
        s.add(page2(
                driver,
                "kind=cloud_role&environment=prod",
                path(LIST, "kind", "cloud_role", "environment", "prod", "limit", LIMIT)));
        s.add(page2(driver, "owner=" + bigTeam, path(LIST, "owner", bigTeam, "limit", LIMIT)));
        Identity probe = estate.record(identities / 2).identity();
        s.add(shape("list", "externalId=<one identity>", path(LIST, "externalId", probe.externalId(), "limit", LIMIT)));
        s.add(shape(
                "list", "q=<one identity's name> (substring search)", path(LIST, "q", probe.name(), "limit", LIMIT)));
        return s;
    }

    static List<LatencyDriver.Shape> stats() {
        List<LatencyDriver.Shape> s = new ArrayList<>();
        s.add(shape("stats", "no filter", STATS));
        s.add(shape("stats", "environment=prod", path(STATS, "environment", "prod")));
        s.add(shape("stats", "kind=cloud_role", path(STATS, "kind", "cloud_role")));
        s.add(shape("stats", "owner=" + SyntheticEstate.TEAMS[0], path(STATS, "owner", SyntheticEstate.TEAMS[0])));
        return s;
    }

    private static LatencyDriver.Shape shape(String group, String label, String path) {
        return new LatencyDriver.Shape(group, label, path);
    }

    private static LatencyDriver.Shape page2(LatencyDriver driver, String label, String first) {
        JsonNode page = driver.get(first);
        JsonNode cursor = page.get("nextCursor");
        if (cursor == null || cursor.isNull()) {
            throw new IllegalStateException(first + " has no second page");
        }
        return shape("list", label + " page 2 (cursor)", first + "&cursor=" + cursor.asText());
    }
}
