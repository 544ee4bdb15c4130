package dev.warden.app;

import dev.warden.audit.AuditLog;
import dev.warden.auth.TokenService;
import dev.warden.http.HttpServer;
import dev.warden.inventory.Inventory;
import dev.warden.scan.ScanLedger;
import dev.warden.store.Database;
import java.time.Clock;

/**
 * The composition root: builds every component with plain constructors, in dependency order, and
 * owns their shutdown. The CLI and the server both start here, so neither reimplements the other.
 */
public final class Warden implements AutoCloseable {
    private final Database db;
    private final Clock clock;
    private final AuditLog audit;
    private final TokenService tokens;
    private final Inventory inventory;
    private final ScanLedger scans;
    private HttpServer http;

    private Warden(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.audit = new AuditLog(db, clock);
        this.tokens = new TokenService(db, audit, clock);
        this.inventory = new Inventory(db, audit, clock);
        this.scans = new ScanLedger(db, audit, clock);
    }

    /** Opens (and migrates) the store; nothing listens yet. */
    public static Warden open(StoreLocation location, Clock clock) {
        return new Warden(Database.open(location.db()), clock);
    }

    /** Starts the HTTP server on {@code bind:port} (port 0 picks a free port). */
    public HttpServer serve(String bind, int port) {
        if (http != null) {
            throw new IllegalStateException("server already started");
        }
        http = new HttpServer(db, inventory, tokens, audit, scans, clock);
        http.start(bind, port);
        return http;
    }

    public Database db() {
        return db;
    }

    public Clock clock() {
        return clock;
    }

    public AuditLog audit() {
        return audit;
    }

    public TokenService tokens() {
        return tokens;
    }

    public Inventory inventory() {
        return inventory;
    }

    public ScanLedger scans() {
        return scans;
    }

    @Override
    public void close() {
        if (http != null) {
            http.stop();
        }
        db.close();
    }
}
