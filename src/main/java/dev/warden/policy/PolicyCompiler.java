package dev.warden.policy;

import com.google.protobuf.Timestamp;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelException;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelVariableResolver;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles policy conditions (CEL, https://cel.dev) against the fixed set of variables below and
 * evaluates them. Variables are declared one by one, so a condition that names an unknown field
 * ({@code request.foo}) fails to compile instead of being false at run time; only
 * {@code subject.claims} (the raw verified claims) is dynamic. A condition must be boolean.
 */
final class PolicyCompiler {
    /** Every variable a condition may use, with its CEL type. */
    static final Map<String, CelType> VARIABLES = variables();

    private static Map<String, CelType> variables() {
        Map<String, CelType> v = new LinkedHashMap<>();
        v.put("subject.id", SimpleType.STRING);
        v.put("subject.attestor", SimpleType.STRING);
        v.put("subject.kind", SimpleType.STRING);
        v.put("subject.issuer", SimpleType.STRING);
        v.put("subject.spiffe_id", SimpleType.STRING);
        v.put("subject.claims", MapType.create(SimpleType.STRING, SimpleType.DYN));
        v.put("subject.attributes", MapType.create(SimpleType.STRING, SimpleType.STRING));
        v.put("request.audience", SimpleType.STRING);
        v.put("request.resource", SimpleType.STRING);
        v.put("request.scope", ListType.create(SimpleType.STRING));
        v.put("request.ttl", SimpleType.DURATION);
        v.put("request.actor", SimpleType.STRING);
        v.put("request.credential", SimpleType.STRING);
        v.put("context.time", SimpleType.TIMESTAMP);
        v.put("context.source_address", SimpleType.STRING);
        v.put("context.environment", SimpleType.STRING);
        return Collections.unmodifiableMap(v);
    }

    private static final CelCompiler COMPILER = compiler(SimpleType.BOOL);
    private static final CelCompiler STRING_COMPILER = compiler(SimpleType.STRING);
    private static final CelRuntime RUNTIME =
            CelRuntimeFactory.standardCelRuntimeBuilder().build();

    private static CelCompiler compiler(CelType result) {
        CelCompilerBuilder b = CelCompilerFactory.standardCelCompilerBuilder()
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .setResultType(result);
        VARIABLES.forEach(b::addVar);
        return b.build();
    }

    private PolicyCompiler() {}

    /** A compile error at a position inside the condition (1-based line and column). */
    record Error(int line, int column, String message) {}

    /** Compiles {@code condition}; the errors are empty on success. */
    static Result compile(String condition) {
        return compile(COMPILER, condition);
    }

    /** Compiles a string-valued expression (a {@code {{...}}} part of a {@code spiffeId} template). */
    static Result compileString(String expression) {
        return compile(STRING_COMPILER, expression);
    }

    private static Result compile(CelCompiler compiler, String condition) {
        try {
            CelAbstractSyntaxTree ast = compiler.compile(condition).getAst();
            return new Result(RUNTIME.createProgram(ast), List.of());
        } catch (CelValidationException e) {
            List<Error> errors = e.getErrors().stream()
                    .map(i -> new Error(
                            i.getSourceLocation().getLine(),
                            i.getSourceLocation().getColumn() + 1,
                            message(i)))
                    .toList();
            return new Result(null, errors);
        } catch (CelException | RuntimeException e) {
            return new Result(null, List.of(new Error(1, 1, "cannot compile this expression")));
        }
    }

    /** Words CEL quotes in its messages that are types or operators, never text of the condition. */
    private static final Set<String> TYPE_WORDS = Set.of(
            "string",
            "int",
            "uint",
            "double",
            "bool",
            "bytes",
            "null",
            "null_type",
            "dyn",
            "list",
            "map",
            "timestamp",
            "duration",
            "type",
            "error",
            "google",
            "protobuf",
            "Timestamp",
            "Duration",
            "in");

    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

    /**
     * CEL's message without the text of the condition it quotes ({@code undeclared reference to 'x'},
     * {@code mismatched input 'x'}) unless that is a type, an operator ({@code '_==_' applied to
     * '(string, int)'}) or a name written the way variables and fields are (at most 40 lower-case
     * letters, '_' and '.'): the line and column say where, and other quoted text may be a secret
     * typed without quotes, which would then be printed, answered and audited.
     */
    static String message(CelIssue i) {
        String m = i.getMessage().replace(" (in container '')", "");
        Matcher q = QUOTED.matcher(m);
        StringBuilder b = new StringBuilder();
        while (q.find()) {
            boolean safe = q.group(1).matches("[a-z_][a-z_.]{0,39}")
                    || Arrays.stream(q.group(1).split("[^A-Za-z0-9_]+"))
                            .filter(w -> !w.isEmpty() && !w.matches("_+"))
                            .map(w -> w.replaceAll("^_+|_+$", ""))
                            .allMatch(w -> w.isEmpty() || TYPE_WORDS.contains(w));
            q.appendReplacement(b, Matcher.quoteReplacement(safe ? q.group() : "'…'"));
        }
        q.appendTail(b);
        return b.toString();
    }

    record Result(CelRuntime.Program program, List<Error> errors) {}

    /** Evaluates a compiled condition; a run-time error (a missing claim) is an exception. */
    static boolean eval(CelRuntime.Program program, Bindings bindings) throws CelEvaluationException {
        return Boolean.TRUE.equals(program.eval(bindings));
    }

    /** Evaluates a compiled string expression; a run-time error (a missing claim) is an exception. */
    static String evalString(CelRuntime.Program program, Bindings bindings) throws CelEvaluationException {
        Object v = program.eval(bindings);
        if (!(v instanceof String s)) {
            throw new IllegalStateException("expression did not give a string");
        }
        return s;
    }

    /**
     * The variable values of one input, computed when a condition first asks for them (most
     * conditions read a few variables) and shared by every policy of one decision.
     */
    static final class Bindings implements CelVariableResolver {
        private final PolicyInput in;
        private Timestamp time;
        private com.google.protobuf.Duration ttl;

        Bindings(PolicyInput in) {
            this.in = in;
        }

        void ttl(java.time.Duration granted) {
            ttl = com.google.protobuf.Duration.newBuilder()
                    .setSeconds(granted.getSeconds())
                    .setNanos(granted.getNano())
                    .build();
        }

        @Override
        public Optional<Object> find(String name) {
            PolicyInput.Subject s = in.subject();
            PolicyInput.Request r = in.request();
            PolicyInput.Context c = in.context();
            Object v = switch (name) {
                case "subject.id" -> s.id();
                case "subject.attestor" -> s.attestor();
                case "subject.kind" -> s.kind();
                case "subject.issuer" -> s.issuer();
                case "subject.spiffe_id" -> s.spiffeId();
                case "subject.claims" -> s.claims();
                case "subject.attributes" -> s.attributes();
                case "request.audience" -> r.audience();
                case "request.resource" -> r.resource();
                case "request.scope" -> r.scopes();
                case "request.ttl" -> {
                    if (ttl == null) {
                        ttl(r.ttl() == null ? java.time.Duration.ZERO : r.ttl());
                    }
                    yield ttl;
                }
                case "request.actor" -> r.actor();
                case "request.credential" -> r.credential();
                case "context.time" -> {
                    if (time == null) {
                        time = Timestamp.newBuilder()
                                .setSeconds(c.time().getEpochSecond())
                                .setNanos(c.time().getNano())
                                .build();
                    }
                    yield time;
                }
                case "context.source_address" -> c.sourceAddress();
                case "context.environment" -> c.environment();
                default -> null;
            };
            return Optional.ofNullable(v);
        }
    }
}
