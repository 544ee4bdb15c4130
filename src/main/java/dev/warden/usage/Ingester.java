package dev.warden.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.audit.AuditLog;
import dev.warden.discovery.Input;
import dev.warden.discovery.InputFiles;
import dev.warden.inventory.Ids;
import dev.warden.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests activity logs: each file is one transaction (its events all apply, or, if the file is
 * refused, none), events are folded into daily aggregates in memory bounded by their distinct
 * dimensions, raw events are written in batches and kept for the retention period.
 */
public final class Ingester {
    private static final Logger LOG = LoggerFactory.getLogger(Ingester.class);
    private static final Set<String> EXTENSIONS =
            Set.of(".json", ".json.gz", ".jsonl", ".jsonl.gz", ".log", ".log.gz", ".gz");
    private static final int RAW_BATCH = 5_000;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Database db;
    private final UsageStore store;
    private final UsageParsers parsers;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration rawRetention;

    public Ingester(Database db, UsageParsers parsers, AuditLog audit, Clock clock, Duration rawRetention) {
        this.db = db;
        this.store = new UsageStore(db);
        this.parsers = parsers;
        this.audit = audit;
        this.clock = clock;
        this.rawRetention = rawRetention;
    }

    public UsageParsers parsers() {
        return parsers;
    }

    public UsageStore store() {
        return store;
    }

    /** Ingests {@code inputs} in {@code format} with no options; see {@link #run(String, List, UsageOptions, String)}. */
    public IngestRun run(String format, List<Input> inputs, String actor) {
        return run(format, inputs, UsageOptions.NONE, actor);
    }

    /**
     * Ingests {@code inputs} in {@code format}, passing {@code options} to the parser. A file the
     * parser refuses is reported and skipped; the others apply.
     *
     * @throws IllegalArgumentException for an unknown format, when no input file exists, or when the
     *     format needs an option {@code options} lacks (nothing is applied then)
     */
    public IngestRun run(String format, List<Input> inputs, UsageOptions options, String actor) {
        UsageParser parser = parsers.require(format);
        List<Input> files = InputFiles.expand(inputs, EXTENSIONS);
        Instant started = clock.instant();
        String id = Ids.next();
        long events = 0;
        long skipped = 0;
        long unmatched = 0;
        int refused = 0;
        List<String> problems = new ArrayList<>();
        for (Input file : files) {
            Skips skips = new Skips();
            try {
                long[] applied = db.inTransaction(h -> ingestFile(h, parser, file, options, skips, id));
                events += applied[0];
                unmatched += applied[1];
            } catch (UsageException e) {
                refused++;
                problems.add(e.getMessage());
            }
            skipped += skips.count();
            skips.examples().forEach(problems::add);
        }
        store.pruneEvents(clock.instant().minus(rawRetention));
        String status =
                refused == 0 ? IngestRun.SUCCEEDED : refused == files.size() ? IngestRun.FAILED : IngestRun.PARTIAL;
        IngestRun run = new IngestRun(
                id,
                format,
                actor,
                started,
                clock.instant(),
                status,
                files.size(),
                events,
                skipped,
                unmatched,
                problems.size() > 200 ? problems.subList(0, 200) : problems);
        db.inTransaction(h -> {
            insert(h, run);
            audit.append(
                    h,
                    actor,
                    "usage.ingest",
                    "usage_ingest",
                    id,
                    Map.of(
                            "format",
                            format,
                            "files",
                            Integer.toString(files.size()),
                            "events",
                            Long.toString(run.events()),
                            "skipped",
                            Long.toString(run.skipped()),
                            "status",
                            status));
            return null;
        });
        LOG.info(
                "event=ingest format={} run={} files={} events={} skipped={} unmatched={} status={}",
                format,
                id,
                files.size(),
                events,
                skipped,
                unmatched,
                status);
        return run;
    }

    /** Returns {events applied, events of unknown identities}. */
    private long[] ingestFile(
            org.jdbi.v3.core.Handle h,
            UsageParser parser,
            Input file,
            UsageOptions options,
            Skips skips,
            String ingestId) {
        Map<String, UsageStore.Daily> daily = new HashMap<>();
        Map<List<String>, Long> byIdentity = new HashMap<>();
        List<UsageEvent> raw = new ArrayList<>(RAW_BATCH);
        long[] count = {0};
        boolean keepRaw = !rawRetention.isZero();
        parser.parse(
                file,
                options,
                e -> {
                    UsageStore.Daily d = new UsageStore.Daily(e);
                    daily.computeIfAbsent(d.hash(), k -> d).add(e);
                    byIdentity.merge(List.of(e.sourceType(), e.scope(), e.principal()), 1L, Long::sum);
                    count[0]++;
                    if (keepRaw) {
                        raw.add(e);
                        if (raw.size() == RAW_BATCH) {
                            store.addEvents(h, raw, ingestId);
                            raw.clear();
                        }
                    }
                },
                skips);
        store.addEvents(h, raw, ingestId);
        store.addDaily(h, daily.values());
        return new long[] {count[0], store.countUnknown(h, byIdentity)};
    }

    private static void insert(org.jdbi.v3.core.Handle h, IngestRun r) {
        h.createUpdate(
                        "INSERT INTO usage_ingests (id, format, actor, started_at, finished_at, status, files, events, skipped,"
                                + " unmatched, problems) VALUES (:id, :format, :actor, :startedAt, :finishedAt, :status, :files, :events,"
                                + " :skipped, :unmatched, :problems)")
                .bind("id", r.id())
                .bind("format", r.format())
                .bind("actor", r.actor())
                .bind("startedAt", r.startedAt().toEpochMilli())
                .bind("finishedAt", r.finishedAt().toEpochMilli())
                .bind("status", r.status())
                .bind("files", r.files())
                .bind("events", r.events())
                .bind("skipped", r.skipped())
                .bind("unmatched", r.unmatched())
                .bind("problems", json(r.problems()))
                .execute();
    }

    /** Recent ingestions, newest first. */
    public List<IngestRun> runs(int limit) {
        return db.withHandle(
                h -> h.createQuery("SELECT * FROM usage_ingests ORDER BY started_at DESC, id DESC LIMIT :limit")
                        .bind("limit", limit)
                        .map((rs, ctx) -> run(rs))
                        .list());
    }

    private static IngestRun run(ResultSet rs) throws SQLException {
        List<String> problems;
        try {
            problems = MAPPER.readValue(rs.getString("problems"), new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored ingest run is corrupt", e);
        }
        return new IngestRun(
                rs.getString("id"),
                rs.getString("format"),
                rs.getString("actor"),
                Instant.ofEpochMilli(rs.getLong("started_at")),
                Instant.ofEpochMilli(rs.getLong("finished_at")),
                rs.getString("status"),
                rs.getInt("files"),
                rs.getLong("events"),
                rs.getLong("skipped"),
                rs.getLong("unmatched"),
                problems);
    }

    private static String json(List<String> values) {
        try {
            return MAPPER.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
