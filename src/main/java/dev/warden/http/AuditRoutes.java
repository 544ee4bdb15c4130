package dev.warden.http;

import dev.warden.audit.AuditEntry;
import dev.warden.audit.AuditLog;
import dev.warden.auth.Role.Permission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /v1/audit}: read the audit log and verify its hash chain. */
final class AuditRoutes {
    private final AuditLog audit;

    AuditRoutes(AuditLog audit) {
        this.audit = audit;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/v1/audit", Permission.READ_AUDIT, ctx -> {
                    Params.allowOnly(ctx, Set.of("after", "limit"));
                    int limit = Params.intParam(ctx, "limit", 100, 1, 1000);
                    long after = Params.intParam(ctx, "after", 0, 0, Integer.MAX_VALUE);
                    List<AuditEntry> items = audit.list(after, limit);
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("items", items);
                    body.put(
                            "nextAfter",
                            items.size() == limit ? items.get(items.size() - 1).seq() : null);
                    ctx.json(body);
                }),
                Route.get("/v1/audit/verify", Permission.READ_AUDIT, ctx -> {
                    Params.allowOnly(ctx, Set.of());
                    ctx.json(audit.verify());
                }));
    }
}
