package dev.warden.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.auth.ApiToken;
import dev.warden.auth.Role.Permission;
import dev.warden.input.Echo;
import dev.warden.scan.Scans;
import dev.warden.store.Ids;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /v1/scans}: scan submitted file contents with the default rules, link hits to the
 * inventory and record the scan ({@code POST}, operator or admin); read a recorded scan
 * ({@code GET}). Secrets never leave the request: responses carry fingerprints and previews.
 */
final class ScanRoutes {
    /** Most files one request may carry. */
    static final int MAX_FILES = 1000;
    /** Longest path accepted. */
    static final int MAX_PATH = 1024;

    private final Scans scans;
    private final ObjectMapper mapper;

    ScanRoutes(Scans scans, ObjectMapper mapper) {
        this.scans = scans;
        this.mapper = mapper;
    }

    /** One file of {@code POST /v1/scans}. */
    record FileBody(String path, String content) {}

    /** The body of {@code POST /v1/scans}. */
    record ScanRequest(String target, List<FileBody> files) {}

    List<Route> routes() {
        return List.of(
                Route.post("/v1/scans", Permission.WRITE_INVENTORY, this::create),
                Route.get("/v1/scans/{id}", Permission.READ_INVENTORY, this::show));
    }

    private void create(Context ctx) {
        Params.allowOnly(ctx, Set.of());
        ScanRequest req = JsonBody.read(ctx, mapper, ScanRequest.class);
        if (req.files() == null || req.files().isEmpty()) {
            throw Problem.badRequest("files is required: a non-empty array of {path, content}");
        }
        if (req.files().size() > MAX_FILES) {
            throw Problem.badRequest("files has more than " + MAX_FILES + " entries");
        }
        String target = req.target() == null || req.target().isBlank()
                ? "api"
                : req.target().strip();
        checkText("target", target, 256);
        List<Scans.Content> contents = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < req.files().size(); i++) {
            FileBody f = req.files().get(i);
            String at = "files[" + i + "]";
            if (f == null || f.path() == null || f.path().isBlank()) {
                throw Problem.badRequest(at + ".path is required");
            }
            checkText(at + ".path", f.path(), MAX_PATH);
            if (f.content() == null) {
                throw Problem.badRequest(at + ".content is required (a string)");
            }
            if (!seen.add(f.path())) {
                throw Problem.badRequest(at + ".path '" + Echo.shown(f.path()) + "' appears twice");
            }
            contents.add(new Scans.Content(f.path(), f.content()));
        }
        ApiToken caller = HttpServer.token(ctx);
        Scans.Outcome scan = scans.run(Scans.Request.contents(target, contents), caller.actor());
        ctx.status(201).json(scans.get(scan.scanId(), caller.team()).orElseThrow());
    }

    private void show(Context ctx) {
        Params.allowOnly(ctx, Set.of());
        String id = ctx.pathParam("id");
        if (!Ids.isValid(id)) {
            throw Problem.notFound("no scan with id '" + Echo.shown(id) + "' (ids are UUIDs)");
        }
        ctx.json(scans.get(id, HttpServer.token(ctx).team())
                .orElseThrow(() -> Problem.notFound("no scan with id '" + id + "'")));
    }

    private static void checkText(String field, String value, int max) {
        if (value.length() > max) {
            throw Problem.badRequest(field + " is longer than " + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw Problem.badRequest(field + " contains a control character");
            }
        }
    }
}
