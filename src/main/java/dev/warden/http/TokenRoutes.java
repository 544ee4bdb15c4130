package dev.warden.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.auth.ApiToken;
import dev.warden.auth.Role;
import dev.warden.auth.Role.Permission;
import dev.warden.auth.TokenService;
import dev.warden.input.Echo;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /v1/tokens}: create, list and revoke API tokens (admin only). */
final class TokenRoutes {
    private final TokenService tokens;
    private final ObjectMapper mapper;

    TokenRoutes(TokenService tokens, ObjectMapper mapper) {
        this.tokens = tokens;
        this.mapper = mapper;
    }

    /** The body of {@code POST /v1/tokens}. */
    record CreateRequest(String role, String team, String description) {}

    List<Route> routes() {
        return List.of(
                Route.post("/v1/tokens", Permission.MANAGE_TOKENS, this::create),
                Route.get("/v1/tokens", Permission.MANAGE_TOKENS, ctx -> {
                    Params.allowOnly(ctx, Set.of());
                    ctx.json(Map.of("items", tokens.list()));
                }),
                Route.delete("/v1/tokens/{id}", Permission.MANAGE_TOKENS, this::revoke));
    }

    private void create(Context ctx) {
        CreateRequest req = JsonBody.read(ctx, mapper, CreateRequest.class);
        if (req.role() == null) {
            throw Problem.badRequest("role is required");
        }
        ApiToken caller = HttpServer.token(ctx);
        TokenService.Issued issued =
                tokens.create(Role.parse(req.role()), req.team(), req.description(), caller.actor());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", issued.token());
        body.put("meta", issued.meta());
        ctx.status(201).json(body);
    }

    private void revoke(Context ctx) {
        String id = ctx.pathParam("id");
        if (!tokens.revoke(id, HttpServer.token(ctx).actor())) {
            throw Problem.notFound("no active token with id '" + Echo.shown(id) + "'");
        }
        ctx.status(204);
    }
}
