package dev.warden.broker.attest;

import dev.warden.broker.attest.oidc.OidcAttestor;
import dev.warden.broker.attest.spiffejwt.SpiffeJwtAttestor;
import dev.warden.broker.attest.x509.X509Attestor;
import dev.warden.config.ConfigNode;
import dev.warden.input.Echo;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The registry of built-in attestor kinds and the configured attestors. A proof goes to the one
 * configured attestor that {@link Attestor#handles handles} it; two attestors that would both
 * claim the same issuer are a configuration error.
 */
public final class Attestors {
    /** Builds an attestor of one kind from its {@code broker.attestors[i]} section. */
    @FunctionalInterface
    interface Factory {
        Attestor create(String name, ConfigNode config, Clock clock);
    }

    /** The built-in kinds. Adding a kind adds one line here and touches no other attestor. */
    static final Map<String, Factory> BUILT_IN = builtIn();

    private static Map<String, Factory> builtIn() {
        Map<String, Factory> m = new LinkedHashMap<>();
        m.put(OidcAttestor.KIND, OidcAttestor::fromConfig);
        m.put(SpiffeJwtAttestor.KIND, SpiffeJwtAttestor::fromConfig);
        m.put(X509Attestor.KIND, X509Attestor::fromConfig);
        return Map.copyOf(m);
    }

    private final List<Attestor> attestors;

    Attestors(List<Attestor> attestors) {
        Set<String> names = new HashSet<>();
        for (Attestor a : attestors) {
            if (!names.add(a.name())) {
                throw new IllegalArgumentException("two attestors are named '" + a.name() + "'");
            }
        }
        this.attestors = List.copyOf(attestors);
    }

    /** Builds every attestor listed under {@code broker.attestors}. */
    public static Attestors fromConfig(List<ConfigNode> sections, Clock clock) {
        List<Attestor> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> routes = new HashSet<>();
        for (ConfigNode c : sections) {
            String name = c.string("name");
            if (!name.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
                throw c.error("name", "must be 1-63 lower-case letters, digits, '.', '_' or '-'");
            }
            if (!names.add(name)) {
                throw c.error("name", "another attestor is already named '" + name + "'");
            }
            String kind = c.string("kind");
            Factory f = BUILT_IN.get(kind);
            if (f == null) {
                throw c.error(
                        "kind",
                        "unknown attestor kind '" + Echo.shown(kind) + "' (known: "
                                + String.join(", ", new TreeSet<>(BUILT_IN.keySet())) + ")");
            }
            Attestor a = f.create(name, c, clock);
            String route = a.route();
            if (!routes.add(route)) {
                throw c.error("another attestor already handles " + route);
            }
            out.add(a);
        }
        return new Attestors(out);
    }

    public List<Attestor> all() {
        return attestors;
    }

    /** The CA certificates client certificates may chain to, over every configured attestor. */
    public List<X509Certificate> clientCas() {
        List<X509Certificate> cas = new ArrayList<>();
        for (Attestor a : attestors) {
            cas.addAll(a.clientCas());
        }
        return cas;
    }

    /** Verifies {@code proof} with the attestor that handles it. */
    public Attestation attest(Proof proof) throws AttestationException {
        for (Attestor a : attestors) {
            if (a.handles(proof)) {
                return a.attest(proof);
            }
        }
        if (proof instanceof Proof.Jwt jwt) {
            String iss = jwt.parts().string("iss");
            throw new AttestationException(
                    "unknown_issuer",
                    iss == null
                            ? "no attestor accepts this token (it has no iss claim)"
                            : "no attestor is configured for issuer '" + Echo.shown(iss) + "'");
        }
        throw new AttestationException("unknown_issuer", "no attestor accepts client certificates");
    }
}
