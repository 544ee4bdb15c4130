package dev.warden.broker.issue;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configured issuers by name: the registry of the {@link Issuer} seam. Built-in kinds are
 * {@link #KINDS}; each is built from its {@code warden.yaml} section by its own package
 * ({@code broker/issue/postgresql/}, {@code broker/issue/svid/}) and handed in here, so adding a
 * kind touches its package, this list and the composition root, nothing else.
 */
public final class Issuers implements AutoCloseable {
    /** The built-in issuer kinds. */
    public static final Set<String> KINDS = Set.of("postgresql", "x509-svid");

    private final Map<String, Issuer> byName = new LinkedHashMap<>();

    public Issuers(List<Issuer> issuers) {
        for (Issuer i : issuers) {
            if (!KINDS.contains(i.kind())) {
                throw new IllegalArgumentException("issuer kind '" + i.kind() + "' is not a built-in");
            }
            if (byName.put(i.name(), i) != null) {
                throw new IllegalArgumentException("two issuers are named '" + i.name() + "'");
            }
        }
    }

    public static Issuers none() {
        return new Issuers(List.of());
    }

    public Optional<Issuer> get(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    /** The issuer named {@code name} if it is of {@code kind}. */
    public Optional<Issuer> get(String kind, String name) {
        return get(name).filter(i -> i.kind().equals(kind));
    }

    public Collection<Issuer> all() {
        return byName.values();
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    @Override
    public void close() {
        for (Issuer i : byName.values()) {
            try {
                i.close();
            } catch (RuntimeException e) {
                // closing the others matters more
            }
        }
    }
}
