package dev.warden.broker.attest.spiffejwt;

import dev.warden.broker.SpiffeId;
import dev.warden.broker.attest.Attestation;
import dev.warden.broker.attest.AttestationException;
import dev.warden.broker.attest.Attestor;
import dev.warden.broker.attest.JwksSource;
import dev.warden.broker.attest.JwtParts;
import dev.warden.broker.attest.JwtRules;
import dev.warden.broker.attest.Proof;
import dev.warden.config.ConfigNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SPIFFE JWT-SVIDs, verified against the trust domain's bundle file (a SPIFFE bundle: a JWK Set
 * whose {@code jwt-svid} keys sign JWT-SVIDs; re-read when the file changes). The {@code sub} must
 * be a SPIFFE ID in the configured trust domain, and it is the workload id. JWT-SVIDs need not
 * carry {@code iss}; the issuer recorded is the trust domain.
 */
public final class SpiffeJwtAttestor implements Attestor {
    public static final String KIND = "spiffe-jwt";
    private static final Set<String> KEYS = Set.of(
            "name", "kind", "trustDomain", "bundleFile", "audiences", "algorithms", "clockSkew", "maxTokenLifetime");

    private final String name;
    private final String trustDomain;
    private final JwtRules rules;
    private final JwksSource bundle;
    private final Clock clock;

    SpiffeJwtAttestor(String name, String trustDomain, JwtRules rules, JwksSource bundle, Clock clock) {
        this.name = name;
        this.trustDomain = trustDomain;
        this.rules = rules;
        this.bundle = bundle;
        this.clock = clock;
    }

    public static SpiffeJwtAttestor fromConfig(String name, ConfigNode c, Clock clock) {
        c.allowOnly(KEYS);
        String td = c.string("trustDomain");
        if (!SpiffeId.isTrustDomain(td)) {
            throw c.error("trustDomain", "must be a trust domain name such as example.org (lower case, no scheme)");
        }
        Path file = c.path("bundleFile");
        if (file == null) {
            throw c.error("bundleFile", "is required");
        }
        JwtRules rules = JwtRules.fromConfig(c, List.of("ES256", "RS256"), null);
        JwksSource source;
        try {
            source = JwksSource.file(file, "jwt-svid", clock);
        } catch (IllegalArgumentException e) {
            throw c.error("bundleFile", e.getMessage());
        }
        return new SpiffeJwtAttestor(name, td, rules, source, clock);
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
        return "trust domain " + trustDomain;
    }

    @Override
    public boolean handles(Proof proof) {
        if (!(proof instanceof Proof.Jwt jwt)) {
            return false;
        }
        String sub = jwt.parts().string("sub");
        return sub != null && sub.startsWith("spiffe://" + trustDomain + "/");
    }

    @Override
    public Attestation attest(Proof proof) throws AttestationException {
        if (!(proof instanceof Proof.Jwt jwt)) {
            throw new AttestationException("wrong_proof", "attestor " + name + " accepts only JWT-SVIDs");
        }
        JwtParts t = jwt.parts();
        rules.verify(t, bundle.current(), bundle::refreshed, clock.instant());
        String sub = t.string("sub");
        SpiffeId id = SpiffeId.parse(sub)
                .filter(s -> s.trustDomain().equals(trustDomain))
                .orElseThrow(() ->
                        new AttestationException("malformed", "sub is not a SPIFFE ID in trust domain " + trustDomain));
        Instant exp = Instant.ofEpochSecond(((Number) t.claims().get("exp")).longValue());
        return new Attestation(
                id.toString(),
                name,
                KIND,
                "spiffe://" + trustDomain,
                id.toString(),
                t.claims(),
                Map.of("trust_domain", trustDomain, "path", id.path()),
                t.string("jti"),
                exp,
                null);
    }
}
