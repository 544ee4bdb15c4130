package dev.warden.broker;

import com.nimbusds.jose.JWSAlgorithm;
import dev.warden.config.ConfigNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The {@code broker} section of {@code warden.yaml}, validated when read.
 *
 * @param issuer the {@code iss} of issued tokens and the base of the discovery document
 * @param environment the deployment's environment, given to policies as {@code context.environment}
 * @param policies the policy directory
 * @param algorithm ES256 (default) or EdDSA
 * @param rotation how long a signing key signs before the next one takes over
 * @param attestors the {@code attestors} sections, built by {@link dev.warden.broker.attest.Attestors}
 * @param trustedProxies addresses whose X-Forwarded-For is believed for {@code context.source_address}
 * @param rateLimit token buckets in front of the OAuth endpoints and the aggregation of denials
 */
public record BrokerConfig(
        String issuer,
        String environment,
        Path policies,
        JWSAlgorithm algorithm,
        Duration rotation,
        List<ConfigNode> attestors,
        Set<String> trustedProxies,
        RateLimiter.Settings rateLimit) {
    private static final Set<String> KEYS =
            Set.of("issuer", "environment", "policies", "signing", "attestors", "trustedProxies", "rateLimit");

    public BrokerConfig {
        attestors = List.copyOf(attestors);
        trustedProxies = Set.copyOf(trustedProxies);
    }

    /** Reads {@code broker}; returns null when the section is absent (the broker is off). */
    public static BrokerConfig from(ConfigNode c) {
        if (!c.isPresent()) {
            return null;
        }
        c.allowOnly(KEYS);
        String issuer = c.string("issuer");
        URI u;
        try {
            u = new URI(issuer);
        } catch (java.net.URISyntaxException e) {
            throw c.error("issuer", "is not a valid URL");
        }
        if (!u.isAbsolute()
                || u.getHost() == null
                || u.getQuery() != null
                || u.getFragment() != null
                || !(u.getScheme().equals("https") || u.getScheme().equals("http"))) {
            throw c.error("issuer", "must be an https URL with no query or fragment (RFC 8414)");
        }
        if (issuer.endsWith("/")) {
            throw c.error("issuer", "must not end with '/'");
        }
        Path policies = c.path("policies");
        if (policies == null) {
            throw c.error("policies", "is required (a directory of policy files)");
        }
        ConfigNode signing = c.child("signing").allowOnly(Set.of("algorithm", "rotation"));
        String alg = signing.optString("algorithm", "ES256");
        if (!alg.equals("ES256") && !alg.equals("EdDSA")) {
            throw signing.error("algorithm", "must be ES256 or EdDSA");
        }
        Duration rotation = signing.duration("rotation", Duration.ofHours(24));
        if (rotation.compareTo(Duration.ofHours(2)) < 0) {
            throw signing.error("rotation", "must be at least 2h (keys are published 1h before they sign)");
        }
        List<ConfigNode> attestors = c.list("attestors");
        if (attestors.isEmpty()) {
            throw c.error("attestors", "must list at least one attestor");
        }
        return new BrokerConfig(
                issuer,
                c.optString("environment", ""),
                policies,
                JWSAlgorithm.parse(alg),
                rotation,
                attestors,
                Set.copyOf(c.strings("trustedProxies", false)),
                RateLimiter.Settings.from(c.child("rateLimit")));
    }
}
