package dev.warden.cli;

import static dev.warden.cli.Cli.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stores that cannot be opened: exit 2, one line naming the store, no stack trace, no hang, and never
 * the password from the URL.
 */
class StoreErrorTest {
    private static final String PASSWORD = "s3cretpw";

    /** Far below any test timeout: a connection attempt that takes longer is a hang. */
    private static final Duration NO_HANG = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"identities list", "identities show x", "token create --role admin", "audit verify"})
    void an_unsupported_url_scheme_is_rejected(String command) {
        Cli.Result r = run(command, "--db", "mysql://x");

        assertError(r, 2, "unsupported database URL scheme 'mysql'");
    }

    @Test
    void a_postgresql_url_without_a_host_is_rejected() {
        assertError(run("identities list", "--db", "postgresql://"), 2, "postgresql URL");
    }

    @Test
    void a_postgresql_url_without_a_database_is_rejected() {
        assertError(run("identities list", "--db", "postgresql://host/"), 2, "must name one database");
    }

    @Test
    void a_bad_url_is_rejected_without_echoing_its_password() {
        for (String url : List.of(
                "postgresql://u:" + PASSWORD + "@/db",
                "postgresql://u:" + PASSWORD + "@host/",
                "postgresql://u:" + PASSWORD + "@host/a/b",
                "postgresql://u:" + PASSWORD + "%zz@host/db",
                "postgresql://u:" + PASSWORD + " x@host/db",
                "postgresql://u@host/db?password=" + PASSWORD + "&bad%20key=1",
                "mysql://u:" + PASSWORD + "@host/db")) {
            Cli.Result r = run("identities list", "--db", url);

            assertError(r, 2, "URL");
            assertThat(r.out() + r.err()).as("%s", url).doesNotContain(PASSWORD);
        }
    }

    @Test
    void an_unreachable_postgresql_server_fails_fast_without_showing_the_password() {
        String url = "postgresql://u:" + PASSWORD + "@127.0.0.1:1/db";

        Cli.Result r = assertTimeoutPreemptively(NO_HANG, () -> run("identities list", "--db", url));

        assertError(r, 2, "cannot connect to postgresql://u:***@127.0.0.1:1/db");
        assertThat(r.out() + r.err()).doesNotContain(PASSWORD);
    }

    @Test
    void verbose_output_for_an_unreachable_server_does_not_show_the_password_either() {
        String url = "postgresql://u:" + PASSWORD + "@127.0.0.1:1/db";

        Cli.Result r = assertTimeoutPreemptively(NO_HANG, () -> run("identities list", "--verbose", "--db", url));

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines().get(0)).startsWith("warden: error: cannot connect to");
        assertThat(r.out() + r.err()).doesNotContain(PASSWORD);
    }

    @Test
    void a_postgresql_server_that_never_answers_fails_within_seconds() throws IOException {
        try (ServerSocket silent = new ServerSocket(0)) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (!silent.isClosed()) {
                        accepted.add(silent.accept()); // hold the connection open, never reply
                    }
                } catch (IOException e) {
                    // the server socket was closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String url = "postgresql://u:" + PASSWORD + "@127.0.0.1:" + silent.getLocalPort() + "/db";
            try {
                Cli.Result r = assertTimeoutPreemptively(NO_HANG, () -> run("identities list", "--db", url));

                assertError(r, 2, "cannot connect to postgresql://u:***@127.0.0.1:");
                assertThat(r.out() + r.err()).doesNotContain(PASSWORD);
            } finally {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }

    @Test
    void a_corrupt_sqlite_file_is_reported_as_not_a_database() throws IOException {
        Path dataDir = Files.createDirectories(dir.resolve("corrupt"));
        byte[] junk = new byte[64 * 1024];
        new Random(42).nextBytes(junk);
        Files.write(dataDir.resolve("warden.db"), junk);

        Cli.Result r = run("identities list", "--data-dir", dataDir.toString());

        assertError(r, 2, "file is not a database");
        assertThat(r.errLines().get(0)).contains(dataDir.resolve("warden.db").toString());
        assertThat(Files.readAllBytes(dataDir.resolve("warden.db")))
                .as("left as it was")
                .isEqualTo(junk);
    }

    @Test
    void a_data_dir_that_is_a_regular_file_is_an_error() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "hello\n");

        Cli.Result r = run("identities list", "--data-dir", file.toString());

        assertError(r, 2, file.toString());
        assertThat(Files.readString(file)).isEqualTo("hello\n");
    }

    @Test
    void a_sqlite_url_naming_a_directory_is_an_error() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("a-directory"));

        Cli.Result r = run("identities list", "--db", "sqlite:" + sub);

        assertError(r, 2, "it is a directory");
    }

    private static Cli.Result run(String command, String... options) {
        List<String> args = new ArrayList<>(List.of(command.split(" ", -1)));
        args.addAll(List.of(options));
        return Cli.run(args.toArray(new String[0]));
    }
}
