package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.store.DbUrl;
import dev.warden.store.Dialect;
import dev.warden.testing.TestStores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the {@code warden} command line in-process, as a shell would, and captures what it prints. */
final class Cli {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Pattern LOADED = Pattern.compile(
            "demo estate: (\\d+) identities added, (\\d+) updated, (\\d+) unchanged \\((\\d+) in store (\\S+)\\)");

    private Cli() {}

    /** What one command printed, and its exit code. */
    record Result(int code, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }

        JsonNode json() {
            return Cli.json(out);
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /**
     * A store as the CLI names it: {@code --data-dir DIR} for SQLite, {@code --db URL} for PostgreSQL,
     * and the {@link DbUrl} tests use to reach the same database over JDBC.
     */
    record Store(Dialect dialect, List<String> args, DbUrl url) {
        /** A fresh, empty store of {@code dialect}; SQLite gets a new data directory under {@code dir}. */
        static Store fresh(Dialect dialect, Path dir) {
            if (dialect == Dialect.SQLITE) {
                return dataDir(dir.resolve("data-" + COUNTER.incrementAndGet()));
            }
            DbUrl pg = TestStores.freshPostgres();
            String redacted = pg.toString();
            String name = redacted.substring(redacted.lastIndexOf('/') + 1);
            // A data directory too: commands such as demo keep files there even when the store is PostgreSQL.
            return new Store(
                    Dialect.POSTGRESQL,
                    List.of(
                            "--db",
                            TestStores.postgresUrl(name),
                            "--data-dir",
                            dir.resolve("pgdata-" + COUNTER.incrementAndGet()).toString()),
                    pg);
        }

        /** The SQLite store in data directory {@code dataDir} (created on first use). */
        static Store dataDir(Path dataDir) {
            return new Store(
                    Dialect.SQLITE,
                    List.of("--data-dir", dataDir.toString()),
                    DbUrl.sqlite(dataDir.resolve("warden.db")));
        }

        /** Runs {@code command} (words and options) against this store. */
        Result run(String... command) {
            List<String> all = new ArrayList<>(Arrays.asList(command));
            all.addAll(args);
            return Cli.run(all.toArray(new String[0]));
        }
    }

    /** What one {@code warden demo --no-serve} reported. */
    record Loaded(int added, int updated, int unchanged, int inStore, String store) {
        static Loaded parse(Cli.Result r) {
            Matcher m = LOADED.matcher(r.out().strip().lines().findFirst().orElse(""));
            assertThat(m.matches()).as("%s", r).isTrue();
            return new Loaded(
                    Integer.parseInt(m.group(1)),
                    Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)),
                    m.group(5));
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args.clone(), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("output is not JSON: " + text, e);
        }
    }

    /** Exit 0 with nothing on stderr. */
    static Result assertOk(Result r) {
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.err()).as("%s", r).isEmpty();
        return r;
    }

    /**
     * Exit {@code code} with one error line on stderr ({@code warden: error: ...} containing {@code
     * fragment}), at most a one-line hint after it, nothing on stdout and no stack trace.
     */
    static void assertError(Result r, int code, String fragment) {
        assertThat(r.code()).as("%s", r).isEqualTo(code);
        assertThat(r.out()).as("%s", r).isEmpty();
        List<String> lines = r.errLines();
        assertThat(lines).as("%s", r).isNotEmpty().hasSizeLessThanOrEqualTo(2);
        assertThat(lines.get(0)).as("%s", r).startsWith("warden: error: ").contains(fragment);
        if (lines.size() == 2) {
            assertThat(lines.get(1))
                    .as("%s", r)
                    .matches(
                            "Try 'warden( [a-z]+)* --help' for more information\\.|warden: run with --verbose for details");
        }
        assertNoStackTrace(r);
    }

    static void assertNoStackTrace(Result r) {
        assertThat(r.err() + r.out())
                .as("%s", r)
                .doesNotContainPattern("(?m)^\\s+at [\\w$.]+\\(")
                .doesNotContain("Caused by:")
                .doesNotContain("Exception in thread");
    }
}
