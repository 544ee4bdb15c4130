package dev.warden.posture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.input.Echo;
import dev.warden.input.InputException;
import dev.warden.input.ParseErrors;
import dev.warden.input.SafeParsers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The thresholds the checks use. The defaults, documented key by key, are
 * {@code posture-defaults.yaml} on the class path; a policy file overrides any of them. A file is
 * validated whole when it is loaded (unknown key, wrong type, value out of range, duplicate key):
 * the error names the file and the key, and nothing is evaluated with a bad policy. Immutable.
 */
public final class PosturePolicy {
    /** Largest policy file read. */
    public static final long MAX_FILE = 1_048_576;

    private static final String DEFAULTS = "/posture-defaults.yaml";
    private static final ObjectMapper JSON = ParseErrors.quiet(new ObjectMapper());
    /** Per integer key: the smallest and largest value accepted. */
    private static final Map<String, int[]> RANGES = new LinkedHashMap<>();

    static {
        RANGES.put("usageWindowDays", new int[] {1, 36_500});
        RANGES.put("nhi1.dormantDays", new int[] {1, 36_500});
        RANGES.put("nhi1.neverUsedGraceDays", new int[] {0, 36_500});
        RANGES.put("nhi2.replayWindowDays", new int[] {1, 36_500});
        RANGES.put("nhi4.minRsaBits", new int[] {1, 65_536});
        RANGES.put("nhi4.minEcBits", new int[] {1, 1_024});
        RANGES.put("nhi5.minObservedDays", new int[] {0, 36_500});
        RANGES.put("nhi7.maxCredentialAgeDays", new int[] {1, 36_500});
        RANGES.put("nhi7.highCredentialAgeDays", new int[] {1, 36_500});
        RANGES.put("nhi7.maxCertificateValidityDays", new int[] {1, 36_500});
        RANGES.put("nhi9.maxSourceIps", new int[] {1, 1_000_000});
        RANGES.put("nhi9.maxUserAgents", new int[] {1, 1_000_000});
        RANGES.put("nhi9.maxWorkloadsPerCredential", new int[] {1, 1_000_000});
        RANGES.put("nhi9.minNetworks", new int[] {2, 1_000_000});
        RANGES.put("nhi9.windowDays", new int[] {1, 36_500});
        RANGES.put("lifecycle.expiringWithinDays", new int[] {0, 36_500});
        RANGES.put("lifecycle.urgentWithinDays", new int[] {0, 36_500});
    }

    private static final Set<String> LISTS = Set.of(
            "productionEnvironments",
            "disabledChecks",
            "nhi1.placeholderOwners",
            "nhi3.trustedAccounts",
            "nhi8.productionAccounts");

    private static volatile PosturePolicy defaults;

    private final Map<String, Integer> numbers;
    private final Map<String, List<String>> lists;
    private final Set<String> production;
    private final Set<String> placeholders;

    private PosturePolicy(Map<String, Integer> numbers, Map<String, List<String>> lists) {
        this.numbers = Map.copyOf(numbers);
        this.lists = Map.copyOf(lists);
        this.production = lowerSet(lists.get("productionEnvironments"));
        this.placeholders = lowerSet(lists.get("nhi1.placeholderOwners"));
    }

    /** The built-in defaults ({@code posture-defaults.yaml}). */
    public static PosturePolicy defaults() {
        PosturePolicy d = defaults;
        if (d == null) {
            try (InputStream in = PosturePolicy.class.getResourceAsStream(DEFAULTS)) {
                if (in == null) {
                    throw new IllegalStateException("posture-defaults.yaml is missing from the class path");
                }
                d = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "posture-defaults.yaml", null, null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            defaults = d;
        }
        return d;
    }

    /**
     * Reads a policy file: the defaults with the file's values over them.
     *
     * @param knownChecks the check ids {@code disabledChecks} may name
     * @throws IllegalArgumentException naming the file and the key at fault
     */
    public static PosturePolicy load(Path file, Set<String> knownChecks) {
        String name = file.toString();
        String text;
        try {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("policy file " + name + " does not exist or is not a file");
            }
            if (Files.size(file) > MAX_FILE) {
                throw new IllegalArgumentException("policy file " + name + " is larger than " + MAX_FILE + " bytes");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException("policy file " + name + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read policy file " + name + ": " + e.getMessage(), e);
        }
        return parse(text, name, knownChecks);
    }

    /** Parses policy text ({@code name} is how errors refer to it). */
    public static PosturePolicy parse(String text, String name, Set<String> knownChecks) {
        return parse(text, name, knownChecks, defaults());
    }

    private static PosturePolicy parse(String text, String name, Set<String> knownChecks, PosturePolicy base) {
        JsonNode root;
        try {
            root = SafeParsers.document(name, text.getBytes(StandardCharsets.UTF_8), MAX_FILE);
        } catch (InputException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        Map<String, Integer> numbers = new LinkedHashMap<>(base == null ? Map.of() : base.numbers);
        Map<String, List<String>> lists = new LinkedHashMap<>(base == null ? Map.of() : base.lists);
        if (root != null && !root.isNull() && !root.isMissingNode()) {
            if (!root.isObject()) {
                throw new IllegalArgumentException(name + ": a policy must be a mapping of keys to values");
            }
            read(root, "", name, numbers, lists);
        }
        for (String key : RANGES.keySet()) {
            if (!numbers.containsKey(key)) {
                throw new IllegalArgumentException(name + ": " + key + " is missing");
            }
        }
        for (String key : LISTS) {
            if (!lists.containsKey(key)) {
                throw new IllegalArgumentException(name + ": " + key + " is missing");
            }
        }
        if (numbers.get("nhi7.highCredentialAgeDays") < numbers.get("nhi7.maxCredentialAgeDays")) {
            throw new IllegalArgumentException(
                    name + ": nhi7.highCredentialAgeDays must not be less than nhi7.maxCredentialAgeDays");
        }
        if (numbers.get("lifecycle.urgentWithinDays") > numbers.get("lifecycle.expiringWithinDays")) {
            throw new IllegalArgumentException(
                    name + ": lifecycle.urgentWithinDays must not be more than lifecycle.expiringWithinDays");
        }
        for (String key : List.of("nhi3.trustedAccounts", "nhi8.productionAccounts")) {
            for (String account : lists.get(key)) {
                if (!account.matches("\\d{12}")) {
                    throw new IllegalArgumentException(
                            name + ": " + key + ": '" + Echo.shown(account) + "' is not a 12-digit AWS account id");
                }
            }
        }
        if (knownChecks != null) {
            for (String id : lists.get("disabledChecks")) {
                if (!knownChecks.contains(id)) {
                    throw new IllegalArgumentException(name + ": disabledChecks: unknown check '" + Echo.shown(id)
                            + "' (see warden findings --help or docs/posture.md)");
                }
            }
        }
        return new PosturePolicy(numbers, lists);
    }

    private static void read(
            JsonNode node, String prefix, String name, Map<String, Integer> numbers, Map<String, List<String>> lists) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = prefix + f.getKey();
            JsonNode v = f.getValue();
            if (RANGES.containsKey(key)) {
                numbers.put(key, number(name, key, v));
            } else if (LISTS.contains(key)) {
                lists.put(key, strings(name, key, v));
            } else if (isSection(key)) {
                if (!v.isObject()) {
                    throw new IllegalArgumentException(name + ": " + key + " must be a mapping of keys to values");
                }
                read(v, key + ".", name, numbers, lists);
            } else {
                throw new IllegalArgumentException(name + ": unknown key '" + Echo.shown(key) + "' (known: "
                        + String.join(", ", knownKeys(prefix)) + ")");
            }
        }
    }

    private static boolean isSection(String key) {
        String p = key + ".";
        return RANGES.keySet().stream().anyMatch(k -> k.startsWith(p))
                || LISTS.stream().anyMatch(k -> k.startsWith(p));
    }

    /** The keys directly under {@code prefix}, sections shown as {@code name.*}. */
    private static List<String> knownKeys(String prefix) {
        Set<String> out = new LinkedHashSet<>();
        List<String> all = new ArrayList<>(RANGES.keySet());
        all.addAll(LISTS.stream().sorted().toList());
        for (String k : all) {
            if (k.startsWith(prefix)) {
                String rest = k.substring(prefix.length());
                int dot = rest.indexOf('.');
                out.add(prefix + (dot < 0 ? rest : rest.substring(0, dot) + ".*"));
            }
        }
        return List.copyOf(out);
    }

    private static int number(String name, String key, JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(name + ": " + key + " must be a whole number, not " + describe(v));
        }
        int n = v.intValue();
        int[] range = RANGES.get(key);
        if (n < range[0] || n > range[1]) {
            throw new IllegalArgumentException(
                    name + ": " + key + " must be between " + range[0] + " and " + range[1] + ", not " + n);
        }
        return n;
    }

    private static List<String> strings(String name, String key, JsonNode v) {
        if (!v.isArray()) {
            throw new IllegalArgumentException(name + ": " + key + " must be a list of strings, not " + describe(v));
        }
        if (v.size() > 1000) {
            throw new IllegalArgumentException(name + ": " + key + " has more than 1000 entries");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual() || item.asText().isBlank() || item.asText().length() > 256) {
                throw new IllegalArgumentException(name + ": " + key
                        + " must be a list of non-empty strings (at most 256 characters), found " + describe(item));
            }
            out.add(item.asText().strip());
        }
        return List.copyOf(out);
    }

    private static String describe(JsonNode v) {
        if (v.isTextual()) {
            return "'" + Echo.shown(v.asText()) + "'";
        }
        if (v.isNull()) {
            return "null";
        }
        if (v.isContainerNode()) {
            return v.isArray() ? "a list" : "a mapping";
        }
        return Echo.shown(v.asText());
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("").strip();
    }

    private static Set<String> lowerSet(List<String> values) {
        Set<String> out = new LinkedHashSet<>();
        values.forEach(v -> out.add(v.toLowerCase(Locale.ROOT)));
        return Set.copyOf(out);
    }

    private int n(String key) {
        return numbers.get(key);
    }

    public int usageWindowDays() {
        return n("usageWindowDays");
    }

    public boolean isProduction(String environment) {
        return environment != null && production.contains(environment.toLowerCase(Locale.ROOT));
    }

    public List<String> disabledChecks() {
        return lists.get("disabledChecks");
    }

    public int dormantDays() {
        return n("nhi1.dormantDays");
    }

    public int neverUsedGraceDays() {
        return n("nhi1.neverUsedGraceDays");
    }

    public boolean isPlaceholderOwner(String owner) {
        return owner != null && placeholders.contains(owner.strip().toLowerCase(Locale.ROOT));
    }

    /** AWS accounts that are production (NHI8: one identity working in production and other accounts). */
    public List<String> productionAccounts() {
        return lists.get("nhi8.productionAccounts");
    }

    public List<String> trustedAccounts() {
        return lists.get("nhi3.trustedAccounts");
    }

    public int replayWindowDays() {
        return n("nhi2.replayWindowDays");
    }

    public int minRsaBits() {
        return n("nhi4.minRsaBits");
    }

    public int minEcBits() {
        return n("nhi4.minEcBits");
    }

    public int minObservedDays() {
        return n("nhi5.minObservedDays");
    }

    public int maxCredentialAgeDays() {
        return n("nhi7.maxCredentialAgeDays");
    }

    public int highCredentialAgeDays() {
        return n("nhi7.highCredentialAgeDays");
    }

    public int maxCertificateValidityDays() {
        return n("nhi7.maxCertificateValidityDays");
    }

    public int maxSourceIps() {
        return n("nhi9.maxSourceIps");
    }

    public int maxUserAgents() {
        return n("nhi9.maxUserAgents");
    }

    public int maxWorkloadsPerCredential() {
        return n("nhi9.maxWorkloadsPerCredential");
    }

    public int minNetworks() {
        return n("nhi9.minNetworks");
    }

    public int networksWindowDays() {
        return n("nhi9.windowDays");
    }

    public int expiringWithinDays() {
        return n("lifecycle.expiringWithinDays");
    }

    public int urgentWithinDays() {
        return n("lifecycle.urgentWithinDays");
    }

    /** The effective values as a JSON object (kept with each evaluation, for reproducibility). */
    public String toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        RANGES.keySet().forEach(k -> o.put(k, numbers.get(k)));
        LISTS.stream().sorted().forEach(k -> {
            var a = o.putArray(k);
            lists.get(k).forEach(a::add);
        });
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
