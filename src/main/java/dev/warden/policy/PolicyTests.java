package dev.warden.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.config.ConfigNode;
import dev.warden.input.InputException;
import dev.warden.input.ParseErrors;
import dev.warden.input.SafeParsers;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Policy fixtures for {@code warden policy test DIR} and inputs for {@code warden policy explain}.
 * A fixture file ({@code *_test.yaml} in the policy directory) lists cases, each an input and the
 * expected outcome:
 *
 * <pre>
 * cases:
 *   - name: the payments deployer may push
 *     subject:
 *       id: system:serviceaccount:payments:deployer
 *       attestor: k8s-prod
 *       claims: {"kubernetes.io": {namespace: payments}}
 *       attributes: {namespace: payments}
 *     request: {audience: "https://registry.example.com", scope: push, ttl: 10m}
 *     context: {environment: prod, sourceAddress: 10.0.0.7, time: "2026-06-01T12:00:00Z"}
 *     expect: allow                 # or deny
 *     policy: payments-deployer     # optional: the policy expected to decide
 *   - name: api gets its SVID       # an X.509-SVID request: request.credential x509-svid
 *     subject: {id: "system:serviceaccount:payments:api", attributes: {namespace: payments}}
 *     request: {credential: x509-svid, dnsNames: [api.payments.svc]}
 *     expect: allow
 *     spiffeId: spiffe://example.org/ns/payments/sa/api   # optional: the SPIFFE ID expected
 *     error: invalid_scope          # optional, for deny: the expected OAuth error
 * </pre>
 */
public final class PolicyTests {
    private static final Set<String> CASE_KEYS =
            Set.of("name", "subject", "request", "context", "expect", "policy", "error", "spiffeId");

    /** Largest test file. */
    static final long MAX_TEST_FILE = 1_048_576;

    private static final ObjectMapper PLAIN = ParseErrors.quiet(new ObjectMapper());

    private PolicyTests() {}

    /** One case's outcome. */
    public record Result(String file, String name, String expected, String actual, boolean passed, Decision decision) {}

    /** Runs every {@code *_test.yaml} case in {@code dir} against {@code set}. */
    public static List<Result> run(PolicySet set, Path dir, Instant now) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*_test.{yaml,yml}")) {
            ds.forEach(files::add);
        } catch (IOException e) {
            throw new IllegalArgumentException(dir + ": cannot list fixtures: " + e.getMessage());
        }
        files.sort(null);
        List<Result> out = new ArrayList<>();
        for (Path f : files) {
            Map<String, Object> doc = readYaml(f);
            Object cases = doc.get("cases");
            if (!(cases instanceof List<?> list)) {
                throw new IllegalArgumentException(f + ": expected a top-level 'cases' list");
            }
            for (int i = 0; i < list.size(); i++) {
                String where = f + ": cases[" + i + "]";
                Map<String, Object> c = map(list.get(i), where);
                for (String k : c.keySet()) {
                    if (!CASE_KEYS.contains(k)) {
                        throw new IllegalArgumentException(where + ": unknown key '" + k + "'");
                    }
                }
                String name = c.get("name") == null ? "case " + (i + 1) : String.valueOf(c.get("name"));
                String expect = String.valueOf(c.get("expect"));
                if (!expect.equals("allow") && !expect.equals("deny")) {
                    throw new IllegalArgumentException(where + ".expect: must be allow or deny");
                }
                PolicyInput in = input(c, where, now);
                Decision d = in.request().credential().equals(PolicyInput.Request.X509_SVID)
                        ? set.decideSvid(in, dnsNames(c, where))
                        : set.decide(in, true);
                String actual = d.allowed() ? "allow" : "deny";
                boolean passed = actual.equals(expect);
                Object spiffeId = c.get("spiffeId");
                if (passed && spiffeId != null) {
                    passed = String.valueOf(spiffeId).equals(d.spiffeId());
                    actual += " as " + d.spiffeId();
                }
                Object policy = c.get("policy");
                if (passed && policy != null) {
                    passed = d.policy() != null && d.policy().endsWith("#" + policy);
                    actual += " by " + (d.policy() == null ? "no policy" : d.policy());
                }
                Object error = c.get("error");
                if (passed && error != null) {
                    passed = String.valueOf(error).equals(d.oauthError());
                    actual += " (" + d.oauthError() + ")";
                }
                out.add(new Result(
                        f.toString(),
                        name,
                        expect
                                + (spiffeId != null ? " as " + spiffeId : "")
                                + (policy != null ? " by " + policy : "")
                                + (error != null ? " (" + error + ")" : ""),
                        actual,
                        passed,
                        d));
            }
        }
        return out;
    }

    /** The DNS names an X.509-SVID case asks for ({@code request.dnsNames}). */
    private static List<String> dnsNames(Map<String, Object> c, String where) {
        Map<String, Object> r = c.get("request") == null ? Map.of() : map(c.get("request"), where + ".request");
        Object d = r.get("dnsNames");
        if (d == null) {
            return List.of();
        }
        return d instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(d));
    }

    /** Reads an input file ({@code subject}, {@code request}, {@code context}) for explain. */
    public static PolicyInput readInput(Path file, Instant now) {
        Map<String, Object> doc = readYaml(file);
        for (String k : doc.keySet()) {
            if (!Set.of("subject", "request", "context").contains(k)) {
                throw new IllegalArgumentException(
                        file + ": unknown key '" + k + "' (expected subject, request, context)");
            }
        }
        return input(doc, file.toString(), now);
    }

    static PolicyInput input(Map<String, Object> c, String where, Instant now) {
        Map<String, Object> s = map(c.get("subject"), where + ".subject");
        Map<String, Object> r = c.get("request") == null ? Map.of() : map(c.get("request"), where + ".request");
        Map<String, Object> x = c.get("context") == null ? Map.of() : map(c.get("context"), where + ".context");
        if (s.get("id") == null) {
            throw new IllegalArgumentException(where + ".subject.id: is required");
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        if (s.get("attributes") != null) {
            map(s.get("attributes"), where + ".subject.attributes").forEach((k, v) -> attrs.put(k, String.valueOf(v)));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> claims = s.get("claims") == null
                ? Map.of()
                : (Map<String, Object>) normalise(map(s.get("claims"), where + ".subject.claims"));
        Object scope = r.get("scope");
        List<String> scopes = scope == null
                ? List.of()
                : scope instanceof List<?> l
                        ? l.stream().map(String::valueOf).toList()
                        : Arrays.stream(String.valueOf(scope).split(" "))
                                .filter(t -> !t.isEmpty())
                                .toList();
        Duration ttl = null;
        if (r.get("ttl") != null) {
            ttl = ConfigNode.parseDuration(String.valueOf(r.get("ttl")))
                    .orElseThrow(
                            () -> new IllegalArgumentException(where + ".request.ttl: must be a duration such as 5m"));
        }
        Instant time = now;
        if (x.get("time") != null) {
            try {
                time = Instant.parse(String.valueOf(x.get("time")));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(where + ".context.time: must be an RFC 3339 UTC time");
            }
        }
        return new PolicyInput(
                new PolicyInput.Subject(
                        String.valueOf(s.get("id")),
                        str(s.get("attestor")),
                        str(s.get("kind")),
                        str(s.get("issuer")),
                        str(s.get("spiffeId")),
                        claims,
                        attrs),
                new PolicyInput.Request(
                        str(r.get("audience")),
                        str(r.get("resource")),
                        scopes,
                        ttl,
                        str(r.get("actor")),
                        credential(r.get("credential"), where)),
                new PolicyInput.Context(time, str(x.get("sourceAddress")), str(x.get("environment"))));
    }

    private static String credential(Object o, String where) {
        if (o == null) {
            return PolicyInput.Request.TOKEN;
        }
        String c = String.valueOf(o);
        if (!c.equals(PolicyInput.Request.TOKEN) && !c.equals(PolicyInput.Request.X509_SVID)) {
            throw new IllegalArgumentException(where + ".request.credential: must be token or x509-svid");
        }
        return c;
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String where) {
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException(where + ": must be a mapping");
        }
        return (Map<String, Object>) o;
    }

    private static Object normalise(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> {
                if (x != null) {
                    out.put(String.valueOf(k), normalise(x));
                }
            });
            return out;
        }
        if (v instanceof List<?> l) {
            return l.stream().filter(x -> x != null).map(PolicyTests::normalise).toList();
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof Number n && !(v instanceof Long) && !(v instanceof Double)) {
            return n.doubleValue();
        }
        return v;
    }

    private static Map<String, Object> readYaml(Path f) {
        try {
            JsonNode doc = SafeParsers.document(f.toString(), Files.readAllBytes(f), MAX_TEST_FILE);
            return map(doc == null ? null : PLAIN.convertValue(doc, Object.class), f.toString());
        } catch (InputException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(f + ": cannot read: " + e.getMessage());
        }
    }
}
