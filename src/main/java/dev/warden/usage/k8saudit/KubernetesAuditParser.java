package dev.warden.usage.k8saudit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Kubernetes audit logs as the API server's log backend writes them: one JSON {@code
 * audit.k8s.io/v1} {@code Event} per line, plain or gzip (rotated files), or a JSON document
 * (pretty-printed events, an array, the wrappers {@link Wrappers} unwraps), mapped by {@link
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
    private final Wrappers wrappers = new Wrappers(MAPPER);

    public KubernetesAuditParser(Clock clock) {
        this.events = new AuditEvents(clock);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Kubernetes audit log (audit.k8s.io Events as JSON lines, pretty JSON or EventList; GKE, AKS and EKS"
                + " exports; plain or gzip; needs --cluster)";
    }

    @Override
    public void parse(Input input, UsageOptions options, Consumer<UsageEvent> sink, Skips skips) {
        if (options == null || options.cluster() == null) {
            throw new IllegalArgumentException(
                    NAME + ": name the cluster this audit log comes from (--cluster NAME, or ?cluster= over HTTP)");
        }
        String name = input.name();
        Requests requests = new Requests(options.cluster(), sink, skips);
        boolean document;
        try (InputStream in = LogFiles.open(input)) {
            document = !readLines(new Lines(in, MAX_LINE_BYTES), name, requests, skips);
        } catch (LogFiles.CorruptGzipException e) {
            throw new UsageException(name + ": corrupt gzip: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UsageException(name + ": cannot read: " + e.getMessage(), e);
        }
        if (document) {
            try (InputStream in = LogFiles.open(input)) {
                readDocument(in, name, requests);
            } catch (LogFiles.CorruptGzipException e) {
                throw new UsageException(name + ": corrupt gzip: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new UsageException(name + ": cannot read: " + e.getMessage(), e);
            }
        }
        requests.finish();
    }

    /** A CloudWatch Logs export line: the event's ISO-8601 time, a space, the message. */
    private static boolean timestampPrefixed(byte[] b, int from, int to) {
        if (to - from < 12 || b[from] < '0' || b[from] > '9' || b[from + 4] != '-' || b[from + 10] != 'T') {
            return false;
        }
        for (int i = from; i < to - 1; i++) {
            if (b[i] == ' ') {
                return b[i + 1] == '{';
            }
        }
        return false;
    }

    private static int afterPrefix(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == ' ') {
                return i + 1;
            }
        }
        return to;
    }

    /**
     * Reads JSON lines; false, having read nothing, when the first value does not end with the first
     * line (a pretty-printed event, a JSON array): that file is a JSON document.
     */
    private boolean readLines(Lines lines, String name, Requests requests, Skips skips) throws IOException {
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
            if (b[from] != '{' && b[from] != '[' && timestampPrefixed(b, from, to)) {
                from = afterPrefix(b, from, to);
            } else if (first && b[from] == '[') {
                return false;
            } else if (first && b[from] != '{') {
                throw new UsageException(where + ": not a Kubernetes audit log (expected JSON audit.k8s.io Events"
                        + (legacy(b, from, to) ? "; the legacy text format is not read" : "") + ")");
            }
            JsonNode node;
            try {
                node = MAPPER.readTree(b, from, to - from);
            } catch (JsonProcessingException e) {
                if (first) {
                    return false;
                }
                skips.skip(where, "not JSON: " + ParseErrors.description(e));
                continue;
            }
            first = false;
            requests.value(node, where);
        }
        return true;
    }

    private static boolean legacy(byte[] b, int from, int to) {
        String head = new String(b, from, Math.min(to - from, 80), StandardCharsets.UTF_8);
        return head.contains(" AUDIT: ");
    }

    /**
     * Reads a JSON document: pretty-printed events one after another, a top-level array of them, or
     * a wrapper object whose {@code items}, {@code events}, {@code records} or {@code logEvents}
     * array is streamed element by element, so memory stays bounded by one event. JSON that breaks
     * off refuses the file, naming the line.
     */
    private void readDocument(InputStream in, String name, Requests requests) throws IOException {
        try (JsonParser p = MAPPER.createParser(in)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.START_ARRAY) {
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        String where = name + ":" + p.currentTokenLocation().getLineNr();
                        requests.value(p.readValueAsTree(), where);
                    }
                } else if (t == JsonToken.START_OBJECT) {
                    String where = name + ":" + p.currentTokenLocation().getLineNr();
                    ObjectNode head = JsonNodeFactory.instance.objectNode();
                    boolean streamed = false;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        JsonToken v = p.nextToken();
                        if (v == JsonToken.START_ARRAY && STREAMED.contains(field) && !head.has("auditID")) {
                            streamed = true;
                            while (p.nextToken() != JsonToken.END_ARRAY) {
                                String at =
                                        name + ":" + p.currentTokenLocation().getLineNr();
                                JsonNode e = p.readValueAsTree();
                                requests.element(e, at);
                            }
                        } else {
                            head.set(field, p.readValueAsTree());
                        }
                    }
                    if (!streamed) {
                        requests.value(head, where);
                    }
                } else {
                    throw new UsageException(
                            name + ":" + p.currentTokenLocation().getLineNr() + ": not a Kubernetes audit log (a JSON "
                                    + t.asString() + " where events belong)");
                }
            }
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new UsageException(name + ":" + line + ": not JSON: " + ParseErrors.description(e), e);
        }
    }

    private static final Set<String> STREAMED = Set.of("items", "events", "records", "logEvents");

    /**
     * One request, one event: holds requests seen without their final stage (bounded), counts each
     * once.
     */
    private final class Requests {
        private final String cluster;
        private final Consumer<UsageEvent> sink;
        private final Skips skips;
        private final Map<String, UsageEvent> open = new LinkedHashMap<>();
        private final Set<String> countedEarly = new LinkedHashSet<>();

        Requests(String cluster, Consumer<UsageEvent> sink, Skips skips) {
            this.cluster = cluster;
            this.sink = sink;
            this.skips = skips;
        }

        void value(JsonNode node, String where) {
            try {
                wrappers.unwrap(node, e -> event(e, where), r -> skips.skip(where, r));
            } catch (LogRecords.Skip e) {
                skips.skip(where, e.getMessage());
            }
        }

        void element(JsonNode node, String where) {
            try {
                wrappers.element(node, e -> event(e, where), r -> skips.skip(where, r));
            } catch (LogRecords.Skip e) {
                skips.skip(where, e.getMessage());
            }
        }

        private void event(JsonNode node, String where) {
            AuditEvents.Audit a;
            try {
                a = events.read(node, cluster);
            } catch (LogRecords.Skip | IllegalArgumentException e) {
                skips.skip(where, e.getMessage());
                return;
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

        void finish() {
            open.values().forEach(sink);
        }
    }
}
