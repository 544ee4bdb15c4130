package dev.warden.http;

import dev.warden.auth.Role.Permission;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/**
 * One API route: method, path (Javalin syntax, {@code {id}} for parameters), the permission it
 * requires (null: public) and its handler. The server registers exactly these, and the OpenAPI
 * test checks that the document describes exactly these.
 *
 * <p>A route with {@code ownAuth} has no permission and authenticates callers itself, in the
 * format its protocol requires (the OAuth endpoints answer RFC 6749 errors, not problem+json).
 */
public record Route(HandlerType method, String path, Permission permission, boolean ownAuth, Handler handler) {
    public Route {
        if (ownAuth && permission != null) {
            throw new IllegalArgumentException("a route that authenticates itself has no permission");
        }
    }

    static Route get(String path, Permission permission, Handler handler) {
        return new Route(HandlerType.GET, path, permission, false, handler);
    }

    static Route post(String path, Permission permission, Handler handler) {
        return new Route(HandlerType.POST, path, permission, false, handler);
    }

    static Route delete(String path, Permission permission, Handler handler) {
        return new Route(HandlerType.DELETE, path, permission, false, handler);
    }

    /** A route that authenticates its callers itself. */
    static Route ownAuth(HandlerType method, String path, Handler handler) {
        return new Route(method, path, null, true, handler);
    }
}
