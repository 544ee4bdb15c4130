package dev.warden.cli;

import dev.warden.app.StoreLocation;
import dev.warden.app.Warden;
import dev.warden.posture.PosturePolicy;
import java.time.Clock;
import picocli.CommandLine.Option;

/** {@code --data-dir} and {@code --db}, shared by every command that opens the store. */
final class StoreOptions {
    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Data directory (embedded SQLite store). Default: $WARDEN_DATA_DIR or ./warden-data.")
    String dataDir;

    @Option(
            names = "--db",
            paramLabel = "URL",
            description =
                    "Store URL: postgresql://user@host:port/db or sqlite:PATH. Default: $WARDEN_DB, else SQLite in the data directory.")
    String db;

    @Option(names = "--verbose", description = "Show stack traces on errors.")
    boolean verbose;

    StoreLocation location() {
        return StoreLocation.resolve(dataDir, db);
    }

    Warden open() {
        return Warden.open(location(), Clock.systemUTC());
    }

    /** Opens the store with a posture policy other than the defaults. */
    Warden open(PosturePolicy policy) {
        return Warden.open(location(), Clock.systemUTC(), policy);
    }
}
