package dev.warden.http;

import dev.warden.input.Echo;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Strict query-parameter reading: unknown or repeated parameters and bad values are 400s. */
final class Params {
    private Params() {}

    static void allowOnly(Context ctx, Set<String> allowed) {
        for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw Problem.badRequest("unknown query parameter '" + Echo.shown(e.getKey()) + "' (allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
            if (e.getValue().size() > 1) {
                throw Problem.badRequest("query parameter '" + e.getKey() + "' is given more than once");
            }
        }
    }

    static int intParam(Context ctx, String name, int defaultValue, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw Problem.badRequest(name + " must be an integer between " + min + " and " + max);
    }

    static Boolean boolParam(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.equals("true") || v.equals("false")) {
            return Boolean.valueOf(v);
        }
        throw Problem.badRequest(name + " must be true or false");
    }
}
