package dev.warden.usage.cloudtrail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.input.Echo;
import dev.warden.input.Input;
import dev.warden.input.ParseErrors;
import dev.warden.usage.EventTimes;
import dev.warden.usage.LogFiles;
import dev.warden.usage.Skips;
import dev.warden.usage.UsageEvent;
import dev.warden.usage.UsageException;
import dev.warden.usage.UsageOptions;
import dev.warden.usage.UsageParser;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * AWS CloudTrail log files as a trail delivers them to S3: one JSON object {@code {"Records":
 * [...]}} per file, gzip-compressed ({@code .json.gz}) or not, in the layout {@code
 * AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/} when a directory is given.
 *
 * <p>The file is streamed: a Jackson {@link JsonParser} walks to {@code Records} and each element is
 * read as a tree on its own, so memory is bounded by one record, never by the file (a 100 MB file on
 * one line reads like any other); fields the mapping never reads (request and response detail,
 * mostly) are skipped without being decoded. A record larger than {@link #MAX_RECORD_BYTES}, or whose
 * used fields nest deeper than {@link #MAX_RECORD_DEPTH}, is skipped unread; a string longer than
 * the record limit is cut before it reaches the parser ({@link StringCap}), so a 100 MB string
 * costs a scan, not the heap.
 * Records that are not objects, or that {@link CloudTrailRecords} cannot map, are skipped as
 * {@code FILE Records[N]} (N counted from 0). JSON that breaks off or is malformed outside a record,
 * corrupt gzip, or a file that is not a log file at all refuses the whole file. Digest files
 * ({@code CloudTrail-Digest/}) hold no records and give no events.
 */
public final class CloudTrailParser implements UsageParser {
    public static final String NAME = "cloudtrail";

    /** The largest record read, in bytes of JSON; larger ones are skipped. */
    public static final int MAX_RECORD_BYTES = 1024 * 1024;

    /** The deepest nesting of a used field inside a record; deeper records are skipped. */
    public static final int MAX_RECORD_DEPTH = 64;

    /** Read-ahead of the JSON parser: the byte count may run this far past the token being read. */
    private static final int READ_AHEAD = 64 * 1024;

    /** Beyond these limits the parser cannot go on, so the file is refused (they are never reached by a string, see {@link StringCap}). */
    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxStringLength(2 * MAX_RECORD_BYTES)
            .maxNameLength(2 * MAX_RECORD_BYTES)
            .maxNestingDepth(1000)
            .maxNumberLength(1000)
            .build();

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(LIMITS)
            .errorReportConfiguration(ParseErrors.QUIET)
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private final EventTimes times;

    public CloudTrailParser(Clock clock) {
        this.times = new EventTimes(clock);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "AWS CloudTrail log files ({\"Records\":[...]}, .json or .json.gz, or the AWSLogs/ directory layout)";
    }

    @Override
    public void parse(Input input, UsageOptions options, Consumer<UsageEvent> sink, Skips skips) {
        String name = input.name();
        try (InputStream raw = LogFiles.open(input);
                StringCap capped = new StringCap(raw, MAX_RECORD_BYTES);
                JsonParser p = FACTORY.createParser(capped)) {
            try {
                readFile(p, capped, name, sink, skips);
            } catch (StreamConstraintsException e) {
                throw new UsageException(
                        name + ": " + at(p.currentLocation()) + "beyond a parser limit: " + first(e), e);
            }
        } catch (LogFiles.CorruptGzipException e) {
            throw new UsageException(name + ": corrupt gzip: " + e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new UsageException(name + ": " + at(e.getLocation()) + "malformed JSON: " + first(e), e);
        } catch (IOException e) {
            throw new UsageException(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    private void readFile(JsonParser p, StringCap capped, String name, Consumer<UsageEvent> sink, Skips skips)
            throws IOException {
        Reading r = new Reading(p, capped, name, sink, skips, new CloudTrailRecords(times));
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new UsageException(name + ": empty file, not a CloudTrail log file");
        }
        if (t == JsonToken.START_ARRAY) {
            r.readArray(name + " ");
            if (p.nextToken() != null) {
                throw new UsageException(name + ": " + at(p.currentTokenLocation()) + "content after the array");
            }
            return;
        }
        boolean first = true;
        for (; t != null; t = p.nextToken()) {
            if (t != JsonToken.START_OBJECT) {
                throw new UsageException(name + ": " + at(p.currentTokenLocation())
                        + "not a CloudTrail log file (expected {\"Records\": [...]}, an array or one event per line)");
            }
            r.readObject(name + ":" + p.currentTokenLocation().getLineNr(), first);
            first = false;
        }
    }

    /**
     * One file being read: the containers CloudTrail's records arrive in, in the order the research
     * catalogue gives (issue 13): {@code Records} (S3 delivery), {@code Events[].CloudTrailEvent}
     * ({@code lookup-events}), {@code events[]/logEvents[].message} (CloudWatch Logs, Firehose), an
     * EventBridge envelope's {@code detail}, else the object is one record (NDJSON, arrays).
     */
    private final class Reading {
        private final JsonParser p;
        private final String name;
        private final Consumer<UsageEvent> sink;
        private final Skips skips;
        private final CloudTrailRecords records;
        private final RecordReader reader;
        private final JsonNodeFactory nodes = JsonNodeFactory.instance;

        Reading(
                JsonParser p,
                StringCap capped,
                String name,
                Consumer<UsageEvent> sink,
                Skips skips,
                CloudTrailRecords records) {
            this.p = p;
            this.name = name;
            this.sink = sink;
            this.skips = skips;
            this.records = records;
            this.reader = new RecordReader(p, capped);
        }

        /** A bare array (jq -s, samples): each element a record, a container or an event JSON string. */
        void readArray(String prefix) throws IOException {
            int index = 0;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new UsageException(name + ": JSON breaks off inside the array");
                }
                String where = prefix + "[" + index++ + "]";
                if (t == JsonToken.START_OBJECT) {
                    readObject(where, false);
                } else if (t == JsonToken.VALUE_STRING) {
                    JsonNode record = embedded(p.getText(), where, "string");
                    if (record != null) {
                        records.map(record, where, sink, skips);
                    }
                } else {
                    skips.skip(where, "not a JSON object");
                    p.skipChildren();
                }
            }
        }

        /**
         * One object at the top level or in an array; the parser is on its {@code START_OBJECT}. An
         * object that is none of the known shapes refuses the file when it is the file's first value
         * ({@code strict}), else it is skipped.
         */
        void readObject(String where, boolean strict) throws IOException {
            long start = p.currentTokenLocation().getByteOffset();
            JsonStreamContext outer = p.getParsingContext().getParent();
            int depth = p.getParsingContext().getNestingDepth();
            ObjectNode record = nodes.objectNode();
            boolean container = false;
            boolean digest = false;
            boolean sawRecords = false;
            String detailType = null;
            String messageType = null;
            JsonNode detail = null;
            boolean queryRows = false;
            JsonToken t;
            try {
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    t = p.nextToken();
                    switch (field) {
                        case "Records" -> {
                            if (t != JsonToken.START_ARRAY || sawRecords) {
                                throw new UsageException(name + ": Records is not one array");
                            }
                            sawRecords = true;
                            container = true;
                            readRecords(name + " Records");
                        }
                        case "Events", "events", "logEvents" -> {
                            if (t == JsonToken.START_ARRAY && !"CONTROL_MESSAGE".equals(messageType)) {
                                container = true;
                                readWrapped(name + " " + field);
                            } else {
                                p.skipChildren();
                            }
                        }
                        case "detail" -> {
                            if (t == JsonToken.START_OBJECT) {
                                reader.begin(p.currentTokenLocation().getByteOffset(), true);
                                detail = MAPPER.readTree(reader);
                            } else {
                                p.skipChildren();
                            }
                        }
                        case "detail-type" -> detailType = t == JsonToken.VALUE_STRING ? p.getText() : "";
                        case "messageType" -> messageType = t == JsonToken.VALUE_STRING ? p.getText() : "";
                        case "QueryResultRows", "QueryStatus" -> {
                            queryRows = true;
                            p.skipChildren();
                        }
                        case "digestStartTime", "logFiles" -> {
                            digest = true;
                            p.skipChildren();
                        }
                        default -> {
                            if (CloudTrailRecords.RECORD_FIELDS.contains(field)) {
                                reader.begin(start, true, depth);
                                record.set(field, MAPPER.readTree(reader));
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                }
            } catch (RecordLimitException e) {
                skips.skip(where, e.getMessage());
                while (p.getParsingContext() != outer) {
                    if (p.nextToken() == null) {
                        throw new UsageException(name + ": JSON breaks off inside " + where);
                    }
                }
                return;
            }
            if (t != JsonToken.END_OBJECT) {
                throw new UsageException(name + ": JSON breaks off inside " + where);
            }
            if (container || digest || "CONTROL_MESSAGE".equals(messageType)) {
                return;
            }
            if (!container && p.currentLocation().getByteOffset() - start > MAX_RECORD_BYTES) {
                skips.skip(where, tooLarge());
                return;
            }
            if (queryRows) {
                throw new UsageException(name + ": CloudTrail Lake query rows, not events; export whole events"
                        + " (SELECT eventJson, or an NDJSON export)");
            }
            if (detailType != null && detail != null) {
                if (!detailType.contains("CloudTrail")) {
                    skips.skip(
                            where,
                            "EventBridge event of detail-type '" + Echo.shown(detailType)
                                    + "' is not a CloudTrail event");
                    return;
                }
                records.map(detail, where + " detail", sink, skips);
                return;
            }
            if (record.has("eventTime") || record.has("eventSource") || record.has("userIdentity")) {
                records.map(record, where, sink, skips);
                return;
            }
            if (strict) {
                throw new UsageException(name + ": no Records array, not a CloudTrail log file (nor an event, a"
                        + " lookup-events output, an EventBridge envelope or CloudWatch Logs events)");
            }
            skips.skip(where, "not a CloudTrail event or container");
        }

        private void readRecords(String prefix) throws IOException {
            JsonStreamContext array = p.getParsingContext();
            int index = 0;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new UsageException(name + ": JSON breaks off inside " + prefix);
                }
                String where = prefix + "[" + index++ + "]";
                if (t != JsonToken.START_OBJECT) {
                    skips.skip(where, "not a JSON object");
                    p.skipChildren();
                    continue;
                }
                long start = p.currentTokenLocation().getByteOffset();
                JsonNode record;
                try {
                    reader.begin(start, true);
                    record = MAPPER.readTree(reader);
                } catch (RecordLimitException e) {
                    skips.skip(where, e.getMessage());
                    toEndOf(array, where);
                    continue;
                }
                if (p.currentLocation().getByteOffset() - start > MAX_RECORD_BYTES) {
                    skips.skip(where, tooLarge());
                    continue;
                }
                records.map(record, where, sink, skips);
            }
        }

        /**
         * {@code Events[]} of {@code lookup-events} ({@code CloudTrailEvent}, a JSON string, the
         * record; {@code EventTime} its fallback time) and {@code events[]}/{@code logEvents[]} of
         * CloudWatch Logs ({@code message}, a JSON string).
         */
        private void readWrapped(String prefix) throws IOException {
            JsonStreamContext array = p.getParsingContext();
            int index = 0;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new UsageException(name + ": JSON breaks off inside " + prefix);
                }
                String where = prefix + "[" + index++ + "]";
                if (t != JsonToken.START_OBJECT) {
                    skips.skip(where, "not a JSON object");
                    p.skipChildren();
                    continue;
                }
                JsonNode element;
                try {
                    reader.begin(p.currentTokenLocation().getByteOffset(), false);
                    element = MAPPER.readTree(reader);
                } catch (RecordLimitException e) {
                    skips.skip(where, e.getMessage());
                    toEndOf(array, where);
                    continue;
                }
                JsonNode text =
                        element.has("CloudTrailEvent") ? element.get("CloudTrailEvent") : element.get("message");
                String field = element.has("CloudTrailEvent") ? "CloudTrailEvent" : "message";
                if (text == null || !text.isTextual()) {
                    skips.skip(where, "no " + field + " string");
                    continue;
                }
                JsonNode record = embedded(text.textValue(), where + "." + field, field);
                if (record != null) {
                    if (!record.has("eventTime") && element.has("EventTime") && record instanceof ObjectNode o) {
                        o.set("eventTime", element.get("EventTime"));
                    }
                    records.map(record, where, sink, skips);
                }
            }
        }

        /** An event held in a JSON string; null (and a skip) when the string is not one JSON object. */
        private JsonNode embedded(String text, String where, String field) {
            if (text.length() > MAX_RECORD_BYTES) {
                skips.skip(where, tooLarge());
                return null;
            }
            JsonNode record;
            try {
                record = MAPPER.readTree(text);
            } catch (JsonProcessingException e) {
                skips.skip(where, field + " is not JSON (truncated?)");
                return null;
            }
            if (record == null || !record.isObject()) {
                skips.skip(where, field + " is not a JSON object");
                return null;
            }
            return record;
        }

        /** After a record over a limit: on to the end of it, so that the array can go on. */
        private void toEndOf(JsonStreamContext array, String where) throws IOException {
            while (p.getParsingContext() != array) {
                if (p.nextToken() == null) {
                    throw new UsageException(name + ": JSON breaks off inside " + where);
                }
            }
        }
    }

    private static String tooLarge() {
        return "record is larger than " + MAX_RECORD_BYTES / 1024 + " KiB";
    }

    private static String at(JsonLocation l) {
        if (l == null || l.getByteOffset() < 0) {
            return "";
        }
        return "byte " + l.getByteOffset() + ": ";
    }

    /** The parser's complaint in Warden's words: never the input it could not read. */
    private static String first(JsonProcessingException e) {
        return ParseErrors.description(e);
    }

    /** A record over a limit: reading it stops, the parser is left between tokens and can go on. */
    private static final class RecordLimitException extends IOException {
        private static final long serialVersionUID = 1L;

        RecordLimitException(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // control flow, not a failure: no stack trace to fill
        }
    }

    /**
     * The parser as the tree reader sees it. Every step checks that the record stays within {@link
     * #MAX_RECORD_BYTES} (counted on the bytes passed to the parser, which run at most {@link
     * #READ_AHEAD} ahead; the exact size is checked once the record is read) and {@link
     * #MAX_RECORD_DEPTH}. Fields {@link CloudTrailRecords} never reads are skipped, not built: a
     * skipped value's strings are never decoded (most of a record is request and response detail).
     */
    private static final class RecordReader extends JsonParserDelegate {
        private final StringCap capped;
        private long limit;
        private int baseDepth;
        private boolean filter;

        RecordReader(JsonParser p, StringCap capped) {
            super(p);
            this.capped = capped;
        }

        /** Starts a record at {@code start}; {@code filter}: skip the fields the mapping never reads. */
        void begin(long start, boolean filter) {
            begin(start, filter, delegate.getParsingContext().getNestingDepth());
        }

        /** As {@link #begin(long, boolean)}, for a record whose object is at nesting {@code depth}. */
        void begin(long start, boolean filter, int depth) {
            limit = start + MAX_RECORD_BYTES + READ_AHEAD;
            baseDepth = depth;
            this.filter = filter;
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken t = delegate.nextToken();
            while (t == JsonToken.FIELD_NAME && filter && !wanted()) {
                delegate.nextToken();
                delegate.skipChildren();
                t = delegate.nextToken();
            }
            if (capped.passed() > limit) {
                throw new RecordLimitException(tooLarge());
            }
            if ((t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)
                    && delegate.getParsingContext().getNestingDepth() - baseDepth > MAX_RECORD_DEPTH) {
                throw new RecordLimitException("record nests deeper than " + MAX_RECORD_DEPTH + " levels");
            }
            return t;
        }

        /** Whether the field just read is one the mapping uses (or lies under one). */
        private boolean wanted() throws IOException {
            JsonStreamContext ctx = delegate.getParsingContext();
            int depth = ctx.getNestingDepth() - baseDepth;
            String name = delegate.currentName();
            if (depth == 0) {
                return CloudTrailRecords.RECORD_FIELDS.contains(name);
            }
            JsonStreamContext top = ctx;
            for (int i = 0; i < depth; i++) {
                top = top.getParent();
            }
            String field = top.getCurrentName();
            if (field == null) {
                return true;
            }
            return switch (field) {
                case "requestParameters" -> depth > 1 || CloudTrailRecords.PARAMETER_FIELDS.contains(name);
                case "responseElements" -> depth > 1 || CloudTrailRecords.SIGN_IN_EVENTS.contains(name);
                case "resources" -> depth > 2 || CloudTrailRecords.RESOURCE_FIELDS.contains(name);
                default -> true;
            };
        }

        @Override
        public JsonToken nextValue() throws IOException {
            JsonToken t = nextToken();
            return t == JsonToken.FIELD_NAME ? nextToken() : t;
        }

        @Override
        public String nextFieldName() throws IOException {
            return nextToken() == JsonToken.FIELD_NAME ? delegate.currentName() : null;
        }

        @Override
        public boolean nextFieldName(SerializableString str) throws IOException {
            return nextToken() == JsonToken.FIELD_NAME && str.getValue().equals(delegate.currentName());
        }

        @Override
        public String nextTextValue() throws IOException {
            return nextToken() == JsonToken.VALUE_STRING ? delegate.getText() : null;
        }

        @Override
        public int nextIntValue(int defaultValue) throws IOException {
            return nextToken() == JsonToken.VALUE_NUMBER_INT ? delegate.getIntValue() : defaultValue;
        }

        @Override
        public long nextLongValue(long defaultValue) throws IOException {
            return nextToken() == JsonToken.VALUE_NUMBER_INT ? delegate.getLongValue() : defaultValue;
        }

        @Override
        public Boolean nextBooleanValue() throws IOException {
            JsonToken t = nextToken();
            return t == JsonToken.VALUE_TRUE ? Boolean.TRUE : t == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
        }
    }
}
