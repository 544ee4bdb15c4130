package dev.warden.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.auth.ApiToken;
import dev.warden.auth.Role.Permission;
import dev.warden.input.Echo;
import dev.warden.posture.Finding;
import dev.warden.posture.FindingFilter;
import dev.warden.posture.Posture;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.store.Ids;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code /v1/findings}: posture findings — list (as stored, or evaluated as of an instant without
 * writing), show, evaluate now (operator), accept under an exception (operator).
 */
final class FindingRoutes {
    static final int DEFAULT_LIMIT = 100;
    private static final Set<String> LIST_PARAMS =
            Set.of("risk", "severity", "status", "identity", "asOf", "limit", "cursor");

    private final Posture posture;
    private final ObjectMapper mapper;
    private final Clock clock;

    FindingRoutes(Posture posture, ObjectMapper mapper, Clock clock) {
        this.posture = posture;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** The body of {@code POST /v1/findings/{id}/accept}. */
    record AcceptRequest(String reason, String until) {}

    List<Route> routes() {
        return List.of(
                Route.get("/v1/findings", Permission.READ_INVENTORY, this::list),
                Route.post("/v1/findings/evaluate", Permission.WRITE_INVENTORY, this::evaluate),
                Route.get("/v1/findings/{id}", Permission.READ_INVENTORY, this::show),
                Route.post("/v1/findings/{id}/accept", Permission.WRITE_INVENTORY, this::accept));
    }

    private void list(Context ctx) {
        Params.allowOnly(ctx, LIST_PARAMS);
        int limit = Params.intParam(ctx, "limit", DEFAULT_LIMIT, 1, 1000);
        ApiToken token = HttpServer.token(ctx);
        String identity = ctx.queryParam("identity");
        if (identity != null && !identity.isEmpty() && !Ids.isValid(identity)) {
            throw Problem.badRequest("identity must be an identity id (a UUID), not '" + Echo.shown(identity) + "'");
        }
        FindingFilter filter = new FindingFilter(
                present(ctx, "risk") ? Risk.parse(ctx.queryParam("risk")) : null,
                present(ctx, "severity") ? Severity.parse(ctx.queryParam("severity")) : null,
                FindingFilter.statuses(ctx.queryParam("status")),
                identity == null || identity.isEmpty() ? null : identity,
                token.team());
        String cursor = ctx.queryParam("cursor");
        if (present(ctx, "asOf")) {
            Instant asOf = Posture.parseAsOf(ctx.queryParam("asOf"), clock.instant(), "asOf");
            ctx.json(posture.listAsOf(asOf, posture.policy(), filter, cursor, limit));
        } else {
            ctx.json(posture.list(filter, cursor, limit));
        }
    }

    private void show(Context ctx) {
        Params.allowOnly(ctx, Set.of());
        String id = ctx.pathParam("id");
        ctx.json(posture.get(id, HttpServer.token(ctx).team())
                .orElseThrow(() -> Problem.notFound("no finding '" + Echo.shown(id) + "'")));
    }

    private void evaluate(Context ctx) {
        Params.allowOnly(ctx, Set.of());
        ApiToken token = HttpServer.token(ctx);
        if (token.team() != null) {
            throw new Problem(403, "a team token may not evaluate the whole estate");
        }
        ctx.json(posture.evaluate(token.actor()));
    }

    private void accept(Context ctx) {
        Params.allowOnly(ctx, Set.of());
        String id = ctx.pathParam("id");
        AcceptRequest req = JsonBody.read(ctx, mapper, AcceptRequest.class);
        if (!Finding.isValidId(id)) {
            throw Problem.notFound("no finding '" + Echo.shown(id) + "'");
        }
        ApiToken token = HttpServer.token(ctx);
        ctx.json(posture.accept(id, req.reason(), req.until(), token.actor(), token.team()));
    }

    private static boolean present(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v != null && !v.isEmpty();
    }
}
