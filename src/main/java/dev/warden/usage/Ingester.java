package dev.warden.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.audit.AuditLog;
import dev.warden.input.Input;
import dev.warden.input.InputFiles;
import dev.warden.input.ParseErrors;
import dev.warden.store.Database;
import dev.warden.store.Ids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests activity logs: each file applies whole or not at all (its own savepoint inside a
 * transaction shared by a few consecutive files, {@link FileGroup}); events are folded into daily
 * aggregates in bounded memory; raw events are written in batches and kept for the retention
 * period. Files are parsed on a reader thread, which runs ahead across files, while the
 * transaction's thread folds and writes ({@link EventPipe}), so parsing and SQL overlap on two
 * cores.
 */
public final class Ingester {
    private static final Logger LOG = LoggerFactory.getLogger(Ingester.class);
    private static final Set<String> EXTENSIONS =
            Set.of(".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".log", ".log.gz", ".gz");
    private static final int PROBLEMS = 200;
    private static final ObjectMapper MAPPER = ParseErrors.quiet(new ObjectMapper());

    private final Database db;
    private final UsageStore store;
    private final UsageWrites writes;
    private final UsageParsers parsers;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration rawRetention;

    public Ingester(Database db, UsageParsers parsers, AuditLog audit, Clock clock, Duration rawRetention) {
        this.db = db;
        this.store = new UsageStore(db);
        this.writes = new UsageWrites(db.dialect());
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

    /** Now, by the ingester's clock. */
    public Instant now() {
        return clock.instant();
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
        UsageWrites.KnownIdentities known = new UsageWrites.KnownIdentities();
        Canon canon = new Canon();
        long rawCutoff = rawRetention.isZero()
                ? Long.MAX_VALUE
                : clock.instant().minus(rawRetention).toEpochMilli();
        ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "warden-ingest-reader");
            t.setDaemon(true);
            return t;
        });
        try (EventPipe<FileGroup.Folded> pipe =
                EventPipe.start(reader, parser, files, options, FileGroup.Folded::new)) {
            int[] next = {0};
            while (next[0] < files.size()) {
                FileGroup group = db.inTransaction(h -> {
                    FileGroup g = new FileGroup(h, writes, rawCutoff, id, canon);
                    while (next[0] < files.size() && !g.full()) {
                        g.add(pipe, files.get(next[0]++), PROBLEMS);
                    }
                    g.finish(known);
                    return g;
                });
                events += group.events;
                unmatched += group.unmatched;
                refused += group.refused;
                skipped += group.skipped;
                group.problems.forEach(x -> problem(problems, x));
            }
        } finally {
            reader.shutdownNow();
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
                problems);
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

    /** Keeps the first {@link #PROBLEMS} problems of a run; the rest are only counted. */
    private static void problem(List<String> problems, String problem) {
        if (problems.size() < PROBLEMS) {
            problems.add(problem);
        }
    }

    private static void insert(Handle h, IngestRun r) {
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
