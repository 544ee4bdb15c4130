package dev.warden.policy;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.List;

/**
 * A policy's {@code grant.spiffeId}: a literal SPIFFE ID, or one with {@code {{...}}} parts that
 * are CEL string expressions over the same variables as a condition, e.g.
 * {@code spiffe://example.org/ns/{{subject.attributes["namespace"]}}/sa/{{subject.attributes["service_account"]}}}.
 * The rendered ID is checked by the CA (syntax, trust domain) before anything is issued.
 */
final class SpiffeIdTemplate {
    /** One piece: literal text, or a compiled expression. */
    private record Part(String literal, CelRuntime.Program program) {}

    private final String source;
    private final List<Part> parts;

    private SpiffeIdTemplate(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    String source() {
        return source;
    }

    /**
     * Compiles {@code text}; each problem goes to {@code problems} prefixed with {@code at}.
     * Returns null when there were problems.
     */
    static SpiffeIdTemplate compile(String text, String at, List<String> problems) {
        if (!text.startsWith("spiffe://")) {
            problems.add(at + "spiffeId must start with spiffe://");
            return null;
        }
        List<Part> parts = new ArrayList<>();
        int i = 0;
        int before = problems.size();
        while (i < text.length()) {
            int open = text.indexOf("{{", i);
            if (open < 0) {
                parts.add(new Part(text.substring(i), null));
                break;
            }
            if (open > i) {
                parts.add(new Part(text.substring(i, open), null));
            }
            int close = text.indexOf("}}", open + 2);
            if (close < 0) {
                problems.add(at + "spiffeId has '{{' without a closing '}}'");
                return null;
            }
            String expr = text.substring(open + 2, close).strip();
            PolicyCompiler.Result r = PolicyCompiler.compileString(expr);
            for (PolicyCompiler.Error e : r.errors()) {
                // the expression is named when it is written like a variable path; the position says where
                problems.add(at + "spiffeId expression "
                        + (expr.matches("[a-z_][a-z_.]{0,63}") ? "'" + expr + "'" : "in {{ }}") + ": " + e.message());
            }
            parts.add(new Part(null, r.program()));
            i = close + 2;
        }
        if (text.indexOf("}}", 0) >= 0 && parts.stream().allMatch(p -> p.program() == null)) {
            problems.add(at + "spiffeId has '}}' without an opening '{{'");
        }
        return problems.size() > before ? null : new SpiffeIdTemplate(text, parts);
    }

    /** The SPIFFE ID for one request; an expression that fails is an exception. */
    String render(PolicyCompiler.Bindings b) throws CelEvaluationException {
        StringBuilder out = new StringBuilder();
        for (Part p : parts) {
            out.append(p.literal() != null ? p.literal() : PolicyCompiler.evalString(p.program(), b));
        }
        return out.toString();
    }
}
