package dev.warden.discovery;

import dev.warden.audit.AuditLog;
import dev.warden.input.Input;
import dev.warden.input.InputException;
import dev.warden.inventory.Inventory;
import dev.warden.store.Database;
import dev.warden.store.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an import: the connector reads its inputs (nothing is written yet), then one transaction
 * loads the records, marks removed what the covered parts of the source no longer list, records
 * the run and audits it. A connector error writes nothing but a failed run record.
 */
public final class Importer {
    private static final Logger LOG = LoggerFactory.getLogger(Importer.class);
    private static final int MAX_NOTES = 200;

    private final Database db;
    private final Inventory inventory;
    private final AuditLog audit;
    private final Connectors connectors;
    private final ImportRuns runs;
    private final Clock clock;

    public Importer(Database db, Inventory inventory, AuditLog audit, Connectors connectors, Clock clock) {
        this.db = db;
        this.inventory = inventory;
        this.audit = audit;
        this.connectors = connectors;
        this.runs = new ImportRuns(db);
        this.clock = clock;
    }

    public Connectors connectors() {
        return connectors;
    }

    /**
     * Imports {@code inputs} from {@code source}.
     *
     * @throws IllegalArgumentException (a {@link InputException} for unreadable input) with
     *     the store unchanged except for the failed run's record
     */
    public ImportRun run(String source, List<Input> inputs, ImportOptions options, String actor) {
        Connector connector = connectors.require(source);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("nothing to import: give at least one file, directory or URL");
        }
        Instant started = clock.instant();
        List<String> names = inputs.stream().map(Input::name).toList();
        Map<String, String> shownOptions = new LinkedHashMap<>();
        if (options.environment() != null) {
            shownOptions.put("environment", options.environment());
        }
        if (options.cluster() != null) {
            shownOptions.put("cluster", options.cluster());
        }
        if (options.strict()) {
            shownOptions.put("strict", "true");
        }
        Discovery discovery;
        try {
            discovery = connector.discover(inputs, options);
        } catch (IllegalArgumentException e) {
            recordFailure(source, actor, names, shownOptions, started, e.getMessage());
            throw e;
        }
        String runId = Ids.next();
        List<String> notes = discovery.notes().size() > MAX_NOTES
                ? List.copyOf(discovery.notes().subList(0, MAX_NOTES))
                : discovery.notes();
        ImportRun run = db.inTransaction(h -> {
            Inventory.LoadResult loaded = inventory.load(h, discovery.records(), runId);
            int removed = 0;
            for (Coverage c : discovery.coverage()) {
                removed += inventory.markRemoved(h, c.sourceType(), c.scope(), c.kind(), c.externalIdPrefix(), runId);
            }
            Instant finished = clock.instant();
            ImportRun r = new ImportRun(
                    runId,
                    source,
                    actor,
                    names,
                    shownOptions,
                    started,
                    finished,
                    finished.toEpochMilli() - started.toEpochMilli(),
                    ImportRun.SUCCEEDED,
                    loaded.added(),
                    loaded.updated(),
                    loaded.unchanged(),
                    removed,
                    null,
                    notes,
                    discovery.skipped(),
                    discovery.skips());
            runs.insert(h, r);
            Map<String, String> details = new LinkedHashMap<>();
            details.put("source", source);
            details.put("inputs", String.join(", ", names));
            details.put("added", Integer.toString(r.added()));
            details.put("updated", Integer.toString(r.updated()));
            details.put("unchanged", Integer.toString(r.unchanged()));
            details.put("removed", Integer.toString(r.removed()));
            details.put("skipped", Integer.toString(r.skipped()));
            audit.append(h, actor, "import.run", "import", runId, details);
            return r;
        });
        LOG.info(
                "event=import source={} run={} added={} updated={} unchanged={} removed={} skipped={} ms={}",
                source,
                run.id(),
                run.added(),
                run.updated(),
                run.unchanged(),
                run.removed(),
                run.skipped(),
                run.durationMs());
        return run;
    }

    private void recordFailure(
            String source,
            String actor,
            List<String> names,
            Map<String, String> options,
            Instant started,
            String error) {
        Instant finished = clock.instant();
        String message =
                error == null ? "import failed" : error.length() > 2000 ? error.substring(0, 2000) + "…" : error;
        ImportRun failed = new ImportRun(
                Ids.next(),
                source,
                actor,
                names,
                options,
                started,
                finished,
                finished.toEpochMilli() - started.toEpochMilli(),
                ImportRun.FAILED,
                0,
                0,
                0,
                0,
                message,
                List.of(),
                0,
                List.of());
        db.inTransaction(h -> {
            runs.insert(h, failed);
            audit.append(h, actor, "import.failed", "import", failed.id(), Map.of("source", source, "error", message));
            return null;
        });
    }

    /** Recent runs, newest first. */
    public List<ImportRun> runs(int limit) {
        return runs.list(limit);
    }

    public Optional<ImportRun> run(String id) {
        return runs.get(id);
    }
}
