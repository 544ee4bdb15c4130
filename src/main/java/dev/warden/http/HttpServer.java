package dev.warden.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.audit.AuditLog;
import dev.warden.auth.ApiToken;
import dev.warden.auth.TokenService;
import dev.warden.broker.Broker;
import dev.warden.broker.lease.Leases;
import dev.warden.config.Json;
import dev.warden.discovery.Importer;
import dev.warden.inventory.IdentityDetails;
import dev.warden.inventory.Inventory;
import dev.warden.posture.Finding;
import dev.warden.posture.Posture;
import dev.warden.scan.Leak;
import dev.warden.scan.Scans;
import dev.warden.store.Database;
import dev.warden.store.StoreException;
import dev.warden.usage.Ingester;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.OutputStream;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warden's HTTP server: the REST API under {@code /v1}, health, metrics and the OpenAPI document.
 * Every route comes from {@link #routes()}; each non-public route checks its bearer token and
 * permission before its handler runs. Every error is {@code application/problem+json}.
 */
public final class HttpServer {
    /** Largest JSON request body accepted, in bytes (imports take up to {@link ImportRoutes#MAX_IMPORT}). */
    public static final long MAX_BODY = 1_048_576;

    static final String PROBLEM_JSON = "application/problem+json";
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private static final String TOKEN_ATTRIBUTE = "warden.token";

    private final ObjectMapper mapper = Json.mapper();
    private final Callers callers;
    private final Metrics metrics;
    private final List<Route> routes;
    private final Broker broker;
    private final TlsConfig tls;
    private Javalin app;
    private ServerConnector tlsConnector;

    /**
     * The server over these components; the broker's routes are served by {@code broker} (null:
     * they answer that the broker is off), leased credentials by {@code leases} (null: off) and, when {@code tls} is given, an HTTPS listener asks
     * for client certificates issued by the x509 attestors' CAs.
     */
    public HttpServer(
            Database db,
            Inventory inventory,
            Importer importer,
            Ingester ingester,
            IdentityDetails<Leak, Finding> identities,
            Scans scans,
            Posture posture,
            TokenService tokens,
            AuditLog audit,
            Clock clock,
            Broker broker,
            Leases leases,
            TlsConfig tls) {
        this.callers = new Callers(tokens);
        this.metrics = new Metrics();
        this.broker = broker;
        this.tls = tls;
        List<Route> all = new ArrayList<>();
        all.addAll(new SystemRoutes(db, metrics, OpenApi.load(mapper)).routes());
        all.addAll(new IdentityRoutes(inventory, identities, mapper).routes());
        all.addAll(new ImportRoutes(importer).routes());
        all.addAll(new UsageRoutes(ingester).routes());
        all.addAll(new FindingRoutes(posture, mapper, clock).routes());
        all.addAll(new TokenRoutes(tokens, mapper).routes());
        all.addAll(new AuditRoutes(audit).routes());
        all.addAll(new BrokerRoutes(broker, callers, mapper).routes());
        all.addAll(new SvidRoutes(broker, mapper).routes());
        all.addAll(new LeaseRoutes(leases, broker, callers, mapper, clock).routes());
        all.addAll(new ScanRoutes(scans, mapper).routes());
        this.routes = List.copyOf(all);
    }

    /** The routes this server serves. */
    public List<Route> routes() {
        return routes;
    }

    public void start(String bind, int port) {
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jsonMapper(new JavalinJackson(mapper, false));
            config.http.maxRequestSize = ImportRoutes.MAX_IMPORT;
            config.jetty.multipartConfig.maxFileSize(ImportRoutes.MAX_IMPORT, SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(ImportRoutes.MAX_IMPORT, SizeUnit.BYTES);
            config.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
            config.http.prefer405over404 = true;
            config.router.ignoreTrailingSlashes = true;
            config.jetty.modifyHttpConfiguration(hc -> {
                hc.setSendServerVersion(false);
                hc.setRequestHeaderSize(16 * 1024);
            });
            config.requestLogger.http((ctx, ms) -> metrics.recordRequest(ctx, ms));
            config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors(mapper)));
            config.jetty.modifyServletContextHandler(h -> h.setErrorHandler(new JettyErrors(mapper)));
            if (tls != null) {
                config.jetty.addConnector((server, httpConfig) -> {
                    tlsConnector = Tls.connector(server, httpConfig, tls, bind, clientCas());
                    return tlsConnector;
                });
            }
            config.routes.before(ctx -> {
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("Cache-Control", "no-store");
            });
            for (Route r : routes) {
                config.routes.addHttpHandler(r.method(), r.path(), ctx -> {
                    if (r.permission() != null) {
                        ctx.attribute(TOKEN_ATTRIBUTE, authorize(ctx, r));
                    }
                    r.handler().handle(ctx);
                });
            }
            config.routes.exception(Problem.class, (e, ctx) -> problem(ctx, e.status(), e.getMessage()));
            config.routes.exception(
                    HttpResponseException.class, (e, ctx) -> problem(ctx, e.getStatus(), lower(e.getMessage())));
            config.routes.exception(
                    Posture.NoSuchFindingException.class, (e, ctx) -> problem(ctx, 404, e.getMessage()));
            config.routes.exception(IllegalArgumentException.class, (e, ctx) -> problem(ctx, 400, e.getMessage()));
            config.routes.exception(StoreException.class, (e, ctx) -> {
                String ref = UUID.randomUUID().toString();
                LOG.error("event=store_error ref={} error=\"{}\"", ref, e.getMessage(), e);
                problem(ctx, 503, "the store is unavailable (reference " + ref + ")");
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                if (cause(e, EofException.class) != null) {
                    LOG.debug("event=request_body_ended_early path={}", ctx.path());
                    problem(ctx, 400, "the request body ended before its declared length");
                    return;
                }
                if (cause(e, HttpException.class) instanceof HttpException h
                        && h.getCode() >= 400
                        && h.getCode() < 500) {
                    problem(ctx, h.getCode(), JettyErrors.detail(h.getCode(), h.getReason()));
                    return;
                }
                String ref = UUID.randomUUID().toString();
                LOG.error("event=internal_error ref={} path={}", ref, ctx.path(), e);
                problem(ctx, 500, "internal error (reference " + ref + ")");
            });
        });
        app.start(bind, port);
        LOG.info("event=listening url=http://{}:{}", bind.contains(":") ? "[" + bind + "]" : bind, app.port());
    }

    public int port() {
        return app.port();
    }

    /** The HTTPS port, or -1 without TLS. */
    public int tlsPort() {
        return tlsConnector == null ? -1 : tlsConnector.getLocalPort();
    }

    private List<X509Certificate> clientCas() {
        return broker == null ? List.of() : broker.attestors().clientCas();
    }

    public void stop() {
        if (app != null) {
            app.stop();
        }
    }

    private ApiToken authorize(Context ctx, Route r) {
        String bearer = Callers.bearer(ctx);
        if (bearer == null) {
            ctx.header("WWW-Authenticate", Callers.CHALLENGE);
            throw new Problem(401, "missing bearer token (send Authorization: Bearer wdn_...)");
        }
        ApiToken token = callers.apiToken(bearer).orElseThrow(() -> Callers.invalidToken(ctx));
        if (!token.role().permits(r.permission())) {
            throw new Problem(
                    403,
                    "role '" + token.role().value() + "' may not "
                            + r.permission().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        }
        return token;
    }

    /** The authenticated token of the current request. */
    static ApiToken token(Context ctx) {
        return ctx.attribute(TOKEN_ATTRIBUTE);
    }

    private void problem(Context ctx, int status, String detail) {
        drainUnreadBody(ctx);
        String title = Problem.title(status);
        Problem.Body body = new Problem.Body("about:blank", title, status, detail, ctx.path());
        try {
            ctx.status(status).contentType(PROBLEM_JSON).result(mapper.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            ctx.status(status)
                    .contentType(PROBLEM_JSON)
                    .result("{\"title\":\"" + title + "\",\"status\":" + status + "}");
        }
    }

    /**
     * The request's declared {@code Content-Length}, or -1 without one. Not {@code ctx.contentLength()}:
     * that is an int, and from 2 GiB up it reads -1, which would let a huge declared body past every
     * size check and hold a thread reading it until the idle timeout.
     */
    static long declaredLength(Context ctx) {
        return ctx.req().getContentLengthLong();
    }

    /** Bodies up to this size that a refusal left unread are read and dropped before it is answered. */
    private static final long DRAIN_LIMIT = 1 << 20;

    /**
     * A request refused before its body was read (401, 403, a bad path parameter) would otherwise be
     * answered while the client is still sending: Jetty then closes a connection with unread data,
     * the client's socket is reset, and a well-behaved client loses the answer. Bodies within
     * {@link #DRAIN_LIMIT} are read and dropped first; larger ones are not (refusing them unread is
     * the point of a size limit), and their clients must wait for the early answer.
     */
    private static void drainUnreadBody(Context ctx) {
        long declared = declaredLength(ctx);
        if (declared <= 0 || declared > DRAIN_LIMIT) {
            return;
        }
        try {
            ctx.req().getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (IOException | IllegalStateException e) {
            // already read, or the client went away: nothing to drain
        }
    }

    /** The first {@code type} in the cause chain of {@code e}, or null. */
    static Throwable cause(Throwable e, Class<?> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }

    private static String lower(String s) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    static Map<String, Object> created(String id) {
        return Map.of("id", id);
    }
}
