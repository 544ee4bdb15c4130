package dev.warden.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.auth.Role.Permission;
import dev.warden.broker.Broker;
import dev.warden.broker.CredentialRequests;
import dev.warden.broker.lease.Lease;
import dev.warden.broker.lease.LeaseException;
import dev.warden.broker.lease.LeaseFilter;
import dev.warden.broker.lease.LeaseState;
import dev.warden.broker.lease.LeaseStore;
import dev.warden.broker.lease.Leases;
import dev.warden.config.ConfigNode;
import dev.warden.input.Echo;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Leased credentials: {@code POST /v1/creds/postgresql/{role}} issues a dynamic PostgreSQL login
 * to a caller holding a Warden API token (admin or operator) or a workload's own proof (a subject
 * JWT as the bearer, or an mTLS client certificate) that a broker policy allows for the target
 * {@code urn:warden:creds:postgresql:ROLE} — decided by {@link CredentialRequests}; {@code
 * /v1/leases} lists, renews and revokes leases.
 */
final class LeaseRoutes {
    private final Leases leases;
    private final CredentialRequests requests;
    private final Callers callers;
    private final ObjectMapper mapper;
    private final Clock clock;

    LeaseRoutes(Leases leases, Broker broker, Callers callers, ObjectMapper mapper, Clock clock) {
        this.leases = leases;
        this.requests = leases == null ? null : new CredentialRequests(leases, broker, clock);
        this.callers = callers;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** The body of {@code POST /v1/creds/postgresql/{role}}: ttl (seconds or 15m), workload (API tokens only). */
    record CredsRequest(Object ttl, String workload) {}

    /** The body of {@code POST /v1/leases/{id}/renew}. */
    record RenewRequest(Object increment) {}

    /** The body of {@code POST /v1/leases/revoke-prefix}. */
    record PrefixRequest(String path, String workload) {}

    List<Route> routes() {
        return List.of(
                Route.ownAuth(HandlerType.POST, "/v1/creds/postgresql/{role}", this::creds),
                Route.get("/v1/leases", Permission.READ_INVENTORY, this::list),
                Route.get("/v1/leases/{id}", Permission.READ_INVENTORY, this::show),
                Route.post("/v1/leases/{id}/renew", Permission.ISSUE_CREDENTIALS, this::renew),
                Route.post("/v1/leases/{id}/revoke", Permission.REVOKE_CREDENTIALS, this::revoke),
                Route.post("/v1/leases/revoke-prefix", Permission.REVOKE_CREDENTIALS, this::revokePrefix));
    }

    private void requireLeases() {
        if (leases == null) {
            throw Problem.notFound("leased credentials are not enabled (configure 'broker' in warden.yaml)");
        }
    }

    private void creds(Context ctx) {
        requireLeases();
        Params.allowOnly(ctx, Set.of());
        Leases.Outcome o;
        try {
            CredentialRequests.Offer offer = requests.offer(ctx.pathParam("role"));
            CredsRequest body =
                    hasBody(ctx) ? JsonBody.read(ctx, mapper, CredsRequest.class) : new CredsRequest(null, null);
            Duration ttl = duration("ttl", body.ttl());
            CredentialRequests.Caller caller = callers.apiTokenOrWorkload(ctx).orElseThrow(() -> {
                ctx.header("WWW-Authenticate", Callers.CHALLENGE);
                return new Problem(
                        401,
                        "send Authorization: Bearer with a Warden API token or the workload's subject token"
                                + " (or present a client certificate)");
            });
            o = requests.grant(offer, caller, ttl, body.workload());
        } catch (CredentialRequests.Refused e) {
            if (e.invalidToken()) {
                ctx.header("WWW-Authenticate", Callers.INVALID_TOKEN);
            }
            throw new Problem(e.status(), e.getMessage());
        }
        Lease l = o.lease();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("leaseId", l.id());
        out.put("username", o.issued().material().get("username"));
        out.put("password", o.issued().material().get("password"));
        out.put("database", o.issued().attributes().get("endpoint"));
        out.put("ttl", Duration.between(clock.instant(), l.expiresAt()).toSeconds());
        out.put("expiresAt", l.expiresAt());
        out.put("maxExpiresAt", l.maxExpiresAt());
        ctx.status(201).json(out);
    }

    private void list(Context ctx) {
        requireLeases();
        Params.allowOnly(ctx, Set.of("workload", "kind", "state", "limit", "cursor"));
        int limit = Params.intParam(ctx, "limit", 100, 1, LeaseStore.MAX_LIMIT);
        String state = ctx.queryParam("state");
        LeaseFilter f = new LeaseFilter(
                emptyToNull(ctx.queryParam("workload")),
                emptyToNull(ctx.queryParam("kind")),
                state == null || state.isEmpty() ? null : LeaseState.parse(state));
        ctx.json(leases.list(f, emptyToNull(ctx.queryParam("cursor")), limit));
    }

    private void show(Context ctx) {
        requireLeases();
        Params.allowOnly(ctx, Set.of());
        String id = ctx.pathParam("id");
        ctx.json(leases.get(id).orElseThrow(() -> Problem.notFound("no lease with id '" + Echo.shown(id) + "'")));
    }

    private void renew(Context ctx) {
        requireLeases();
        Params.allowOnly(ctx, Set.of());
        RenewRequest body = hasBody(ctx) ? JsonBody.read(ctx, mapper, RenewRequest.class) : new RenewRequest(null);
        Duration inc = duration("increment", body.increment());
        String id = ctx.pathParam("id");
        ctx.json(call(() -> leases.renew(id, inc, HttpServer.token(ctx).actor())));
    }

    private void revoke(Context ctx) {
        requireLeases();
        Params.allowOnly(ctx, Set.of());
        String id = ctx.pathParam("id");
        ctx.json(call(() -> leases.revoke(id, HttpServer.token(ctx).actor())));
    }

    private void revokePrefix(Context ctx) {
        requireLeases();
        Params.allowOnly(ctx, Set.of());
        PrefixRequest body = JsonBody.read(ctx, mapper, PrefixRequest.class);
        if (body.path() != null && body.path().length() > 300) {
            throw Problem.badRequest("path must be at most 300 characters");
        }
        if (body.workload() != null && !Leases.isWorkload(body.workload())) {
            throw Problem.badRequest(Leases.WORKLOAD_RULE);
        }
        int n = call(() -> leases.revokePrefix(
                body.path(), body.workload(), HttpServer.token(ctx).actor()));
        ctx.json(Map.of("matched", n));
    }

    private static <T> T call(Supplier<T> op) {
        try {
            return op.get();
        } catch (LeaseException e) {
            throw new Problem(e.status(), e.getMessage());
        }
    }

    /** A duration given as whole seconds or as {@code 30s}, {@code 15m}, {@code 1h}; null when absent. */
    static Duration duration(String field, Object v) {
        if (v == null) {
            return null;
        }
        Duration d = null;
        if (v instanceof Integer || v instanceof Long) {
            long s = ((Number) v).longValue();
            d = s >= 1 ? Duration.ofSeconds(s) : null;
        } else if (v instanceof String s) {
            d = ConfigNode.parseDuration(s).orElse(null);
        }
        if (d == null || d.isZero() || d.compareTo(Duration.ofDays(366)) > 0) {
            throw Problem.badRequest(field + " must be a positive number of seconds or a duration such as 15m or 1h");
        }
        return d;
    }

    private static boolean hasBody(Context ctx) {
        return HttpServer.declaredLength(ctx) > 0 || ctx.contentType() != null;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
