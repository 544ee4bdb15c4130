package dev.warden.inventory;

import java.util.Objects;

/**
 * Something an identity may (or may not) do: {@code effect} on {@code action} over {@code resource},
 * granted via a policy, role or binding. {@code condition} keeps the source's condition as JSON text.
 */
public record Entitlement(Effect effect, String action, String resource, String grantedVia, String condition) {
    public Entitlement {
        Objects.requireNonNull(effect, "effect");
        action = InventoryText.required("action", action);
        resource = InventoryText.required("resource", resource);
        grantedVia = InventoryText.optional("grantedVia", grantedVia);
        if (condition != null && condition.length() > 16 * InventoryText.MAX_TEXT) {
            throw new IllegalArgumentException(
                    "condition is longer than " + 16 * InventoryText.MAX_TEXT + " characters");
        }
    }
}
