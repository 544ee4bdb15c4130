package dev.warden.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.app.StoreLocation;
import dev.warden.app.Warden;
import dev.warden.store.DbUrl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's fingerprint key: sealed at rest, migrated from the clear row older stores hold. */
class ScanLedgerKeyTest {
    @TempDir
    Path dir;

    private Warden open() {
        return Warden.open(new StoreLocation(dir, DbUrl.sqlite(dir.resolve("w.db"))), RuleContractTest.CLOCK);
    }

    private static Map<String, String> settings(Warden w) {
        return w
                .db()
                .withHandle(h -> h.createQuery("SELECT name, value FROM settings")
                        .mapToMap()
                        .list())
                .stream()
                .collect(Collectors.toMap(r -> (String) r.get("name"), r -> (String) r.get("value")));
    }

    private static final byte[] SECRET = "ghp_not-really-a-token-but-bytes".getBytes(StandardCharsets.UTF_8);

    @Test
    void a_fresh_store_keeps_the_fingerprint_key_sealed_and_never_in_clear() {
        String first;
        try (Warden w = open()) {
            Fingerprinter f = w.scans().fingerprinter();
            first = f.fingerprint(SECRET);
            Map<String, String> s = settings(w);
            assertThat(s).doesNotContainKey(ScanLedger.CLEAR_SETTING);
            assertThat(s.get(ScanLedger.SEALED_SETTING)).startsWith("wsb1.");
            byte[] opened = w.secretBox().open(s.get(ScanLedger.SEALED_SETTING), ScanLedger.SEALED_CONTEXT);
            assertThat(s.values()).noneMatch(v -> v.contains(Base64.getEncoder().encodeToString(opened)));
        }
        try (Warden w = open()) { // the same key after a restart
            assertThat(w.scans().fingerprinter().fingerprint(SECRET)).isEqualTo(first);
        }
    }

    @Test
    void a_clear_key_from_an_older_store_is_sealed_on_first_use_and_fingerprints_stay_the_same() {
        byte[] oldKey = Fingerprinter.randomKey();
        String before = new Fingerprinter(oldKey, "store").fingerprint(SECRET);
        try (Warden w = open()) { // what an older version left: the key in clear
            w.db().inTransaction(h -> h.createUpdate("INSERT INTO settings (name, value) VALUES (:n, :v)")
                    .bind("n", ScanLedger.CLEAR_SETTING)
                    .bind("v", Base64.getEncoder().encodeToString(oldKey))
                    .execute());
        }
        try (Warden w = open()) {
            assertThat(w.scans().fingerprinter().fingerprint(SECRET)).isEqualTo(before);
            Map<String, String> s = settings(w);
            assertThat(s).doesNotContainKey(ScanLedger.CLEAR_SETTING).containsKey(ScanLedger.SEALED_SETTING);
            assertThat(s.values()).noneMatch(v -> v.contains(Base64.getEncoder().encodeToString(oldKey)));
        }
        try (Warden w = open()) {
            assertThat(w.scans().fingerprinter().fingerprint(SECRET)).isEqualTo(before);
            Hit hit = new Engine(
                            RuleSet.defaults(RuleContractTest.CLOCK), w.scans().fingerprinter())
                    .scan("a.env", "GITHUB_TOKEN=ghp_" + Samples.random(Samples.ALNUM, 36, 5), null, null)
                    .hits()
                    .get(0);
            assertThat(hit.fingerprint())
                    .isEqualTo(new Fingerprinter(oldKey, "store")
                            .fingerprint(hit.secret().getBytes(StandardCharsets.ISO_8859_1)));
        }
        assertThat(List.of(dir.toFile().list())).contains("master.key");
    }
}
