package dev.warden.inventory;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds the {@link IdentityDetail} the CLI and the API show: the inventory's record of one
 * identity joined with what the scanner and posture know of it. The two lookups take an identity
 * id and are given by the composition root ({@code app.Warden}: the scan ledger's leaks and
 * posture's current findings), so this class imports neither capability.
 */
public final class IdentityDetails<L, F> {
    private final Inventory inventory;
    private final Function<String, List<L>> leaks;
    private final Function<String, List<F>> findings;

    public IdentityDetails(Inventory inventory, Function<String, List<L>> leaks, Function<String, List<F>> findings) {
        this.inventory = inventory;
        this.leaks = leaks;
        this.findings = findings;
    }

    /**
     * The identity with Warden id or canonical external id {@code idOrExternalId}, as a reader limited
     * to {@code team} may see it (null: every identity); empty when there is none. An external id that
     * names several identities is an {@link Inventory.AmbiguousIdentityException}, as in {@link Inventory#show}.
     */
    public Optional<IdentityDetail<L, F>> show(String idOrExternalId, String team) {
        return inventory.show(idOrExternalId, team).map(r -> {
            String id = r.identity().id();
            return new IdentityDetail<>(
                    r.identity(), r.credentials(), r.entitlements(), r.trusts(), leaks.apply(id), findings.apply(id));
        });
    }
}
