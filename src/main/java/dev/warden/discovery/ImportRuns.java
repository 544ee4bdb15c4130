package dev.warden.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.input.ParseErrors;
import dev.warden.store.Database;
import dev.warden.store.JsonColumns;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for import runs. */
final class ImportRuns {
    private static final ObjectMapper MAPPER = ParseErrors.quiet(new ObjectMapper());
    private final Database db;

    ImportRuns(Database db) {
        this.db = db;
    }

    void insert(Handle h, ImportRun r) {
        h.createUpdate(
                        "INSERT INTO import_runs (id, source, actor, inputs, options, started_at, finished_at, status, added,"
                                + " updated, unchanged, removed, error, notes, skipped, skips) VALUES (:id, :source, :actor, :inputs,"
                                + " :options, :startedAt, :finishedAt, :status, :added, :updated, :unchanged, :removed,"
                                + " :error, :notes, :skipped, :skips)")
                .bind("id", r.id())
                .bind("source", r.source())
                .bind("actor", r.actor())
                .bind("inputs", json(r.inputs()))
                .bind("options", JsonColumns.write(r.options()))
                .bind("startedAt", r.startedAt().toEpochMilli())
                .bind("finishedAt", r.finishedAt().toEpochMilli())
                .bind("status", r.status())
                .bind("added", r.added())
                .bind("updated", r.updated())
                .bind("unchanged", r.unchanged())
                .bind("removed", r.removed())
                .bind("error", r.error())
                .bind("notes", json(r.notes()))
                .bind("skipped", r.skipped())
                .bind("skips", skipsJson(r.skips()))
                .execute();
    }

    List<ImportRun> list(int limit) {
        return db.withHandle(
                h -> h.createQuery("SELECT * FROM import_runs ORDER BY started_at DESC, id DESC LIMIT :limit")
                        .bind("limit", limit)
                        .map((rs, ctx) -> run(rs))
                        .list());
    }

    Optional<ImportRun> get(String id) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM import_runs WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> run(rs))
                .findOne());
    }

    private static String json(List<String> values) {
        try {
            return MAPPER.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String skipsJson(List<Skip> skips) {
        try {
            return MAPPER.writeValueAsString(skips);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Skip> skips(String json) {
        try {
            return MAPPER.readValue(json, new TypeReference<List<Skip>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored import run is corrupt", e);
        }
    }

    private static List<String> list(String json) {
        try {
            return MAPPER.readValue(json, new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored import run is corrupt", e);
        }
    }

    private static ImportRun run(ResultSet rs) throws SQLException {
        Instant started = Instant.ofEpochMilli(rs.getLong("started_at"));
        Instant finished = Instant.ofEpochMilli(rs.getLong("finished_at"));
        return new ImportRun(
                rs.getString("id"),
                rs.getString("source"),
                rs.getString("actor"),
                list(rs.getString("inputs")),
                JsonColumns.readStringMap(rs.getString("options")),
                started,
                finished,
                finished.toEpochMilli() - started.toEpochMilli(),
                rs.getString("status"),
                rs.getInt("added"),
                rs.getInt("updated"),
                rs.getInt("unchanged"),
                rs.getInt("removed"),
                rs.getString("error"),
                list(rs.getString("notes")),
                rs.getInt("skipped"),
                skips(rs.getString("skips")));
    }
}
