package dev.warden.http;

import dev.warden.auth.ApiToken;
import dev.warden.auth.TokenService;
import dev.warden.broker.Broker;
import dev.warden.broker.CredentialRequests.Caller;
import io.javalin.http.Context;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Who is calling, read the same way by every route: the bearer token of {@code Authorization:
 * Bearer} (the one parser), the Warden API token it names, the client certificate chain of the TLS
 * connection and the caller's address. The server's authorization, the broker's OAuth endpoints and
 * the leased-credential route all start here; what a caller may do is decided elsewhere.
 */
final class Callers {
    /** The challenge sent with a 401 when no usable credentials were presented. */
    static final String CHALLENGE = "Bearer realm=\"warden\"";
    /** The challenge sent with a 401 when the bearer token was refused. */
    static final String INVALID_TOKEN = "Bearer realm=\"warden\", error=\"invalid_token\"";

    private final TokenService tokens;

    Callers(TokenService tokens) {
        this.tokens = tokens;
    }

    /**
     * The token of {@code Authorization: Bearer TOKEN} (scheme case-insensitive, surrounding space
     * stripped, possibly empty); null when there is no such header or it names another scheme.
     */
    static String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).strip();
    }

    /** True when {@code bearer} is shaped as a Warden API token ({@code wdn_...}), live or not. */
    static boolean isApiToken(String bearer) {
        return bearer.startsWith(TokenService.PREFIX);
    }

    /** The live API token {@code bearer} is; empty when it is none, or is revoked or expired. */
    Optional<ApiToken> apiToken(String bearer) {
        return tokens.authenticate(bearer);
    }

    /** The client certificate chain of the TLS connection, leaf first; empty without mTLS. */
    static List<X509Certificate> clientChain(Context ctx) {
        Object certs = ctx.req().getAttribute("jakarta.servlet.request.X509Certificate");
        if (certs instanceof X509Certificate[] chain && chain.length > 0) {
            return List.of(chain);
        }
        return List.of();
    }

    /** The caller's address: X-Forwarded-For's last hop when the peer is one of the broker's trusted proxies. */
    static String source(Broker broker, Context ctx) {
        String remote = ctx.req().getRemoteAddr();
        if (broker.config().trustedProxies().contains(remote)) {
            String xff = ctx.header("X-Forwarded-For");
            if (xff != null && !xff.isBlank()) {
                String[] hops = xff.split(",");
                return hops[hops.length - 1].strip();
            }
        }
        return remote;
    }

    /**
     * The caller of a route open to both a Warden API token and a workload's own proof: an operator
     * when the bearer is an API token (a 401 problem when it is not live), a workload when another
     * bearer or a client certificate is presented; empty when neither is.
     */
    Optional<Caller> apiTokenOrWorkload(Context ctx) {
        String bearer = bearer(ctx);
        if (bearer != null && isApiToken(bearer)) {
            return Optional.of(new Caller.Operator(apiToken(bearer).orElseThrow(() -> invalidToken(ctx))));
        }
        List<X509Certificate> chain = clientChain(ctx);
        if (bearer != null || !chain.isEmpty()) {
            return Optional.of(new Caller.Workload(bearer, chain, ctx.req().getRemoteAddr()));
        }
        return Optional.empty();
    }

    /** The 401 problem for a bearer token that is not a live API token, with its challenge. */
    static Problem invalidToken(Context ctx) {
        ctx.header("WWW-Authenticate", INVALID_TOKEN);
        return new Problem(401, "invalid, revoked or expired token");
    }
}
