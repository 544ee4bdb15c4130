package dev.warden.broker.attest.oidc;

import dev.warden.broker.attest.Attestation;
import dev.warden.broker.attest.AttestationException;
import dev.warden.broker.attest.Attestor;
import dev.warden.broker.attest.JwksSource;
import dev.warden.broker.attest.JwtParts;
import dev.warden.broker.attest.JwtRules;
import dev.warden.broker.attest.Proof;
import dev.warden.config.ConfigNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Any OIDC/JWT issuer: Kubernetes projected service-account tokens, GitHub Actions and GitLab CI
 * OIDC tokens, or a generic issuer. Keys come only from the configured JWKS URL or file. The
 * profile normalises claims into a workload id and attributes:
 *
 * <ul>
 *   <li>{@code kubernetes}: {@code sub} must be {@code system:serviceaccount:NS:NAME}; attributes
 *       namespace, serviceaccount, pod, cluster.
 *   <li>{@code github}: {@code sub} such as {@code repo:ORG/REPO:ref:refs/heads/main}; attributes
 *       repository, repository_owner, ref, environment, workflow, job_workflow_ref, event_name, actor.
 *   <li>{@code gitlab}: {@code sub} such as {@code project_path:GROUP/PROJECT:ref_type:branch:ref:main};
 *       attributes project_path, namespace_path, ref, ref_type, environment, pipeline_source.
 *   <li>{@code generic}: {@code sub} as is; every top-level string claim is an attribute.
 * </ul>
 */
public final class OidcAttestor implements Attestor {
    public static final String KIND = "oidc";
    private static final Pattern K8S_SUB =
            Pattern.compile("system:serviceaccount:([a-z0-9.-]{1,253}):([a-z0-9.-]{1,253})");
    private static final Set<String> KEYS = Set.of(
            "name",
            "kind",
            "issuer",
            "profile",
            "audiences",
            "jwksUrl",
            "jwksFile",
            "algorithms",
            "clockSkew",
            "maxTokenLifetime",
            "jwksRefresh",
            "jwksTimeout",
            "cluster");
    private static final List<String> GITHUB = List.of(
            "repository",
            "repository_owner",
            "ref",
            "environment",
            "workflow",
            "job_workflow_ref",
            "event_name",
            "actor");
    private static final List<String> GITLAB =
            List.of("project_path", "namespace_path", "ref", "ref_type", "environment", "pipeline_source");

    /** How claims become a workload id and attributes. */
    enum Profile {
        KUBERNETES,
        GITHUB,
        GITLAB,
        GENERIC
    }

    private final String name;
    private final String issuer;
    private final Profile profile;
    private final String cluster;
    private final JwtRules rules;
    private final JwksSource keys;
    private final Clock clock;

    OidcAttestor(
            String name, String issuer, Profile profile, String cluster, JwtRules rules, JwksSource keys, Clock clock) {
        this.name = name;
        this.issuer = issuer;
        this.profile = profile;
        this.cluster = cluster;
        this.rules = rules;
        this.keys = keys;
        this.clock = clock;
    }

    public static OidcAttestor fromConfig(String name, ConfigNode c, Clock clock) {
        c.allowOnly(KEYS);
        String issuer = c.string("issuer");
        Profile profile;
        String p = c.optString("profile", "generic");
        try {
            profile = Profile.valueOf(p.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw c.error("profile", "must be kubernetes, github, gitlab or generic");
        }
        URI url = c.uri("jwksUrl");
        Path file = c.path("jwksFile");
        if ((url == null) == (file == null)) {
            throw c.error("exactly one of jwksUrl and jwksFile is required");
        }
        JwtRules rules = JwtRules.fromConfig(c, List.of("RS256", "ES256"), issuer);
        JwksSource source;
        try {
            source = url != null
                    ? JwksSource.url(
                            url,
                            null,
                            clock,
                            c.duration("jwksRefresh", Duration.ofMinutes(5)),
                            c.duration("jwksTimeout", Duration.ofSeconds(5)))
                    : JwksSource.file(file, null, clock);
        } catch (IllegalArgumentException e) {
            throw c.error(url != null ? "jwksUrl" : "jwksFile", e.getMessage());
        }
        return new OidcAttestor(name, issuer, profile, c.optString("cluster", name), rules, source, clock);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String route() {
        return "issuer " + issuer;
    }

    @Override
    public boolean handles(Proof proof) {
        return proof instanceof Proof.Jwt jwt && issuer.equals(jwt.parts().string("iss"));
    }

    @Override
    public Attestation attest(Proof proof) throws AttestationException {
        if (!(proof instanceof Proof.Jwt jwt)) {
            throw new AttestationException("wrong_proof", "attestor " + name + " accepts only JWTs");
        }
        JwtParts t = jwt.parts();
        Instant now = clock.instant();
        rules.verify(t, keys.current(), keys::refreshed, now);
        String sub = t.string("sub");
        Map<String, String> attrs = new LinkedHashMap<>();
        switch (profile) {
            case KUBERNETES -> {
                Matcher m = K8S_SUB.matcher(sub);
                if (!m.matches()) {
                    throw new AttestationException(
                            "malformed", "sub is not a Kubernetes service account (system:serviceaccount:NS:NAME)");
                }
                attrs.put("namespace", m.group(1));
                attrs.put("serviceaccount", m.group(2));
                attrs.put("cluster", cluster);
                if (t.claims().get("kubernetes.io") instanceof Map<?, ?> k8s
                        && k8s.get("pod") instanceof Map<?, ?> pod
                        && pod.get("name") instanceof String podName) {
                    attrs.put("pod", podName);
                }
            }
            case GITHUB -> copy(t, GITHUB, attrs);
            case GITLAB -> copy(t, GITLAB, attrs);
            case GENERIC ->
                t.claims().forEach((k, v) -> {
                    if (v instanceof String s
                            && !Set.of("iss", "sub", "aud", "jti").contains(k)
                            && s.length() <= 256) {
                        attrs.put(k, s);
                    }
                });
        }
        Instant exp = Instant.ofEpochSecond(((Number) t.claims().get("exp")).longValue());
        return new Attestation(sub, name, KIND, issuer, null, t.claims(), attrs, t.string("jti"), exp, null);
    }

    private static void copy(JwtParts t, List<String> names, Map<String, String> attrs) {
        for (String n : names) {
            String v = t.string(n);
            if (v != null && !v.isEmpty()) {
                attrs.put(n, v);
            }
        }
    }
}
