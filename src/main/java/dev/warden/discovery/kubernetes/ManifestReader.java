package dev.warden.discovery.kubernetes;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.input.Echo;
import dev.warden.input.Input;
import dev.warden.input.InputException;
import dev.warden.input.SafeParsers;
import dev.warden.input.TreeReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the Kubernetes objects of one file: JSON (one object, or a {@code List} such as
 * {@code kubectl get ... -o json} writes) or YAML (any number of {@code ---}-separated documents,
 * each an object or a {@code List}). The items of a {@code List} are handed on one by one as they
 * are parsed, so a List of any length is read in bounded memory.
 *
 * <p>Format is recognised by content, not by file name: a first character of <code>&#123;</code>
 * or {@code [} means JSON, anything else YAML. A document that is not a Kubernetes object (no
 * {@code kind}) is an error in a file named on its own and is skipped with a note in a file found
 * by walking a directory (a Helm {@code values.yaml} beside rendered manifests).
 */
final class ManifestReader {
    /** Receives each Kubernetes object with where it starts ({@code file:line}). */
    interface Sink {
        void object(JsonNode object, String where);
    }

    private final Input input;
    private final boolean lenient;
    private final Sink sink;
    private final Notes notes;
    private int document;
    private long listItems;
    private final List<Pending> pending = new ArrayList<>();
    /** Items of a typed list read before the list's kind that are held until it comes. */
    private static final int MAX_PENDING = 10_000;

    private record Pending(ObjectNode item, long line, long index) {}

    private ManifestReader(Input input, boolean lenient, Sink sink, Notes notes) {
        this.input = input;
        this.lenient = lenient;
        this.sink = sink;
        this.notes = notes;
    }

    /** Reads {@code input}; {@code lenient} when it was found in a directory rather than named. */
    static void read(Input input, boolean lenient, Sink sink, Notes notes) {
        new ManifestReader(input, lenient, sink, notes).read();
    }

    private void read() {
        JsonParser parser = null;
        try (InputStream raw = input.open();
                BufferedInputStream in = new BufferedInputStream(raw, 65536)) {
            switch (SafeParsers.sniff(in)) {
                case BINARY -> throw new InputException(input.name() + ": binary content, not YAML or JSON");
                case EMPTY -> {
                    empty();
                    return;
                }
                case JSON -> {
                    parser = SafeParsers.json(in);
                    readJson(parser);
                }
                case YAML -> {
                    parser = SafeParsers.yaml(in);
                    readYaml(parser);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InputException d) {
                throw d;
            }
            throw SafeParsers.error(input.name(), parser, e);
        } finally {
            close(parser);
        }
    }

    private void readJson(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t != JsonToken.START_OBJECT) {
            throw InputException.at(
                    input.name(),
                    p.currentTokenLocation().getLineNr(),
                    "expected a Kubernetes object or List (a JSON object), found " + describe(t));
        }
        document = 1;
        TreeReader reader = new TreeReader(p, false, true);
        long line = p.currentTokenLocation().getLineNr();
        JsonNode root = reader.readRoot(this::item);
        root(root, line, reader.streamedItems());
        if (p.nextToken() != null) {
            throw InputException.at(input.name(), p.currentTokenLocation().getLineNr(), "content after the JSON value");
        }
    }

    private void readYaml(JsonParser p) throws IOException {
        TreeReader reader = new TreeReader(p, true, true);
        boolean any = false;
        while (p.nextToken() != null) {
            document++;
            reader.newDocument();
            long line = p.currentTokenLocation().getLineNr();
            JsonNode root = reader.readRoot(this::item);
            if (root.isNull()
                    || root.isMissingNode()
                    || (root.isTextual() && root.asText().isEmpty())) {
                continue; // an empty document
            }
            any = true;
            if (!root.isObject()) {
                notAnObject(line, "document " + document + " is " + describe(root) + ", not a Kubernetes object");
                continue;
            }
            root(root, line, reader.streamedItems());
        }
        if (!any) {
            empty();
        }
    }

    private void empty() {
        if (lenient) {
            notes.add(input.name() + ": empty, skipped");
            return;
        }
        throw new InputException(input.name() + ": empty (no Kubernetes objects)");
    }

    /** An element of a root mapping's items, handed over while the root is still being read. */
    private void item(JsonNode item, long line, ObjectNode rootSoFar) {
        long index = listItems++;
        if (!item.isObject()) {
            throw InputException.at(input.name(), line, "items/" + index + " is " + describe(item) + ", not an object");
        }
        if (text(item, "kind") != null) {
            sink.object(item, input.name() + ":" + line);
        } else if (text(rootSoFar, "kind") != null) {
            typed((ObjectNode) item, rootSoFar, line, index);
        } else if (pending.size() < MAX_PENDING) {
            pending.add(new Pending((ObjectNode) item, line, index));
        } else {
            throw InputException.at(
                    input.name(), line, "more than " + MAX_PENDING + " items without a kind before the list's kind");
        }
    }

    private void root(JsonNode root, long line, boolean streamed) {
        String kind = text(root, "kind");
        if (streamed) {
            if (kind != null && !kind.endsWith("List")) {
                throw InputException.at(
                        input.name(), line, "has items but its kind " + Echo.quoted(kind) + " is not a List");
            }
            for (Pending p : pending) {
                typed(p.item(), (ObjectNode) root, p.line(), p.index());
            }
            pending.clear();
            listItems = 0;
            return;
        }
        if (kind == null) {
            notAnObject(line, "document " + document + " has no kind: not a Kubernetes object");
            return;
        }
        if (kind.endsWith("List") && root.has("items") && !root.get("items").isArray()) {
            throw InputException.at(input.name(), line, "items of " + Echo.quoted(kind) + " is not a sequence");
        }
        if (kind.endsWith("List") && !root.has("items") && root.has("apiVersion")) {
            return; // an empty List written without items
        }
        sink.object(root, input.name() + ":" + line);
    }

    /** An item of a typed list ({@code ServiceAccountList}) carries no kind: it is the list's. */
    private void typed(ObjectNode item, JsonNode root, long line, long index) {
        String listKind = text(root, "kind");
        if (listKind == null || !listKind.endsWith("List") || listKind.equals("List")) {
            throw InputException.at(input.name(), line, "items/" + index + " has no kind");
        }
        item.put("kind", listKind.substring(0, listKind.length() - "List".length()));
        if (!item.has("apiVersion") && text(root, "apiVersion") != null) {
            item.put("apiVersion", text(root, "apiVersion"));
        }
        sink.object(item, input.name() + ":" + line);
    }

    private void notAnObject(long line, String message) {
        if (lenient) {
            notes.add(input.name() + ":" + line + ": " + message + "; skipped");
            return;
        }
        throw InputException.at(input.name(), line, message);
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isValueNode() && !v.isNull() && !v.asText().isBlank() ? v.asText() : null;
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_ARRAY -> "a sequence";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private static String describe(JsonNode n) {
        if (n.isArray()) {
            return "a sequence";
        }
        if (n.isTextual()) {
            return "a string";
        }
        if (n.isNumber()) {
            return "a number";
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        return n.isObject() ? "a mapping" : "null";
    }

    private static void close(JsonParser p) {
        if (p != null) {
            try {
                p.close();
            } catch (IOException e) {
                // nothing more to read; the input stream is closed by its owner
            }
        }
    }
}
