package dev.warden.policy;

import dev.cel.runtime.CelRuntime;
import dev.warden.config.ConfigNode;
import dev.warden.input.Echo;
import dev.warden.input.ParseErrors;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Loads {@code *.yaml} policy files from a directory (files ending {@code _test.yaml} are test
 * fixtures, not policies) and compiles them. Every problem is reported with its file, line and
 * column, all at once; one bad file fails the whole load, so a half-valid set is never active.
 *
 * <pre>
 * policies:
 *   - name: payments-deployer
 *     description: the payments deployer may push images
 *     owner: team-payments              # recorded as the workload's business owner
 *     technicalOwner: platform-team     # optional
 *     match:
 *       attestors: [k8s-prod]           # optional; any attestor when absent
 *       workloads: ["system:serviceaccount:payments:*"]
 *     grant:
 *       audiences: ["https://registry.example.com"]
 *       scopes: [pull, push]
 *       defaultScopes: [pull]           # when the request names none (default: none)
 *       maxTtl: 15m                     # at most 1h
 *       defaultTtl: 5m                  # default: maxTtl
 *       actors: []                      # workloads that may act for this one (delegation)
 *       spiffeId: "spiffe://example.org/ns/{{subject.attributes['namespace']}}"  # X.509-SVIDs (optional)
 *       dnsNames: ["*.payments.svc"]    # DNS SANs an SVID may carry (default: none)
 *     condition: |                      # CEL, optional
 *       context.environment == "prod" &amp;&amp; "deploy" in subject.claims["groups"]
 * </pre>
 */
public final class PolicyLoader {
    static final int MAX_FILE_BYTES = 1024 * 1024;
    static final int MAX_POLICIES = 10_000;
    static final int MAX_CONDITION = 8192;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Set<String> POLICY_KEYS =
            Set.of("name", "description", "owner", "technicalOwner", "match", "grant", "condition");
    private static final Set<String> MATCH_KEYS = Set.of("attestors", "workloads");
    private static final Set<String> GRANT_KEYS =
            Set.of("audiences", "scopes", "defaultScopes", "maxTtl", "defaultTtl", "actors", "spiffeId", "dnsNames");

    private PolicyLoader() {}

    /** True for files that hold policies (not test fixtures). */
    public static boolean isPolicyFile(Path p) {
        String n = p.getFileName().toString();
        return (n.endsWith(".yaml") || n.endsWith(".yml")) && !n.endsWith("_test.yaml") && !n.endsWith("_test.yml");
    }

    /** Loads and compiles every policy file in {@code dir}. */
    public static PolicySet load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new PolicyException(List.of(dir + ": policy directory does not exist"));
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (Files.isRegularFile(p) && isPolicyFile(p)) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            throw new PolicyException(List.of(dir + ": cannot list policy directory: " + e.getMessage()));
        }
        files.sort(null);
        Map<String, String> sources = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Path f : files) {
            try {
                if (Files.size(f) > MAX_FILE_BYTES) {
                    problems.add(f + ": file is larger than " + MAX_FILE_BYTES + " bytes");
                    continue;
                }
                sources.put(f.toString(), Files.readString(f, StandardCharsets.UTF_8));
            } catch (IOException | UncheckedIOException e) {
                problems.add(f + ": cannot read: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        return compile(sources);
    }

    /** Compiles policy sources keyed by file name (in that order). */
    public static PolicySet compile(Map<String, String> sources) {
        List<String> problems = new ArrayList<>();
        List<Policy> out = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        MessageDigest sha = sha256();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            sha.update((e.getKey() + "\0" + e.getValue() + "\0").getBytes(StandardCharsets.UTF_8));
            new FileParser(e.getKey(), e.getValue(), problems, out, names).parse();
        }
        if (out.size() > MAX_POLICIES) {
            problems.add("more than " + MAX_POLICIES + " policies");
        }
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        return new PolicySet(out, HexFormat.of().formatHex(sha.digest()).substring(0, 16));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses one file's YAML node tree into policies, collecting problems with positions. */
    private static final class FileParser {
        private final String file;
        private final String text;
        private final List<String> problems;
        private final List<Policy> out;
        private final Map<String, String> names;
        private String[] lines;

        FileParser(String file, String text, List<String> problems, List<Policy> out, Map<String, String> names) {
            this.file = file;
            this.text = text;
            this.problems = problems;
            this.out = out;
            this.names = names;
        }

        void parse() {
            Node root;
            try {
                LoaderOptions opts = new LoaderOptions();
                opts.setAllowDuplicateKeys(false);
                opts.setMaxAliasesForCollections(20);
                opts.setNestingDepthLimit(20);
                opts.setCodePointLimit(MAX_FILE_BYTES);
                root = new Yaml(
                                new SafeConstructor(opts),
                                new Representer(new DumperOptions()),
                                new DumperOptions(),
                                opts)
                        .compose(new StringReader(text));
            } catch (MarkedYAMLException e) {
                Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
                problems.add(at(m) + "invalid YAML: " + ParseErrors.description(e));
                return;
            } catch (RuntimeException e) {
                problems.add(file + ": invalid YAML: " + ParseErrors.description(e));
                return;
            }
            if (root == null) {
                return; // an empty file holds no policies
            }
            MappingNode top = mapping(root, "the file");
            if (top == null) {
                return;
            }
            Map<String, Node> fields = fields(top, Set.of("policies"));
            Node list = fields.get("policies");
            if (list == null) {
                problems.add(at(top.getStartMark()) + "expected a top-level 'policies' list");
                return;
            }
            if (!(list instanceof SequenceNode seq)) {
                problems.add(at(list.getStartMark()) + "'policies' must be a list");
                return;
            }
            for (Node n : seq.getValue()) {
                policy(n);
            }
        }

        private void policy(Node n) {
            MappingNode m = mapping(n, "a policy");
            if (m == null) {
                return;
            }
            int before = problems.size();
            Map<String, Node> f = fields(m, POLICY_KEYS);
            String name = scalar(f, "name", m, true);
            if (name != null && !NAME.matcher(name).matches()) {
                problems.add(at(f.get("name").getStartMark())
                        + "name must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
            } else if (name != null && names.containsKey(name)) {
                problems.add(at(f.get("name").getStartMark()) + "policy name '" + name + "' is already used in "
                        + names.get(name));
            }
            String description = scalar(f, "description", m, false);
            String owner = scalar(f, "owner", m, false);
            String technicalOwner = scalar(f, "technicalOwner", m, false);
            Node matchNode = f.get("match");
            Node grantNode = f.get("grant");
            if (matchNode == null) {
                problems.add(at(m.getStartMark()) + "policy needs a 'match' section");
            }
            if (grantNode == null) {
                problems.add(at(m.getStartMark()) + "policy needs a 'grant' section");
            }
            List<String> attestors = List.of();
            List<String> workloads = List.of();
            if (matchNode != null) {
                MappingNode match = mapping(matchNode, "'match'");
                if (match != null) {
                    Map<String, Node> mf = fields(match, MATCH_KEYS);
                    attestors = strings(mf, "attestors", match, false);
                    workloads = strings(mf, "workloads", match, true);
                }
            }
            List<String> audiences = List.of();
            List<String> scopes = List.of();
            List<String> defaultScopes = List.of();
            List<String> actors = List.of();
            List<String> dnsNames = List.of();
            SpiffeIdTemplate spiffeId = null;
            Duration maxTtl = Policy.MAX_TTL;
            Duration defaultTtl = null;
            if (grantNode != null) {
                MappingNode grant = mapping(grantNode, "'grant'");
                if (grant != null) {
                    Map<String, Node> gf = fields(grant, GRANT_KEYS);
                    Node sid = gf.get("spiffeId");
                    if (sid != null) {
                        String t = scalar(gf, "spiffeId", grant, true);
                        if (t != null) {
                            spiffeId = SpiffeIdTemplate.compile(t, at(sid.getStartMark()), problems);
                        }
                    }
                    dnsNames = strings(gf, "dnsNames", grant, false);
                    if (!dnsNames.isEmpty() && sid == null) {
                        problems.add(at(gf.get("dnsNames").getStartMark())
                                + "dnsNames needs spiffeId (they are X.509-SVID" + " names)");
                    }
                    audiences = strings(gf, "audiences", grant, sid == null);
                    scopes = strings(gf, "scopes", grant, false);
                    defaultScopes = strings(gf, "defaultScopes", grant, false);
                    actors = strings(gf, "actors", grant, false);
                    for (String s : scopes) {
                        if (s.isEmpty() || s.chars().anyMatch(c -> c <= 0x20 || c == '"' || c == '\\' || c > 0x7e)) {
                            problems.add(at(gf.get("scopes").getStartMark()) + "scope '" + s
                                    + "' is not a valid OAuth scope token (RFC 6749 section 3.3)");
                        }
                    }
                    for (String s : defaultScopes) {
                        if (!scopes.contains(s)) {
                            problems.add(at(gf.get("defaultScopes").getStartMark()) + "default scope '" + s
                                    + "' is not in 'scopes'");
                        }
                    }
                    Duration mt = duration(gf, "maxTtl");
                    if (mt != null) {
                        maxTtl = mt;
                    }
                    defaultTtl = duration(gf, "defaultTtl");
                    if (maxTtl.compareTo(Policy.MAX_TTL) > 0 || maxTtl.isZero()) {
                        problems.add(at(gf.get("maxTtl").getStartMark()) + "maxTtl must be between 1s and 1h");
                    }
                    if (defaultTtl != null && (defaultTtl.compareTo(maxTtl) > 0 || defaultTtl.isZero())) {
                        problems.add(at(gf.get("defaultTtl").getStartMark())
                                + "defaultTtl must be positive and at most maxTtl");
                    }
                }
            }
            String condition = null;
            CelRuntime.Program program = null;
            Node condNode = f.get("condition");
            if (condNode != null) {
                if (!(condNode instanceof ScalarNode cs) || cs.getValue().isBlank()) {
                    problems.add(at(condNode.getStartMark()) + "condition must be a non-empty CEL expression");
                } else if (cs.getValue().length() > MAX_CONDITION) {
                    problems.add(at(cs.getStartMark()) + "condition is longer than " + MAX_CONDITION + " characters");
                } else {
                    condition = cs.getValue();
                    PolicyCompiler.Result r = PolicyCompiler.compile(condition);
                    for (PolicyCompiler.Error err : r.errors()) {
                        problems.add(conditionPosition(cs, err) + "condition: " + err.message());
                    }
                    program = r.program();
                }
            }
            if (problems.size() > before || name == null) {
                return;
            }
            names.put(name, file + ":" + line(m.getStartMark()));
            out.add(new Policy(
                    file + "#" + name,
                    name,
                    file,
                    line(m.getStartMark()),
                    description,
                    owner,
                    technicalOwner,
                    new LinkedHashSet<>(attestors),
                    workloads.stream().map(Policy::glob).toList(),
                    audiences.stream().map(Policy::glob).toList(),
                    new TreeSet<>(scopes),
                    defaultScopes,
                    actors.stream().map(Policy::glob).toList(),
                    maxTtl,
                    defaultTtl == null ? maxTtl : defaultTtl,
                    condition,
                    program,
                    spiffeId,
                    dnsNames.stream()
                            .map(d -> Policy.glob(d.toLowerCase(Locale.ROOT)))
                            .toList()));
        }

        /** The file position of a CEL error inside a condition scalar. */
        private String conditionPosition(ScalarNode cs, PolicyCompiler.Error err) {
            Mark start = cs.getStartMark();
            DumperOptions.ScalarStyle style = cs.getScalarStyle();
            if (style == DumperOptions.ScalarStyle.LITERAL || style == DumperOptions.ScalarStyle.FOLDED) {
                int fileLine = start.getLine() + 1 + err.line(); // content starts on the line after '|'
                int indent = indentOf(fileLine);
                return file + ":" + fileLine + ":" + (indent + err.column()) + ": ";
            }
            int quote = style == DumperOptions.ScalarStyle.PLAIN ? 0 : 1;
            if (err.line() == 1) {
                return file + ":" + (start.getLine() + 1) + ":" + (start.getColumn() + quote + err.column()) + ": ";
            }
            return file + ":" + (start.getLine() + err.line()) + ": ";
        }

        private int indentOf(int line1) {
            if (lines == null) {
                lines = text.split("\n", -1);
            }
            if (line1 < 1 || line1 > lines.length) {
                return 0;
            }
            String l = lines[line1 - 1];
            int i = 0;
            while (i < l.length() && l.charAt(i) == ' ') {
                i++;
            }
            return i;
        }

        private MappingNode mapping(Node n, String what) {
            if (n instanceof MappingNode m) {
                return m;
            }
            problems.add(at(n.getStartMark()) + what + " must be a mapping");
            return null;
        }

        private Map<String, Node> fields(MappingNode m, Set<String> allowed) {
            Map<String, Node> out = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    problems.add(at(t.getKeyNode().getStartMark()) + "keys must be plain strings");
                    continue;
                }
                if (!allowed.contains(k.getValue())) {
                    problems.add(at(k.getStartMark()) + "unknown key '" + Echo.shown(k.getValue()) + "' (allowed: "
                            + String.join(", ", new TreeSet<>(allowed)) + ")");
                    continue;
                }
                out.put(k.getValue(), t.getValueNode());
            }
            return out;
        }

        private String scalar(Map<String, Node> f, String key, MappingNode parent, boolean required) {
            Node n = f.get(key);
            if (n == null) {
                if (required) {
                    problems.add(at(parent.getStartMark()) + "'" + key + "' is required");
                }
                return null;
            }
            if (!(n instanceof ScalarNode s) || s.getValue().isBlank()) {
                problems.add(at(n.getStartMark()) + "'" + key + "' must be a non-empty string");
                return null;
            }
            if (s.getValue().length() > 2048) {
                problems.add(at(n.getStartMark()) + "'" + key + "' is longer than 2048 characters");
                return null;
            }
            return s.getValue().strip();
        }

        private List<String> strings(Map<String, Node> f, String key, MappingNode parent, boolean required) {
            Node n = f.get(key);
            if (n == null) {
                if (required) {
                    problems.add(at(parent.getStartMark()) + "'" + key + "' is required");
                }
                return List.of();
            }
            List<String> out = new ArrayList<>();
            if (n instanceof ScalarNode s && !s.getValue().isBlank()) {
                out.add(s.getValue().strip());
            } else if (n instanceof SequenceNode seq) {
                for (Node e : seq.getValue()) {
                    if (e instanceof ScalarNode s
                            && !s.getValue().isBlank()
                            && s.getValue().length() <= 2048) {
                        out.add(s.getValue().strip());
                    } else {
                        problems.add(at(e.getStartMark()) + "'" + key + "' entries must be non-empty strings");
                    }
                }
            } else {
                problems.add(at(n.getStartMark()) + "'" + key + "' must be a string or a list of strings");
            }
            if (required && out.isEmpty() && n instanceof SequenceNode) {
                problems.add(at(n.getStartMark()) + "'" + key + "' must not be empty");
            }
            return out;
        }

        private Duration duration(Map<String, Node> f, String key) {
            Node n = f.get(key);
            if (n == null) {
                return null;
            }
            if (n instanceof ScalarNode s) {
                Optional<Duration> d = ConfigNode.parseDuration(s.getValue());
                if (d.isPresent()) {
                    return d.get();
                }
            }
            problems.add(at(n.getStartMark()) + "'" + key + "' must be a duration such as 30s, 5m or 1h");
            return null;
        }

        private String at(Mark m) {
            return m == null ? file + ": " : file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1) + ": ";
        }

        private static int line(Mark m) {
            return m.getLine() + 1;
        }
    }
}
