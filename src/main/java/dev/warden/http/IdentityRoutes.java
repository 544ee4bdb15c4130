package dev.warden.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.auth.ApiToken;
import dev.warden.auth.Role.Permission;
import dev.warden.input.Echo;
import dev.warden.inventory.IdentityDetails;
import dev.warden.inventory.IdentityFilter;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityStatus;
import dev.warden.inventory.Inventory;
import dev.warden.inventory.Nature;
import dev.warden.posture.Finding;
import dev.warden.scan.Leak;
import dev.warden.store.Ids;
import io.javalin.http.Context;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code /v1/identities} and {@code /v1/stats}: the inventory, read-only for now. */
final class IdentityRoutes {
    static final int DEFAULT_LIMIT = 100;
    private static final Set<String> FILTERS =
            Set.of("kind", "source", "owner", "owned", "environment", "status", "q", "externalId", "nature");

    private final Inventory inventory;
    private final IdentityDetails<Leak, Finding> details;
    private final ObjectMapper mapper;

    IdentityRoutes(Inventory inventory, IdentityDetails<Leak, Finding> details, ObjectMapper mapper) {
        this.inventory = inventory;
        this.details = details;
        this.mapper = mapper;
    }

    /** The body of {@code POST /v1/identities/{id}/classification}; nature null clears the override. */
    record Classification(String nature, String reason) {}

    List<Route> routes() {
        return List.of(
                Route.get("/v1/identities", Permission.READ_INVENTORY, this::list),
                Route.get("/v1/identities/{id}", Permission.READ_INVENTORY, this::show),
                Route.post("/v1/identities/{id}/classification", Permission.WRITE_INVENTORY, this::classify),
                Route.get("/v1/stats", Permission.READ_INVENTORY, this::stats));
    }

    private void list(Context ctx) {
        Params.allowOnly(ctx, union(FILTERS, Set.of("limit", "cursor")));
        int limit = Params.intParam(ctx, "limit", DEFAULT_LIMIT, 1, Inventory.MAX_LIMIT);
        ctx.json(inventory.list(filter(ctx), ctx.queryParam("cursor"), limit));
    }

    private void show(Context ctx) {
        Params.allowOnly(ctx, Set.of());
        String id = ctx.pathParam("id");
        ApiToken token = HttpServer.token(ctx);
        if (!Ids.isValid(id)) {
            throw Problem.notFound("no identity with id '" + Echo.shown(id)
                    + "' (ids are UUIDs; find one by external id with GET /v1/identities?externalId=...)");
        }
        ctx.json(
                details.show(id, token.team()).orElseThrow(() -> Problem.notFound("no identity with id '" + id + "'")));
    }

    private void classify(Context ctx) {
        Params.allowOnly(ctx, Set.of());
        String id = ctx.pathParam("id");
        Classification c = JsonBody.read(ctx, mapper, Classification.class);
        if (!Ids.isValid(id) || inventory.show(id, HttpServer.token(ctx).team()).isEmpty()) {
            throw Problem.notFound("no identity with id '" + Echo.shown(id) + "'");
        }
        Nature nature = c.nature() == null ? null : Nature.parse(c.nature());
        ctx.json(
                inventory.classify(id, nature, c.reason(), HttpServer.token(ctx).actor()));
    }

    private void stats(Context ctx) {
        Params.allowOnly(ctx, FILTERS);
        ctx.json(inventory.stats(filter(ctx)));
    }

    private static IdentityFilter filter(Context ctx) {
        String kind = ctx.queryParam("kind");
        String status = ctx.queryParam("status");
        return new IdentityFilter(
                kind == null || kind.isEmpty() ? null : IdentityKind.parse(kind),
                ctx.queryParam("source"),
                ctx.queryParam("owner"),
                Params.boolParam(ctx, "owned"),
                ctx.queryParam("environment"),
                status == null || status.isEmpty() ? null : IdentityStatus.parse(status),
                ctx.queryParam("q"),
                ctx.queryParam("externalId"),
                HttpServer.token(ctx).team(),
                nature(ctx.queryParam("nature")));
    }

    /** Humans are kept apart: machine identities unless {@code nature=human} or {@code nature=all}. */
    private static Nature nature(String value) {
        if (value == null || value.isEmpty()) {
            return Nature.MACHINE;
        }
        return value.equals("all") ? null : Nature.parse(value);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        HashSet<String> s = new HashSet<>(a);
        s.addAll(b);
        return s;
    }
}
