package dev.warden.broker;

import com.nimbusds.jose.JWSAlgorithm;
import dev.warden.broker.ca.CaConfig;
import dev.warden.broker.issue.postgresql.PostgresConfig;
import dev.warden.broker.lease.Leases;
import dev.warden.config.ConfigNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

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
 * @param ca Warden's certificate authority for X.509-SVIDs, or null when it issues none
 * @param leases the lease reaper's settings ({@code leases})
 * @param postgresql databases Warden issues dynamic logins in ({@code postgresql}, see docs/broker/leases.md)
 * @param rateLimit token buckets in front of the OAuth endpoints and the aggregation of denials
 * @param verboseErrors whether refusals tell the caller why (which policy, attestor or key); null when
 *     the file does not say, which is false except in {@code warden demo}. The audit log always has
 *     the reason.
 */
public record BrokerConfig(
        String issuer,
        String environment,
        Path policies,
        JWSAlgorithm algorithm,
        Duration rotation,
        List<ConfigNode> attestors,
        Set<String> trustedProxies,
        CaConfig ca,
        Leases.Settings leases,
        List<PostgresConfig> postgresql,
        RateLimiter.Settings rateLimit,
        Boolean verboseErrors) {
    private static final Set<String> KEYS = Set.of(
            "issuer",
            "environment",
            "policies",
            "signing",
            "attestors",
            "trustedProxies",
            "ca",
            "leases",
            "postgresql",
            "rateLimit",
            "verboseErrors");
    private static final Set<String> LEASE_KEYS = Set.of(
            "reaperInterval",
            "maxAttempts",
            "backoff",
            "maxBackoff",
            "batch",
            "parallelism",
            "pendingGrace",
            "claimTimeout");

    public BrokerConfig {
        attestors = List.copyOf(attestors);
        trustedProxies = Set.copyOf(trustedProxies);
        postgresql = List.copyOf(postgresql);
    }

    /** Reads {@code broker}; returns null when the section is absent (the broker is off). */
    public static BrokerConfig from(ConfigNode c) {
        return from(c, System::getenv);
    }

    /** Reads {@code broker}, looking environment variables up with {@code env}. */
    public static BrokerConfig from(ConfigNode c, Function<String, String> env) {
        if (!c.isPresent()) {
            return null;
        }
        c.allowOnly(KEYS);
        String issuer = c.string("issuer");
        URI u;
        try {
            u = new URI(issuer);
        } catch (URISyntaxException e) {
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
                CaConfig.from(c.child("ca")),
                leases(c.child("leases")),
                PostgresConfig.fromList(c.list("postgresql"), env),
                RateLimiter.Settings.from(c.child("rateLimit")),
                c.has("verboseErrors") ? c.bool("verboseErrors", false) : null);
    }

    /** Whether refusals carry their reason to the caller ({@link #verboseErrors}, false when unset). */
    public boolean verbose() {
        return Boolean.TRUE.equals(verboseErrors);
    }

    /** This configuration with {@link #verboseErrors} {@code fallback} when the file does not set it. */
    public BrokerConfig withVerboseErrorsDefault(boolean fallback) {
        return verboseErrors != null
                ? this
                : new BrokerConfig(
                        issuer,
                        environment,
                        policies,
                        algorithm,
                        rotation,
                        attestors,
                        trustedProxies,
                        ca,
                        leases,
                        postgresql,
                        rateLimit,
                        fallback);
    }

    private static Leases.Settings leases(ConfigNode c) {
        c.allowOnly(LEASE_KEYS);
        Leases.Settings d = Leases.Settings.defaults();
        Duration interval = c.duration("reaperInterval", d.reaperInterval());
        if (interval.compareTo(Duration.ofMillis(100)) < 0 || interval.compareTo(Duration.ofMinutes(10)) > 0) {
            throw c.error("reaperInterval", "must be between 100ms and 10m");
        }
        Duration backoff = c.duration("backoff", d.backoff());
        Duration maxBackoff = c.duration("maxBackoff", d.maxBackoff());
        if (backoff.compareTo(Duration.ofMillis(100)) < 0) {
            throw c.error("backoff", "must be at least 100ms");
        }
        if (maxBackoff.compareTo(backoff) < 0) {
            throw c.error("maxBackoff", "must be at least backoff");
        }
        Duration grace = c.duration("pendingGrace", d.pendingGrace());
        Duration claim = c.duration("claimTimeout", d.claimTimeout());
        if (grace.compareTo(Duration.ofSeconds(10)) < 0) {
            throw c.error("pendingGrace", "must be at least 10s (longer than an issuance takes)");
        }
        if (claim.compareTo(Duration.ofSeconds(10)) < 0) {
            throw c.error("claimTimeout", "must be at least 10s (longer than a revocation takes)");
        }
        return new Leases.Settings(
                interval,
                c.integer("maxAttempts", d.maxAttempts(), 1, 100),
                backoff,
                maxBackoff,
                c.integer("batch", d.batch(), 1, 10_000),
                c.integer("parallelism", d.parallelism(), 1, 64),
                grace,
                claim);
    }
}
