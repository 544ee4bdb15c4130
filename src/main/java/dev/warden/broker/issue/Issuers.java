package dev.warden.broker.issue;

import dev.warden.broker.ca.CertificateAuthority;
import dev.warden.broker.issue.postgresql.PostgresConfig;
import dev.warden.broker.issue.postgresql.PostgresIssuer;
import dev.warden.broker.issue.svid.SvidIssuer;
import dev.warden.store.Database;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configured issuers by name: the registry of the {@link Issuer} seam. Built-in kinds are
 * {@link #KINDS}; {@link #builtIn} builds each from its {@code warden.yaml} section through its own
 * package ({@code broker/issue/postgresql/}, {@code broker/issue/svid/}), so adding a kind touches
 * its package and this registry, nothing else.
 */
public final class Issuers implements AutoCloseable {
    /** The built-in issuer kinds. */
    static final Set<String> KINDS = Set.of(PostgresIssuer.KIND, SvidIssuer.KIND);

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

    /**
     * The built-in issuers {@code warden.yaml} enables: one {@code postgresql} issuer per entry of
     * {@code broker.postgresql}, and the {@code x509-svid} issuer when Warden has a CA ({@code ca}
     * null: none). Another kind adds its line here.
     */
    public static Issuers builtIn(List<PostgresConfig> postgresql, CertificateAuthority ca, Database db, Clock clock) {
        List<Issuer> all = new ArrayList<>();
        postgresql.forEach(c -> all.add(new PostgresIssuer(c)));
        if (ca != null) {
            all.add(new SvidIssuer(ca, db, clock));
        }
        return new Issuers(all);
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

    /** The first issuer of {@code kind} that offers {@code role} (its {@link Issuer#terms terms} are known). */
    public Optional<Issuer> offering(String kind, String role) {
        return byName.values().stream()
                .filter(i -> i.kind().equals(kind) && i.terms(role).isPresent())
                .findFirst();
    }

    /** The issuers that keep static roles to rotate ({@link Issuer.Rotating}). */
    List<Issuer.Rotating> rotating() {
        List<Issuer.Rotating> out = new ArrayList<>();
        for (Issuer i : byName.values()) {
            if (i instanceof Issuer.Rotating r) {
                out.add(r);
            }
        }
        return out;
    }

    boolean isEmpty() {
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
