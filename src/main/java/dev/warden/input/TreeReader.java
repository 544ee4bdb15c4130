package dev.warden.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Builds one value (a YAML document, a JSON {@code List} item) from a streaming parser into a tree,
 * with the limits hostile input needs. Jackson's YAML parser reports an alias ({@code *name}) as a
 * string and leaves its expansion to the caller; this reader expands it by sharing the anchored
 * node (no copy), counts what each alias adds, and refuses a document whose aliases add more than
 * {@link #MAX_ALIAS_NODES} nodes or number more than {@link #MAX_ALIASES} — the billion-laughs
 * bomb stops after a few thousand nodes instead of a billion. Nesting deeper than
 * {@link #MAX_DEPTH}, duplicate keys and recursive aliases are refused too. Optionally the YAML
 * merge key ({@code <<: *base}) is applied, as Kubernetes' YAML (YAML 1.1) does.
 *
 * <p>Fields a caller never needs can be skipped unread into the tree: for Kubernetes objects the
 * top-level {@code data}, {@code stringData} and {@code binaryData} (secret values are never kept)
 * and {@code metadata.managedFields}.
 */
public final class TreeReader {
    /** Deepest nesting of mappings and sequences accepted in one value. */
    public static final int MAX_DEPTH = 100;
    /** Most aliases to collections in one YAML document. */
    public static final int MAX_ALIASES = 1_000;
    /** Most nodes that aliases may add to one YAML document by expansion. */
    public static final long MAX_ALIAS_NODES = 100_000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonParser parser;
    private final YAMLParser yaml;
    private final boolean mergeKeys;
    private final boolean skipKubernetesPayload;
    private final Map<String, Anchored> anchors = new HashMap<>();
    private int aliases;
    private long aliasNodes;
    private long lastWeight;
    private boolean streamedItems;

    private record Anchored(JsonNode node, long weight) {}

    /**
     * A reader over {@code parser}. {@code mergeKeys} applies YAML {@code <<} merges;
     * {@code skipKubernetesPayload} skips data/stringData/binaryData and metadata.managedFields.
     */
    public TreeReader(JsonParser parser, boolean mergeKeys, boolean skipKubernetesPayload) {
        this.parser = parser;
        this.yaml = parser instanceof YAMLParser y ? y : null;
        this.mergeKeys = mergeKeys && yaml != null;
        this.skipKubernetesPayload = skipKubernetesPayload;
    }

    /** The error for input that breaks a limit or a rule; carries the line. */
    public static final class LimitException extends IOException {
        private static final long serialVersionUID = 1L;
        private final long line;

        LimitException(long line, String message) {
            super(message);
            this.line = line;
        }

        public long line() {
            return line;
        }
    }

    /** Forgets the anchors and alias counts: a new YAML document starts. */
    public void newDocument() {
        anchors.clear();
        aliases = 0;
        aliasNodes = 0;
    }

    /** Receives the elements of a root mapping's {@code items} sequence one by one. */
    @FunctionalInterface
    public interface ItemSink {
        void item(JsonNode item, long line, ObjectNode rootSoFar) throws IOException;
    }

    /** Reads the value at the parser's current token (which must be a value token) as a document root. */
    public JsonNode readRoot() throws IOException {
        return read(1, null, null);
    }

    /**
     * Reads a document root; if it is a mapping with an {@code items} sequence (a Kubernetes
     * {@code List}), each element goes to {@code sink} as soon as it is read, and the root returned
     * has no {@code items}: the list is never held whole.
     */
    public JsonNode readRoot(ItemSink sink) throws IOException {
        streamedItems = false;
        return read(1, null, sink);
    }

    /** Whether the last {@link #readRoot(ItemSink)} streamed an {@code items} sequence to its sink. */
    public boolean streamedItems() {
        return streamedItems;
    }

    private JsonNode read(int depth, String parentField, ItemSink sink) throws IOException {
        JsonToken t = parser.currentToken();
        if (t == null) {
            throw limit("unexpected end of input");
        }
        String anchor = anchorOf(t);
        JsonNode node;
        long weight = 1;
        switch (t) {
            case START_OBJECT -> {
                checkDepth(depth);
                ObjectNode o = NODES.objectNode();
                List<JsonNode> merges = new ArrayList<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    long line = parser.currentTokenLocation().getLineNr();
                    parser.nextToken();
                    if (skipKubernetesPayload && skipped(depth, parentField, field)) {
                        parser.skipChildren();
                        continue;
                    }
                    if (sink != null && field.equals("items") && parser.currentToken() == JsonToken.START_ARRAY) {
                        if (o.has(field)) {
                            throw new LimitException(line, "duplicate key 'items'");
                        }
                        streamItems(sink, o);
                        streamedItems = true;
                        o.putNull(field);
                        continue;
                    }
                    JsonNode value = read(depth + 1, field, null);
                    weight += lastWeight;
                    if (mergeKeys && "<<".equals(field)) {
                        merges.add(value);
                        continue;
                    }
                    if (o.has(field)) {
                        throw new LimitException(line, "duplicate key '" + Echo.shown(field) + "'");
                    }
                    o.set(field, value);
                }
                if (parser.currentToken() != JsonToken.END_OBJECT) {
                    throw limit("unexpected end of input in a mapping");
                }
                applyMerges(o, merges);
                node = o;
            }
            case START_ARRAY -> {
                checkDepth(depth);
                ArrayNode a = NODES.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    if (parser.currentToken() == null) {
                        throw limit("unexpected end of input in a sequence");
                    }
                    a.add(read(depth + 1, null, null));
                    weight += lastWeight;
                }
                node = a;
            }
            case VALUE_STRING -> {
                if (yaml != null && yaml.isCurrentAlias()) {
                    node = alias(parser.getText());
                    weight = lastWeight;
                } else {
                    node = NODES.textNode(parser.getText());
                }
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> node = number();
            case VALUE_TRUE -> node = NODES.booleanNode(true);
            case VALUE_FALSE -> node = NODES.booleanNode(false);
            case VALUE_NULL -> node = NODES.nullNode();
            case VALUE_EMBEDDED_OBJECT -> node = NODES.textNode(parser.getText());
            default -> throw limit("unexpected " + t);
        }
        if (anchor != null) {
            anchors.put(anchor, new Anchored(node, weight));
        }
        lastWeight = weight;
        return node;
    }

    private void streamItems(ItemSink sink, ObjectNode root) throws IOException {
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() == null) {
                throw limit("unexpected end of input in items");
            }
            long line = parser.currentTokenLocation().getLineNr();
            sink.item(read(1, null, null), line, root);
        }
    }

    private String anchorOf(JsonToken t) throws IOException {
        if (yaml == null || t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY || t == JsonToken.FIELD_NAME) {
            return null;
        }
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            return yaml.getObjectId();
        }
        return yaml instanceof SafeParsers.AnchoredYamlParser a ? a.scalarAnchor() : null;
    }

    private JsonNode alias(String name) throws IOException {
        Anchored a = anchors.get(name);
        if (a == null) {
            throw limit("alias *" + Echo.shown(name) + " refers to no earlier anchor (undefined or recursive)");
        }
        if (a.node().isContainerNode()) {
            aliases++;
            if (aliases > MAX_ALIASES) {
                throw limit("more than " + MAX_ALIASES + " aliases in one document (a YAML bomb?)");
            }
        }
        aliasNodes += a.weight();
        if (aliasNodes > MAX_ALIAS_NODES) {
            throw limit("aliases expand to more than " + MAX_ALIAS_NODES + " nodes (a YAML bomb?)");
        }
        lastWeight = a.weight();
        return a.node();
    }

    private void applyMerges(ObjectNode o, List<JsonNode> merges) throws IOException {
        for (JsonNode m : merges) {
            List<JsonNode> sources = new ArrayList<>();
            if (m.isArray()) {
                m.forEach(sources::add);
            } else {
                sources.add(m);
            }
            for (JsonNode s : sources) {
                if (!s.isObject()) {
                    throw limit("a merge key (<<) takes a mapping or a sequence of mappings");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!o.has(e.getKey())) {
                        o.set(e.getKey(), e.getValue());
                    }
                }
            }
        }
    }

    private JsonNode number() throws IOException {
        try {
            return switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                case BIG_INTEGER -> NODES.numberNode(parser.getBigIntegerValue());
                default -> NODES.numberNode(parser.getDoubleValue());
            };
        } catch (IOException | NumberFormatException e) {
            return NODES.textNode(parser.getText());
        }
    }

    private static boolean skipped(int depth, String parentField, String field) {
        if (depth == 1) {
            return field.equals("data") || field.equals("stringData") || field.equals("binaryData");
        }
        return depth == 2 && "metadata".equals(parentField) && field.equals("managedFields");
    }

    private void checkDepth(int depth) throws LimitException {
        if (depth > MAX_DEPTH) {
            throw limit("nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private LimitException limit(String message) {
        return new LimitException(parser.currentTokenLocation().getLineNr(), message);
    }
}
