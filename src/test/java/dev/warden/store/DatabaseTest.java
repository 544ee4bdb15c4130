package dev.warden.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Stores that cannot be opened fail fast with one clear line and no secret. */
class DatabaseTest {
    @TempDir
    Path dir;

    @Test
    void a_new_sqlite_store_is_created_and_migrated_and_reopens() {
        Path file = dir.resolve("nested/data/warden.db");
        try (Database db = Database.open(DbUrl.sqlite(file))) {
            assertThat(db.isReady()).isTrue();
        }
        try (Database db = Database.open(DbUrl.sqlite(file))) {
            long count = db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM identities")
                    .mapTo(Long.class)
                    .one());
            assertThat(count).isZero();
        }
    }

    @Test
    void a_corrupt_sqlite_file_is_named_as_such() throws Exception {
        Path file = dir.resolve("warden.db");
        byte[] junk = new byte[64 * 1024];
        new Random(7).nextBytes(junk);
        Files.write(file, junk);
        assertThatThrownBy(() -> Database.open(DbUrl.sqlite(file)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a database");
    }

    @Test
    void a_data_directory_that_is_a_file_or_a_store_that_is_a_directory_is_refused() throws Exception {
        Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
        assertThatThrownBy(() -> Database.open(DbUrl.sqlite(notADir.resolve("warden.db"))))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot create data directory");
        Path dirAsFile = Files.createDirectories(dir.resolve("warden.db"));
        assertThatThrownBy(() -> Database.open(DbUrl.sqlite(dirAsFile)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("is a directory");
    }

    @Test
    @Timeout(30)
    void an_unreachable_postgresql_fails_fast_without_showing_its_password() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        DbUrl url = DbUrl.parse("postgresql://warden:hunter2secret@127.0.0.1:" + closedPort + "/warden");
        assertThatThrownBy(() -> Database.open(url))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot connect to postgresql://warden:***@127.0.0.1:" + closedPort + "/warden")
                .satisfies(e -> assertThat(e.getMessage())
                        .doesNotContain("hunter2secret")
                        .doesNotContain("\n"));
    }

    @Test
    @Timeout(30)
    void a_server_that_is_not_postgresql_fails_fast() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        silent.accept()
                                .getOutputStream()
                                .write("HTTP/1.1 400 Bad Request\r\n\r\n"
                                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    }
                } catch (java.io.IOException e) {
                    // socket closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            assertThatThrownBy(() ->
                            Database.open(DbUrl.parse("postgresql://u@127.0.0.1:" + silent.getLocalPort() + "/db")))
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("cannot connect to postgresql://u@127.0.0.1:");
        }
    }
}
