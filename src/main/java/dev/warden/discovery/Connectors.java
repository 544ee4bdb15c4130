package dev.warden.discovery;

import dev.warden.discovery.aws.AwsConnector;
import dev.warden.input.Echo;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The built-in connectors, by name. Adding a source means adding it here and nowhere else. */
public final class Connectors {
    private final Map<String, Connector> byName = new LinkedHashMap<>();

    public Connectors(List<Connector> connectors) {
        for (Connector c : connectors) {
            if (byName.put(c.name(), c) != null) {
                throw new IllegalStateException("two connectors named " + c.name());
            }
        }
    }

    /** Every connector Warden ships. */
    public static Connectors builtIn(Clock clock) {
        return new Connectors(List.of(
                new AwsConnector(clock),
                new dev.warden.discovery.kubernetes.KubernetesConnector(clock),
                new dev.warden.discovery.github.GithubConnector(clock),
                new dev.warden.discovery.postgresql.PostgresConnector(clock),
                new dev.warden.discovery.certificates.CertificateConnector(clock)));
    }

    public Optional<Connector> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<Connector> all() {
        return byName.values();
    }

    /** The connector named {@code name}, or an error listing the known ones. */
    public Connector require(String name) {
        return get(name)
                .orElseThrow(() -> new IllegalArgumentException("unknown source '" + Echo.shown(name) + "' (known: "
                        + String.join(", ", byName.keySet()) + ")"));
    }
}
