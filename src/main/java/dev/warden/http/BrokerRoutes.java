package dev.warden.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.auth.ApiToken;
import dev.warden.auth.Role.Permission;
import dev.warden.broker.Broker;
import dev.warden.broker.OAuthError;
import dev.warden.broker.TokenExchange;
import dev.warden.input.Echo;
import dev.warden.policy.PolicyException;
import dev.warden.policy.PolicySet;
import dev.warden.store.StoreException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's endpoints: OAuth 2.0 Token Exchange at {@code POST /oauth2/token} (RFC 8693),
 * introspection (RFC 7662) and revocation (RFC 7009), the JWKS and the discovery document, and
 * {@code POST /v1/policies/reload}. The OAuth endpoints answer RFC 6749 §5.2 JSON errors with
 * {@code Cache-Control: no-store}, read form bodies strictly (one value per parameter, at most
 * {@link #MAX_FORM} bytes, nothing in the query string) and authenticate callers themselves.
 *
 * <p>Introspection and revocation callers send {@code Authorization: Bearer} with either a Warden
 * API token (introspection: any role; revocation: admin or operator) or a Warden-issued access
 * token whose audience is Warden's issuer and whose scope holds {@code warden:introspect} /
 * {@code warden:revoke} — so a resource server needs no static secret. A token's holder may also
 * revoke that token by presenting it as the bearer.
 */
final class BrokerRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerRoutes.class);
    /** Largest form body accepted on the OAuth endpoints. */
    static final int MAX_FORM = 64 * 1024;

    private static final Set<String> TOKEN_PARAMS = Set.of(
            "grant_type",
            "subject_token",
            "subject_token_type",
            "actor_token",
            "actor_token_type",
            "requested_token_type",
            "audience",
            "resource",
            "scope",
            "ttl",
            "client_id");

    private final Broker broker;
    private final Callers callers;
    private final ObjectMapper mapper;

    BrokerRoutes(Broker broker, Callers callers, ObjectMapper mapper) {
        this.broker = broker;
        this.callers = callers;
        this.mapper = mapper;
    }

    List<Route> routes() {
        return List.of(
                Route.post("/oauth2/token", null, ctx -> oauth(ctx, this::token)),
                Route.ownAuth(HandlerType.POST, "/oauth2/introspect", ctx -> oauth(ctx, this::introspect)),
                Route.ownAuth(HandlerType.POST, "/oauth2/revoke", ctx -> oauth(ctx, this::revoke)),
                Route.get("/.well-known/jwks.json", null, ctx -> {
                    requireBroker();
                    ctx.contentType("application/jwk-set+json").result(broker.jwks());
                    ctx.header("Cache-Control", "public, max-age=300");
                }),
                Route.get("/.well-known/openid-configuration", null, ctx -> {
                    requireBroker();
                    ctx.json(broker.discovery());
                    ctx.header("Cache-Control", "public, max-age=300");
                }),
                Route.post("/v1/policies/reload", Permission.MANAGE_POLICIES, this::reload));
    }

    private void requireBroker() {
        if (broker == null) {
            throw Problem.notFound("the broker is not enabled (configure 'broker' in warden.yaml)");
        }
    }

    /** An OAuth endpoint body: returns the JSON to send with 200, or throws an OAuthError. */
    @FunctionalInterface
    private interface OAuthHandler {
        Object handle(Context ctx, Map<String, String> form) throws OAuthError;
    }

    private void oauth(Context ctx, OAuthHandler h) throws JsonProcessingException {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
        Object body;
        int status = 200;
        try {
            if (broker == null) {
                throw new OAuthError(404, "invalid_request", "the broker is not enabled on this server");
            }
            // Before the body is read or any signature checked: a flood costs a bucket lookup.
            String source = source(ctx);
            long retryAfter = broker.rateLimiter().acquire(source);
            if (retryAfter > 0) {
                broker.rateLimited(source);
                ctx.header("Retry-After", Long.toString(retryAfter));
                throw new OAuthError(
                        429, "temporarily_unavailable", "too many requests; retry after " + retryAfter + " s");
            }
            body = h.handle(ctx, form(ctx));
        } catch (OAuthError e) {
            status = e.status();
            body = error(e.error(), e.description());
            if (status == 401) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"warden\", error=\"" + e.error() + "\"");
            }
        } catch (IllegalArgumentException e) {
            status = 400;
            body = error("invalid_request", e.getMessage());
        } catch (StoreException e) {
            String ref = UUID.randomUUID().toString();
            LOG.error("event=store_error ref={} path={} error=\"{}\"", ref, ctx.path(), e.getMessage(), e);
            status = 503;
            body = error(
                    "temporarily_unavailable", "the store is unavailable; nothing was issued (reference " + ref + ")");
        } catch (RuntimeException e) {
            String ref = UUID.randomUUID().toString();
            LOG.error("event=internal_error ref={} path={}", ref, ctx.path(), e);
            status = 500;
            body = error("server_error", "internal error (reference " + ref + ")");
        }
        ctx.status(status).contentType("application/json;charset=UTF-8").result(mapper.writeValueAsString(body));
    }

    private static Map<String, Object> error(String code, String description) {
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("error", code);
        err.put("error_description", description);
        return err;
    }

    /** Reads an application/x-www-form-urlencoded body strictly. */
    static Map<String, String> form(Context ctx) throws OAuthError {
        if (ctx.queryString() != null && !ctx.queryString().isEmpty()) {
            throw OAuthError.invalidRequest("parameters must be sent in the form body, not in the URL");
        }
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw OAuthError.invalidRequest("the body must be application/x-www-form-urlencoded");
        }
        if (HttpServer.declaredLength(ctx) > MAX_FORM) {
            throw OAuthError.invalidRequest("the body is larger than " + MAX_FORM + " bytes");
        }
        byte[] raw;
        try (InputStream in = ctx.req().getInputStream()) {
            raw = in.readNBytes(MAX_FORM + 1);
        } catch (IOException e) {
            throw OAuthError.invalidRequest("the body could not be read");
        }
        if (raw.length > MAX_FORM) {
            throw OAuthError.invalidRequest("the body is larger than " + MAX_FORM + " bytes");
        }
        Map<String, String> out = new HashMap<>();
        String body = new String(raw, StandardCharsets.UTF_8);
        if (body.isEmpty()) {
            return out;
        }
        for (String pair : body.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw OAuthError.invalidRequest("the body has a malformed percent-escape");
            }
            if (out.put(name, value) != null) {
                throw OAuthError.invalidRequest(
                        "parameter '" + Echo.shown(name) + "' is given more than once (RFC 6749 section 3.2)");
            }
        }
        return out;
    }

    private Object token(Context ctx, Map<String, String> form) throws OAuthError {
        for (String name : form.keySet()) {
            if (!TOKEN_PARAMS.contains(name)) {
                throw OAuthError.invalidRequest("unknown parameter '" + Echo.shown(name) + "'");
            }
        }
        TokenExchange.Response r =
                broker.exchange().exchange(new TokenExchange.Request(form, source(ctx), Callers.clientChain(ctx)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_token", r.accessToken());
        out.put("issued_token_type", r.issuedTokenType());
        out.put("token_type", r.tokenType());
        out.put("expires_in", r.expiresIn());
        if (r.scope() != null) {
            out.put("scope", r.scope());
        }
        return out;
    }

    private Object introspect(Context ctx, Map<String, String> form) throws OAuthError {
        caller(ctx, Permission.INTROSPECT_TOKENS, Broker.SCOPE_INTROSPECT, null);
        String token = form.get("token");
        if (token == null || token.isEmpty()) {
            throw OAuthError.invalidRequest("token is required");
        }
        return broker.introspect(token);
    }

    private Object revoke(Context ctx, Map<String, String> form) throws OAuthError {
        String token = form.get("token");
        if (token == null || token.isEmpty()) {
            throw OAuthError.invalidRequest("token is required");
        }
        String hint = form.get("token_type_hint");
        if (hint != null && !hint.equals("access_token")) {
            throw new OAuthError(400, "unsupported_token_type", "Warden issues only access tokens");
        }
        String actor = caller(ctx, Permission.REVOKE_CREDENTIALS, Broker.SCOPE_REVOKE, token);
        broker.revoke(token, actor);
        return Map.of();
    }

    /**
     * Authenticates the caller of introspection or revocation; returns its audit actor.
     * {@code self} (revocation) also accepts the token being revoked as the bearer.
     */
    private String caller(Context ctx, Permission permission, String scope, String self) throws OAuthError {
        String bearer = Callers.bearer(ctx);
        if (bearer == null) {
            throw new OAuthError(
                    401,
                    "invalid_client",
                    "send Authorization: Bearer with a Warden API token or an" + " access token with scope " + scope);
        }
        if (Callers.isApiToken(bearer)) {
            ApiToken t = callers.apiToken(bearer)
                    .orElseThrow(() -> new OAuthError(401, "invalid_client", "invalid, revoked or expired API token"));
            if (!t.role().permits(permission)) {
                throw new OAuthError(
                        403, "insufficient_scope", "role '" + t.role().value() + "' may not do this");
            }
            return t.actor();
        }
        if (self != null && bearer.equals(self)) {
            return broker.holder(self).orElse("anonymous");
        }
        return broker.authorizedCaller(bearer, scope)
                .orElseThrow(() -> new OAuthError(
                        401,
                        "invalid_client",
                        "the bearer token is not an active Warden access token for this issuer with scope " + scope));
    }

    private void reload(Context ctx) {
        requireBroker();
        try {
            PolicySet s = broker.policies().reload(HttpServer.token(ctx).actor());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("policies", s.policies().size());
            out.put("digest", s.digest());
            ctx.json(out);
        } catch (PolicyException e) {
            throw new Problem(
                    422, "policies not reloaded; the previous set stays active: " + String.join("; ", e.problems()));
        }
    }

    private String source(Context ctx) {
        return Callers.source(broker, ctx);
    }
}
