package dev.warden.usage.vault;

import static dev.warden.usage.LogRecords.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.input.Echo;
import dev.warden.input.Input;
import dev.warden.input.ParseErrors;
import dev.warden.usage.EventTimes;
import dev.warden.usage.LogFiles;
import dev.warden.usage.LogRecords.Skip;
import dev.warden.usage.Skips;
import dev.warden.usage.UsageEvent;
import dev.warden.usage.UsageException;
import dev.warden.usage.UsageOptions;
import dev.warden.usage.UsageParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Vault and OpenBao audit device logs (hashicorp/vault {@code audit/types.go}): JSON entries, one
 * per line as the file device writes them or pretty-printed one after another ({@code jq .}), plain
 * or gzip. Each request is written twice, {@code type} {@code request} then {@code response},
 * sharing {@code request.id}: it counts once, at its response (a request without one counts at the
 * end of the file; at most {@link #MAX_OPEN_REQUESTS} are held).
 *
 * <p>Who, as a canonical external id ({@code docs/usage/vault-audit.md}): a login's auth role,
 * {@code vault://MOUNT/role/ROLE} (mount from the login path {@code auth/MOUNT/login}, role from
 * {@code auth.metadata.role_name} or {@code role}), and every later request whose {@code
 * auth.accessor} that login issued; else the entity, {@code vault://entity/ID}; else the token's
 * display name, {@code vault://token/NAME}. Credential: the accessor exactly as logged, HMAC'd
 * ({@code hmac-sha256:…}); a raw accessor or token ({@code log_raw}) is never kept, only its
 * SHA-256 fingerprint ({@code sha256:…}). What: {@code OPERATION PATH} ({@code read
 * secret/data/app}), resource the mount ({@code kv secret/}). From {@code request.remote_address}.
 * Error: the entry's {@code error}, its first line.
 *
 * <p>JSON that breaks off, or a value that is not an object, refuses the file naming the line; an
 * entry that cannot be used is skipped as {@code FILE:LINE}.
 */
public final class VaultAuditParser implements UsageParser {
    public static final String NAME = "vault-audit";
    static final String SOURCE_TYPE = "vault";
    static final int MAX_OPEN_REQUESTS = 10_000;
    private static final int MAX_ERROR = 200;
    private static final String HMAC = "hmac-sha256:";

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .errorReportConfiguration(ParseErrors.QUIET)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(200)
                    .maxStringLength(1024 * 1024)
                    .maxNameLength(64 * 1024)
                    .build())
            .build());

    private final EventTimes times;

    public VaultAuditParser(Clock clock) {
        this.times = new EventTimes(clock);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Vault / OpenBao audit device log (JSON entries, one per line or pretty-printed; plain or gzip)";
    }

    @Override
    public void parse(Input input, UsageOptions options, Consumer<UsageEvent> sink, Skips skips) {
        String name = input.name();
        String scope = options == null || options.cluster() == null ? "vault" : options.cluster();
        Map<String, UsageEvent> open = new LinkedHashMap<>();
        Map<String, String> logins = new LinkedHashMap<>();
        try (InputStream in = LogFiles.open(input);
                JsonParser p = MAPPER.createParser(in)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                long line = p.currentTokenLocation().getLineNr();
                if (t != JsonToken.START_OBJECT) {
                    throw new UsageException(name + ":" + line + ": not a Vault audit log (expected JSON audit entries"
                            + (t == JsonToken.START_ARRAY ? ", not an array" : "") + ")");
                }
                JsonNode n = p.readValueAsTree();
                String where = name + ":" + line;
                try {
                    read(n, scope, logins, open, sink);
                } catch (Skip | IllegalArgumentException e) {
                    skips.skip(where, e.getMessage());
                }
            }
        } catch (LogFiles.CorruptGzipException e) {
            throw new UsageException(name + ": corrupt gzip: " + e.getMessage(), e);
        } catch (JsonProcessingException e) {
            String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            boolean xml = m.startsWith("Unexpected character ('<'");
            throw new UsageException(
                    name + ":" + line + ": not a Vault audit log ("
                            + (xml ? "format=jsonx is not read" : "not JSON: " + ParseErrors.description(e))
                            + ")",
                    e);
        } catch (IOException e) {
            throw new UsageException(name + ": cannot read: " + e.getMessage(), e);
        }
        open.values().forEach(sink);
    }

    private void read(
            JsonNode n,
            String scope,
            Map<String, String> logins,
            Map<String, UsageEvent> open,
            Consumer<UsageEvent> sink)
            throws Skip {
        String type = text(n, "type");
        if (!"request".equals(type) && !"response".equals(type)) {
            throw new Skip("type '" + Echo.shown(type) + "' is not request or response");
        }
        JsonNode req = n.get("request");
        if (req == null || !req.isObject()) {
            throw new Skip("no request");
        }
        String time = text(n, "time");
        String id = text(req, "id");
        String op = text(req, "operation");
        String path = text(req, "path");
        if (time == null || id == null || op == null || path == null) {
            throw new Skip("missing "
                    + (time == null
                            ? "time"
                            : id == null ? "request.id" : op == null ? "request.operation" : "request.path"));
        }
        Instant at = EventTimes.parse(time);
        if (at == null) {
            throw new Skip("time '" + Echo.shown(time) + "' is not an RFC 3339 instant");
        }
        String absurd = times.problem(at);
        if (absurd != null) {
            throw new Skip("time " + absurd);
        }
        JsonNode auth = n.path("auth");
        JsonNode issued = n.path("response").path("auth");
        String accessor = text(auth, "accessor");
        String principal = null;
        if (path.startsWith("auth/") && path.contains("/login")) {
            JsonNode meta = issued.isObject() ? issued.path("metadata") : auth.path("metadata");
            String role = text(meta, "role_name") != null ? text(meta, "role_name") : text(meta, "role");
            String mount = path.substring("auth/".length(), path.indexOf("/login"));
            if (role != null && !mount.isEmpty()) {
                principal = "vault://" + mount + "/role/" + role;
                String newAccessor = text(issued, "accessor");
                if (newAccessor != null) {
                    logins.put(newAccessor, principal);
                    if (logins.size() > MAX_OPEN_REQUESTS) {
                        Iterator<String> oldest = logins.keySet().iterator();
                        oldest.next();
                        oldest.remove();
                    }
                }
            } else if (issued.isMissingNode() && !"response".equals(type)) {
                // a login request before its response: who it is shows in the response
                principal = "vault://" + (mount.isEmpty() ? "auth" : mount) + "/login";
            }
        }
        if (principal == null && accessor != null) {
            principal = logins.get(accessor);
        }
        if (principal == null && text(auth, "entity_id") != null) {
            principal = "vault://entity/" + text(auth, "entity_id");
        }
        if (principal == null && text(auth, "display_name") != null) {
            principal = "vault://token/" + text(auth, "display_name");
        }
        if (principal == null) {
            principal = "vault://unauthenticated";
        }
        String mountType = text(req, "mount_type");
        String mountPoint = text(req, "mount_point");
        String resource = mountType == null && mountPoint == null
                ? null
                : (mountType == null ? "" : mountType + " ") + (mountPoint == null ? "" : mountPoint);
        String error = text(n, "error");
        if (error != null) {
            error = error.lines()
                    .map(String::strip)
                    .filter(s -> !s.isEmpty() && !s.endsWith("occurred:"))
                    .findFirst()
                    .orElse("error");
            error = error.startsWith("* ") ? error.substring(2) : error;
            error = error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
        }
        UsageEvent e = new UsageEvent(
                at,
                SOURCE_TYPE,
                scope,
                principal,
                credential(accessor),
                op + " " + path,
                resource == null ? null : resource.strip(),
                text(req, "remote_address"),
                null,
                path.startsWith("auth/") && path.contains("/login") ? UsageEvent.ISSUANCE : UsageEvent.API,
                error);
        if ("response".equals(type)) {
            open.remove(id);
            sink.accept(e);
        } else {
            open.put(id, e);
            if (open.size() > MAX_OPEN_REQUESTS) {
                Iterator<Map.Entry<String, UsageEvent>> oldest = open.entrySet().iterator();
                sink.accept(oldest.next().getValue());
                oldest.remove();
            }
        }
    }

    /** The accessor as logged when HMAC'd; a raw one ({@code log_raw}) only as a fingerprint. */
    static String credential(String accessor) {
        if (accessor == null || accessor.startsWith(HMAC)) {
            return accessor;
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(accessor.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
