package dev.warden.demo;

import dev.warden.discovery.ImportOptions;
import dev.warden.discovery.ImportRun;
import dev.warden.discovery.Importer;
import dev.warden.input.Input;
import dev.warden.scan.Scans;
import dev.warden.usage.IngestRun;
import dev.warden.usage.Ingester;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The built-in demo estate: a fictional company's machine identities written as the files its
 * tools would export (AWS CLI output, Kubernetes manifests, GitHub workflows, PEM certificates),
 * with owners (some missing), entitlements (some too broad) and credentials of realistic ages,
 * then imported through the real connectors. Deterministic for a given {@code now}; dates are
 * relative to it so the estate never goes stale.
 */
public final class DemoEstate {
    private static final String CHECKOUT = "billing-export";

    private DemoEstate() {}

    /**
     * Writes the source files under {@code dir} (replacing an earlier demo's). Dates derive from
     * the start of {@code now}'s day, so a re-run the same day writes the same files and imports
     * as unchanged.
     */
    public static void write(Path dir, Instant now) {
        DemoWorld w = new DemoWorld(now.truncatedTo(ChronoUnit.DAYS));
        try {
            deleteTree(dir);
            new DemoAws(w).write(dir.resolve("aws"));
            new DemoKubernetes(w).write(dir.resolve("kubernetes"));
            new DemoGithub(w).write(dir.resolve("github"));
            new DemoCertificates(w).write(dir.resolve("certificates"));
            DemoActivity activity = new DemoActivity(w);
            activity.writeLogs(dir.resolve("cloudtrail"));
            activity.writeCheckout(dir.resolve("repos").resolve(CHECKOUT));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo estate to " + dir, e);
        }
    }

    /** Imports the files {@link #write} made, source by source, as {@code actor}. */
    public static List<ImportRun> load(Importer importer, Path dir, String actor) {
        List<ImportRun> runs = new ArrayList<>();
        for (String env : new String[] {"prod", "staging"}) {
            runs.add(importer.run(
                    "aws",
                    List.of(Input.path(dir.resolve("aws").resolve(env))),
                    new ImportOptions(env, null, null),
                    actor));
        }
        for (String cluster : DemoKubernetes.CLUSTERS) {
            runs.add(importer.run(
                    "kubernetes",
                    List.of(Input.path(dir.resolve("kubernetes").resolve(cluster))),
                    new ImportOptions(cluster.startsWith("prod") ? "prod" : "staging", cluster, null),
                    actor));
        }
        for (String repo : DemoGithub.REPOS) {
            runs.add(importer.run(
                    "github",
                    List.of(Input.path(dir.resolve("github").resolve(repo))),
                    new ImportOptions("prod", null, null),
                    actor));
        }
        runs.add(importer.run(
                "certificates", List.of(Input.path(dir.resolve("certificates"))), ImportOptions.NONE, actor));
        return runs;
    }

    /** What {@link #loadActivity} did. */
    public record Activity(IngestRun ingest, Scans.Outcome scan) {}

    /**
     * Ingests the CloudTrail logs {@link #write} made and scans its service checkout, recording the
     * scan with its inventory links, as {@code actor}.
     */
    public static Activity loadActivity(Ingester ingester, Scans scans, Path dir, String actor) {
        IngestRun ingest = ingester.run("cloudtrail", List.of(Input.path(dir.resolve("cloudtrail"))), actor);
        Path checkout = dir.resolve("repos").resolve(CHECKOUT);
        List<Scans.Content> files = new ArrayList<>();
        try (var walk = Files.walk(checkout)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.add(new Scans.Content(
                        checkout.relativize(p).toString(), Files.readString(p, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the demo checkout " + checkout, e);
        }
        Scans.Outcome scan = scans.run(Scans.Request.contents("demo:" + CHECKOUT, files), actor);
        return new Activity(ingest, scan);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
