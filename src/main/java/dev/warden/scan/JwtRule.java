package dev.warden.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.warden.input.ParseErrors;
import dev.warden.inventory.ExternalIds;
import java.io.IOException;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Signed JSON Web Tokens (RFC 7519): three base64url parts whose header names an algorithm. An
 * expired token is reported with low confidence; unsigned ({@code alg: none}) tokens and the
 * well-known jwt.io sample are not reported. A Kubernetes service-account token links to its
 * service account through its {@code sub} (or legacy {@code kubernetes.io/serviceaccount/*}) claims.
 */
final class JwtRule implements Rule {
    private static final Pattern JWT = Pattern.compile(
            "(?:^|[^A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,})(?:[^A-Za-z0-9_-]|$)");
    private static final ObjectMapper MAPPER = ParseErrors.quiet(new ObjectMapper());
    private static final String SA_PREFIX = "system:serviceaccount:";

    private final Clock clock;

    JwtRule(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String id() {
        return "jwt";
    }

    @Override
    public String description() {
        return "JSON Web Token (bearer credential)";
    }

    @Override
    public Severity severity() {
        return Severity.HIGH;
    }

    @Override
    public Set<String> keywords() {
        return Set.of("eyj");
    }

    @Override
    public int priority() {
        return 80;
    }

    @Override
    public void find(Fragment fragment, Consumer<Candidate> out) {
        Matcher m = JWT.matcher(fragment.text());
        while (m.find()) {
            String token = m.group(1);
            Optional<JsonNode[]> parts = decode(token);
            if (parts.isEmpty()) {
                continue;
            }
            JsonNode header = parts.get()[0];
            JsonNode claims = parts.get()[1];
            String alg = header.path("alg").asText("");
            if (alg.isEmpty() || alg.equalsIgnoreCase("none")) {
                continue;
            }
            if ("1234567890".equals(claims.path("sub").asText())
                    && "John Doe".equals(claims.path("name").asText())) {
                continue; // the jwt.io sample token
            }
            long exp = claims.path("exp").asLong(0);
            Confidence c = exp > 0 && exp < clock.instant().getEpochSecond() ? Confidence.LOW : Confidence.HIGH;
            out.accept(new Candidate(m.start(1), m.end(1), m.start(1), m.end(1), c));
        }
    }

    @Override
    public Optional<LinkKey> linkKey(String secret, String match) {
        return decode(secret)
                .flatMap(parts -> serviceAccount(parts[1]))
                .map(sa -> new LinkKey(LinkKey.Type.KUBERNETES_SERVICE_ACCOUNT, sa));
    }

    private static Optional<String> serviceAccount(JsonNode claims) {
        try {
            String sub = claims.path("sub").asText("");
            if (sub.startsWith(SA_PREFIX)) {
                String[] p = sub.substring(SA_PREFIX.length()).split(":", -1);
                if (p.length == 2) {
                    return Optional.of(ExternalIds.kubernetesServiceAccount(p[0], p[1]));
                }
            }
            String ns = claims.path("kubernetes.io/serviceaccount/namespace").asText("");
            String name = claims.path("kubernetes.io/serviceaccount/service-account.name")
                    .asText("");
            if (ns.isEmpty()) {
                JsonNode k = claims.path("kubernetes.io");
                ns = k.path("namespace").asText("");
                name = k.path("serviceaccount").path("name").asText("");
            }
            if (!ns.isEmpty() && !name.isEmpty()) {
                return Optional.of(ExternalIds.kubernetesServiceAccount(ns, name));
            }
        } catch (IllegalArgumentException e) {
            // not a valid Kubernetes name: no link
        }
        return Optional.empty();
    }

    /** Header and claims of a compact JWS, when both are JSON objects. */
    static Optional<JsonNode[]> decode(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode header = MAPPER.readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (header == null || !header.isObject() || claims == null || !claims.isObject()) {
                return Optional.empty();
            }
            return Optional.of(new JsonNode[] {header, claims});
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
