package dev.warden.usage.k8saudit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.input.Input;
import dev.warden.input.ParseErrors;
import dev.warden.usage.LogFiles;
import dev.warden.usage.LogRecords;
import dev.warden.usage.Skips;
import dev.warden.usage.UsageEvent;
import dev.warden.usage.UsageException;
import dev.warden.usage.UsageOptions;
import dev.warden.usage.UsageParser;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Kubernetes audit logs as the API server's log backend writes them: one JSON {@code
 * audit.k8s.io/v1} {@code Event} per line, plain or gzip (rotated files), mapped by {@link
 * AuditEvents}. The log does not name its cluster, so the ingestion must ({@link
 * UsageOptions#cluster()}).
 *
 * <p>One request, one event: an audit backend writes a request once per stage it records; the final
 * stage ({@code ResponseComplete}, or {@code Panic}) is counted. A request whose final stage the file
 * lacks (a policy omitting it, a file cut by rotation) is counted at its last recorded stage, at the
 * end of the file; at most {@link #MAX_OPEN_REQUESTS} such requests are held, the oldest counted
 * early when more arrive (and not again when its final stage follows).
 *
 * <p>Lines longer than {@link #MAX_LINE_BYTES}, lines that are not JSON and events that cannot be
 * mapped are skipped as {@code FILE:LINE}. A file whose first line is not a JSON object is not an
 * audit log and is refused; so is corrupt gzip.
 */
public final class KubernetesAuditParser implements UsageParser {
    public static final String NAME = "k8s-audit";

    /** The longest line read; longer ones are skipped. */
    public static final int MAX_LINE_BYTES = 1024 * 1024;

    /** Requests seen without their final stage that are held until it comes. */
    static final int MAX_OPEN_REQUESTS = 10_000;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .errorReportConfiguration(ParseErrors.QUIET)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(200)
                    .maxStringLength(MAX_LINE_BYTES)
                    .maxNameLength(MAX_LINE_BYTES)
                    .build())
            .build());

    private final AuditEvents events;

    public KubernetesAuditParser(Clock clock) {
        this.events = new AuditEvents(clock);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Kubernetes audit log (audit.k8s.io/v1 Event JSON lines, plain or gzip; needs --cluster)";
    }

    @Override
    public void parse(Input input, UsageOptions options, Consumer<UsageEvent> sink, Skips skips) {
        if (options == null || options.cluster() == null) {
            throw new IllegalArgumentException(
                    NAME + ": name the cluster this audit log comes from (--cluster NAME, or ?cluster= over HTTP)");
        }
        String name = input.name();
        try (InputStream in = LogFiles.open(input)) {
            read(new Lines(in, MAX_LINE_BYTES), name, options.cluster(), sink, skips);
        } catch (LogFiles.CorruptGzipException e) {
            throw new UsageException(name + ": corrupt gzip: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UsageException(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    private void read(Lines lines, String name, String cluster, Consumer<UsageEvent> sink, Skips skips)
            throws IOException {
        Map<String, UsageEvent> open = new LinkedHashMap<>();
        Set<String> countedEarly = new LinkedHashSet<>();
        boolean first = true;
        while (lines.next()) {
            String where = name + ":" + lines.number();
            if (lines.tooLong()) {
                skips.skip(where, "line longer than " + MAX_LINE_BYTES / 1024 + " KiB");
                first = false;
                continue;
            }
            byte[] b = lines.bytes();
            int from = 0;
            int to = lines.length();
            if (first && to >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF) {
                from = 3;
            }
            while (from < to && (b[from] == ' ' || b[from] == '\t')) {
                from++;
            }
            if (from == to) {
                continue;
            }
            if (first && b[from] != '{') {
                throw new UsageException(
                        where + ": not a Kubernetes audit log (expected one JSON audit.k8s.io/v1" + " Event per line)");
            }
            first = false;
            JsonNode node;
            try {
                node = MAPPER.readTree(b, from, to - from);
            } catch (JsonProcessingException e) {
                skips.skip(where, "not JSON: " + ParseErrors.description(e));
                continue;
            }
            AuditEvents.Audit a;
            try {
                a = events.read(node, cluster);
            } catch (LogRecords.Skip | IllegalArgumentException e) {
                skips.skip(where, e.getMessage());
                continue;
            }
            if (AuditEvents.FINAL_STAGES.contains(a.stage())) {
                open.remove(a.auditId());
                if (a.event() != null && !countedEarly.remove(a.auditId())) {
                    sink.accept(a.event());
                }
            } else if (a.event() != null) {
                open.remove(a.auditId());
                open.put(a.auditId(), a.event());
                if (open.size() > MAX_OPEN_REQUESTS) {
                    Iterator<Map.Entry<String, UsageEvent>> oldest =
                            open.entrySet().iterator();
                    Map.Entry<String, UsageEvent> e = oldest.next();
                    sink.accept(e.getValue());
                    oldest.remove();
                    countedEarly.add(e.getKey());
                    if (countedEarly.size() > MAX_OPEN_REQUESTS) {
                        Iterator<String> forget = countedEarly.iterator();
                        forget.next();
                        forget.remove();
                    }
                }
            }
        }
        open.values().forEach(sink);
    }
}
