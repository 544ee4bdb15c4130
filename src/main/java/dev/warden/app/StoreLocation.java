package dev.warden.app;

import dev.warden.store.DbUrl;
import java.nio.file.Path;

/**
 * Where the store is: {@code --db URL} (or {@code WARDEN_DB}) when given, else SQLite in the data
 * directory ({@code --data-dir}, {@code WARDEN_DATA_DIR}, default {@code ./warden-data}).
 */
public record StoreLocation(Path dataDir, DbUrl db) {
    public static final String DEFAULT_DATA_DIR = "warden-data";
    public static final String SQLITE_FILE = "warden.db";

    /** Resolves flags, then environment, then defaults; throws IllegalArgumentException on a bad URL. */
    public static StoreLocation resolve(String dataDirFlag, String dbFlag) {
        String dir = firstNonBlank(dataDirFlag, System.getenv("WARDEN_DATA_DIR"), DEFAULT_DATA_DIR);
        Path dataDir = Path.of(dir).toAbsolutePath().normalize();
        String url = firstNonBlank(dbFlag, System.getenv("WARDEN_DB"), null);
        return new StoreLocation(dataDir, url == null ? DbUrl.sqlite(dataDir.resolve(SQLITE_FILE)) : DbUrl.parse(url));
    }

    private static String firstNonBlank(String a, String b, String fallback) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        if (b != null && !b.isBlank()) {
            return b;
        }
        return fallback;
    }
}
