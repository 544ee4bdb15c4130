package dev.warden.inventory;

import java.util.Objects;

/**
 * Who may act as an identity: for an AWS role, one principal of its trust policy
 * ({@code principalType} service, aws (account or ARN), federated (OIDC/SAML provider) or *), the
 * action ({@code sts:AssumeRoleWithWebIdentity}, ...) and the condition as the source states it (JSON).
 */
public record Trust(Effect effect, String principalType, String principal, String action, String condition) {
    public Trust {
        Objects.requireNonNull(effect, "effect");
        principalType = InventoryText.required("principalType", principalType);
        principal = InventoryText.required("principal", principal);
        action = InventoryText.required("action", action);
        if (condition != null && condition.length() > 16 * InventoryText.MAX_TEXT) {
            throw new IllegalArgumentException(
                    "condition is longer than " + 16 * InventoryText.MAX_TEXT + " characters");
        }
    }
}
