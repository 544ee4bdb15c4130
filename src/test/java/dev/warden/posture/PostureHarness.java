package dev.warden.posture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.app.StoreLocation;
import dev.warden.app.Warden;
import dev.warden.config.Json;
import dev.warden.discovery.Fixture;
import dev.warden.discovery.ImportOptions;
import dev.warden.input.Input;
import dev.warden.inventory.IdentityFilter;
import dev.warden.inventory.IdentityRecord;
import dev.warden.posture.checks.BuiltInChecks;
import dev.warden.store.Dialect;
import dev.warden.testing.TestClock;
import dev.warden.testing.TestStores;
import dev.warden.usage.IngestRun;
import dev.warden.usage.Ingester;
import dev.warden.usage.UsageEvent;
import dev.warden.usage.UsageParsers;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * A real Warden store (SQLite in a temp directory, or PostgreSQL) with a hand-moved clock, for
 * posture tests: load records or import the AWS fixtures through the real connector, ingest usage
 * through the real ingester, evaluate through the real {@link Posture}. Leaks come from a list the
 * test fills (the secret scanner is not in this build).
 */
public final class PostureHarness implements AutoCloseable {
    /** "Now" in posture tests. */
    public static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    public final TestClock clock = new TestClock(NOW);
    public final Warden warden;
    public final List<LeakSighting> leaks = new ArrayList<>();
    public final List<Signal> signals = new ArrayList<>();
    public final Posture posture;
    private final Ingester ingester;
    private PosturePolicy policy = PosturePolicy.defaults();

    public PostureHarness(Path dir) {
        this(dir, Dialect.SQLITE);
    }

    public PostureHarness(Path dir, Dialect dialect) {
        warden = Warden.open(new StoreLocation(dir, TestStores.fresh(dialect, dir)), clock);
        LeakSource source = (ids, asOf) ->
                leaks.stream().filter(l -> ids.contains(l.identityId())).toList();
        posture = new Posture(
                warden.db(),
                warden.ingester().store(),
                source,
                (ids, asOf) -> signals.stream()
                        .filter(x -> ids.contains(x.identityId()))
                        .toList(),
                warden.audit(),
                clock,
                BuiltInChecks.registry(),
                PosturePolicy.defaults());
        ingester = new Ingester(
                warden.db(),
                new UsageParsers(List.of(new EventLinesParser())),
                warden.audit(),
                clock,
                Duration.ofDays(30));
    }

    public PostureHarness policy(PosturePolicy p) {
        this.policy = p;
        return this;
    }

    /** Loads records as one import would; returns their ids in order. */
    public List<String> load(IdentityRecord... records) {
        warden.inventory().load(Arrays.asList(records), "test", "inventory.load", Map.of());
        List<String> ids = new ArrayList<>();
        for (IdentityRecord r : records) {
            ids.add(id(r.identity().externalId()));
        }
        return ids;
    }

    /** Imports AWS CLI fixtures from src/test/resources/discovery/aws through the real connector. */
    public void importAws(String... files) {
        List<Input> inputs = new ArrayList<>();
        for (String f : files) {
            inputs.add(Fixture.input("discovery/aws/" + f));
        }
        warden.importer().run("aws", inputs, ImportOptions.NONE, "test");
    }

    /** The id of the identity with {@code externalId}. */
    public String id(String externalId) {
        return warden.inventory()
                .list(new IdentityFilter(null, null, null, null, null, null, null, externalId, null, null), null, 10)
                .items()
                .get(0)
                .id();
    }

    /** Ingests usage events through the real ingester (one file). */
    public IngestRun usage(List<UsageEvent> events) {
        ObjectMapper m = Json.mapper();
        StringBuilder b = new StringBuilder();
        try {
            for (UsageEvent e : events) {
                b.append(m.writeValueAsString(e)).append('\n');
            }
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return ingester.run(
                EventLinesParser.NAME,
                List.of(Input.content("events.jsonl", b.toString().getBytes(StandardCharsets.UTF_8))),
                "test");
    }

    /** Evaluates now without writing. */
    public List<Finding> view() {
        return viewAsOf(clock.instant());
    }

    public List<Finding> viewAsOf(Instant asOf) {
        return posture.evaluateAsOf(
                        asOf, policy, new FindingFilter(null, null, EnumSet.allOf(FindingStatus.class), null, null))
                .findings();
    }

    /** Evaluates now and stores the result. */
    public Evaluation evaluate() {
        return posture.evaluate(policy, "test");
    }

    /** Every stored finding, whatever its status. */
    public List<Finding> stored() {
        List<Finding> out = new ArrayList<>();
        String cursor = null;
        do {
            var page = posture.list(
                    new FindingFilter(null, null, EnumSet.allOf(FindingStatus.class), null, null), cursor, 1000);
            out.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        return out;
    }

    public static List<Finding> of(List<Finding> findings, String checkId, String identityId) {
        return findings.stream()
                .filter(f -> f.checkId().equals(checkId) && f.identity().id().equals(identityId))
                .toList();
    }

    @Override
    public void close() {
        warden.close();
    }
}
