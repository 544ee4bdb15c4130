package dev.warden.app;

import dev.warden.audit.AuditLog;
import dev.warden.auth.TokenService;
import dev.warden.discovery.Connectors;
import dev.warden.discovery.Importer;
import dev.warden.http.HttpServer;
import dev.warden.inventory.Inventory;
import dev.warden.posture.Checks;
import dev.warden.posture.LeakSource;
import dev.warden.posture.Posture;
import dev.warden.posture.PosturePolicy;
import dev.warden.store.Database;
import dev.warden.usage.Ingester;
import dev.warden.usage.UsageParsers;
import java.time.Clock;
import java.time.Duration;

/**
 * The composition root: builds every component with plain constructors, in dependency order, and
 * owns their shutdown. The CLI and the server both start here, so neither reimplements the other.
 */
public final class Warden implements AutoCloseable {
    /** How long raw usage events are kept; their daily aggregates are kept for good. */
    static final Duration RAW_USAGE_RETENTION = Duration.ofDays(30);

    private final Database db;
    private final Clock clock;
    private final AuditLog audit;
    private final TokenService tokens;
    private final Inventory inventory;
    private final Importer importer;
    private final Ingester ingester;
    private final Posture posture;
    private HttpServer http;

    private Warden(Database db, Clock clock, PosturePolicy policy) {
        this.db = db;
        this.clock = clock;
        this.audit = new AuditLog(db, clock);
        this.tokens = new TokenService(db, audit, clock);
        this.inventory = new Inventory(db, audit, clock);
        this.importer = new Importer(db, inventory, audit, Connectors.builtIn(clock), clock);
        this.ingester = new Ingester(db, UsageParsers.builtIn(), audit, clock, RAW_USAGE_RETENTION);
        // NHI2 has no leak source until the secret scanner lands (see LeakSource).
        this.posture = new Posture(db, ingester.store(), LeakSource.NONE, audit, clock, Checks.builtIn(), policy);
    }

    /** Opens (and migrates) the store with the default posture policy; nothing listens yet. */
    public static Warden open(StoreLocation location, Clock clock) {
        return open(location, clock, PosturePolicy.defaults());
    }

    /** Opens (and migrates) the store; evaluations use {@code policy} unless told otherwise. */
    public static Warden open(StoreLocation location, Clock clock, PosturePolicy policy) {
        return new Warden(Database.open(location.db()), clock, policy);
    }

    /** Starts the HTTP server on {@code bind:port} (port 0 picks a free port). */
    public HttpServer serve(String bind, int port) {
        if (http != null) {
            throw new IllegalStateException("server already started");
        }
        http = httpServer();
        http.start(bind, port);
        return http;
    }

    /** The HTTP server over these components, built but not started. */
    public HttpServer httpServer() {
        return new HttpServer(db, inventory, importer, ingester, posture, tokens, audit, clock);
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

    public Importer importer() {
        return importer;
    }

    public Ingester ingester() {
        return ingester;
    }

    public Posture posture() {
        return posture;
    }

    @Override
    public void close() {
        if (http != null) {
            http.stop();
        }
        db.close();
    }
}
