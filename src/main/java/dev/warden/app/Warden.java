package dev.warden.app;

import dev.warden.audit.AuditLog;
import dev.warden.auth.TokenService;
import dev.warden.broker.Broker;
import dev.warden.broker.BrokerFindings;
import dev.warden.broker.ca.CertificateAuthority;
import dev.warden.broker.issue.Issuers;
import dev.warden.broker.issue.StaticRoles;
import dev.warden.broker.lease.Leases;
import dev.warden.discovery.Connectors;
import dev.warden.discovery.Importer;
import dev.warden.http.HttpServer;
import dev.warden.inventory.IdentityDetails;
import dev.warden.inventory.Inventory;
import dev.warden.keys.SecretBox;
import dev.warden.policy.SighupReload;
import dev.warden.posture.Finding;
import dev.warden.posture.LeakSighting;
import dev.warden.posture.LeakSource;
import dev.warden.posture.Posture;
import dev.warden.posture.PosturePolicy;
import dev.warden.posture.Signal;
import dev.warden.posture.SignalSource;
import dev.warden.posture.checks.BuiltInChecks;
import dev.warden.scan.Leak;
import dev.warden.scan.ScanLedger;
import dev.warden.scan.Scans;
import dev.warden.store.Database;
import dev.warden.usage.Ingester;
import dev.warden.usage.RawRetention;
import dev.warden.usage.UsageParsers;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every component with plain constructors, in dependency order, and
 * owns their shutdown. The CLI and the server both start here, so neither reimplements the other.
 */
public final class Warden implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Warden.class);

    private final Database db;
    private final Clock clock;
    private final AuditLog audit;
    private final TokenService tokens;
    private final Inventory inventory;
    private final Importer importer;
    private final Ingester ingester;
    private final Broker broker;
    private final Leases leases;
    private final StaticRoles staticRoles;
    private final WardenConfig config;
    private final ScanLedger scanLedger;
    private final Scans scans;
    private final Posture posture;
    private final IdentityDetails<Leak, Finding> identityDetails;
    private final StoreLocation location;
    private SecretBox secretBox;
    private HttpServer http;
    private ScheduledExecutorService scheduler;

    private Warden(
            Database db,
            Clock clock,
            StoreLocation location,
            WardenConfig config,
            PosturePolicy policy,
            RawRetention rawRetention) {
        this.db = db;
        this.clock = clock;
        this.location = location;
        this.audit = new AuditLog(db, clock);
        this.tokens = new TokenService(db, audit, clock);
        this.inventory = new Inventory(db, audit, clock);
        this.importer = new Importer(db, inventory, audit, Connectors.builtIn(clock), clock);
        this.ingester = new Ingester(db, UsageParsers.builtIn(), audit, clock, rawRetention.duration());
        SecretBox box = config.broker() == null ? null : secretBox();
        CertificateAuthority ca = config.broker() == null || config.broker().ca() == null
                ? null
                : new CertificateAuthority(config.broker().ca(), db, box, audit, clock);
        this.leases = config.broker() == null
                ? null
                : new Leases(
                        db,
                        audit,
                        Issuers.builtIn(config.broker().postgresql(), ca, db, clock),
                        box,
                        clock,
                        config.broker().leases());
        this.broker = config.broker() == null ? null : new Broker(config.broker(), db, audit, box, clock, ca, leases);
        this.staticRoles = leases == null ? null : new StaticRoles(db, audit, leases.issuers(), clock);
        this.config = config;
        this.scanLedger = new ScanLedger(db, audit, clock, this::secretBox);
        this.scans = new Scans(scanLedger, clock);
        this.posture = new Posture(
                db,
                ingester.store(),
                leakSource(scanLedger),
                signalSource(new BrokerFindings(db)),
                audit,
                clock,
                BuiltInChecks.registry(),
                policy);
        this.identityDetails = new IdentityDetails<>(inventory, scanLedger::leaksForIdentity, posture::forIdentity);
    }

    /** NHI2 reads the scanner's linked hits: posture and scan stay independent of each other. */
    private static LeakSource leakSource(ScanLedger scans) {
        return (identityIds, asOf) -> scans.leaksFor(identityIds, asOf).stream()
                .map(l -> new LeakSighting(
                        l.identityId(),
                        l.credentialId(),
                        l.fingerprint(),
                        l.rule(),
                        l.file() + ":" + l.line()
                                + (l.commit() == null
                                        ? ""
                                        : " @ "
                                                + l.commit()
                                                        .substring(
                                                                0,
                                                                Math.min(
                                                                        12,
                                                                        l.commit()
                                                                                .length()))),
                        l.foundAt(),
                        // a hit outside history was found in the files as they are: still present
                        l.commit() == null ? Boolean.TRUE : l.presentAtHead()))
                .toList();
    }

    /** Posture weighs what the broker raised on workloads (refused token replays). */
    private static SignalSource signalSource(BrokerFindings broker) {
        return (identityIds, asOf) -> broker.forIdentities(identityIds, asOf).stream()
                .map(e -> new Signal(e.identityId(), e.kind(), e.id(), e.at(), e.evidence()))
                .toList();
    }

    /** Opens (and migrates) the store with the default posture policy; nothing listens yet. */
    public static Warden open(StoreLocation location, Clock clock) {
        return open(location, clock, WardenConfig.none(), PosturePolicy.defaults());
    }

    /** Opens the store and builds the components {@code config} enables (the broker). */
    public static Warden open(StoreLocation location, Clock clock, WardenConfig config) {
        return open(location, clock, config, PosturePolicy.defaults());
    }

    /** Opens the store; posture evaluations use {@code policy} unless told otherwise. */
    public static Warden open(StoreLocation location, Clock clock, PosturePolicy policy) {
        return open(location, clock, WardenConfig.none(), policy);
    }

    /** Opens the store, builds what {@code config} enables (the broker) and evaluates posture with {@code policy}. */
    public static Warden open(StoreLocation location, Clock clock, WardenConfig config, PosturePolicy policy) {
        // refused before the store is opened: a bad setting names itself and changes nothing
        RawRetention rawRetention = RawRetention.fromEnvironment();
        Database db = Database.open(location.db());
        try {
            return new Warden(db, clock, location, config, policy, rawRetention);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** Starts the HTTP server on {@code bind:port} (port 0 picks a free port) and the background tasks. */
    public HttpServer serve(String bind, int port) {
        if (http != null) {
            throw new IllegalStateException("server already started");
        }
        http = httpServer();
        http.start(bind, port);
        if (broker != null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "warden-scheduler");
                t.setDaemon(true);
                return t;
            });
            scheduler.scheduleWithFixedDelay(
                    () -> {
                        try {
                            broker.tick();
                        } catch (RuntimeException e) {
                            LOG.warn("event=broker_tick_failed error=\"{}\"", e.getMessage());
                        }
                    },
                    1,
                    1,
                    TimeUnit.MINUTES);
        }
        if (leases != null) {
            // Reconcile first (interrupted issuances, expiries missed while down, orphans), then reap.
            scheduler.execute(() -> guarded("lease_reconcile", leases::reconcile));
            long every = leases.settings().reaperInterval().toMillis();
            scheduler.scheduleWithFixedDelay(
                    () -> guarded("lease_reap", leases::reap), every, every, TimeUnit.MILLISECONDS);
            if (!staticRoles.isEmpty()) {
                scheduler.scheduleWithFixedDelay(
                        () -> guarded("static_rotation", staticRoles::rotateDue), 0, 1, TimeUnit.MINUTES);
            }
        }
        return http;
    }

    private static void guarded(String task, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("event={}_failed error=\"{}\"", task, e.getMessage());
        }
    }

    /** The HTTP server over these components, built but not started. */
    public HttpServer httpServer() {
        return new HttpServer(
                db,
                inventory,
                importer,
                ingester,
                identityDetails,
                scans,
                posture,
                tokens,
                audit,
                clock,
                broker,
                leases,
                config.tls());
    }

    /** Reloads policies on SIGHUP (server processes only; optional where the JVM forbids it). */
    public void installSignalHandlers() {
        if (broker != null) {
            SighupReload.install(broker.policies());
        }
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

    /** One identity with its leaks and findings, as the CLI and the API show it. */
    public IdentityDetails<Leak, Finding> identityDetails() {
        return identityDetails;
    }

    public Importer importer() {
        return importer;
    }

    public Ingester ingester() {
        return ingester;
    }

    /** The broker, or null when {@code warden.yaml} does not configure one. */
    public Broker broker() {
        return broker;
    }

    /** The lease service, or null when {@code warden.yaml} configures no broker. */
    public Leases leases() {
        return leases;
    }

    /**
     * The box sealing the secret material this store keeps, opened on first use (so commands that
     * keep no secret never create or read the master key).
     */
    public synchronized SecretBox secretBox() {
        if (secretBox == null) {
            secretBox = SecretBox.open(db, location.dataDir());
        }
        return secretBox;
    }

    /** Secret scans against this store: hits linked to the inventory and recorded. */
    public Scans scans() {
        return scans;
    }

    public Posture posture() {
        return posture;
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (http != null) {
            http.stop();
        }
        if (leases != null) {
            leases.close();
        }
        if (broker != null) {
            broker.close();
        }
        db.close();
    }
}
