package dev.warden.http;

import dev.warden.auth.Role.Permission;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/**
 * One API route: method, path (Javalin syntax, {@code {id}} for parameters), the permission it
 * requires (null: public) and its handler. The server registers exactly these, and the OpenAPI
 * test checks that the document describes exactly these.
 */
public record Route(HandlerType method, String path, Permission permission, Handler handler) {
    static Route get(String path, Permission permission, Handler handler) {
        return new Route(HandlerType.GET, path, permission, handler);
    }

    static Route post(String path, Permission permission, Handler handler) {
        return new Route(HandlerType.POST, path, permission, handler);
    }

    static Route delete(String path, Permission permission, Handler handler) {
        return new Route(HandlerType.DELETE, path, permission, handler);
    }
}
