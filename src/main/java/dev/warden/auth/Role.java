package dev.warden.auth;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What an API token may do. Admins do everything; operators read and change the inventory;
 * auditors read the inventory and the audit log. Changes to tokens are admin-only.
 */
public enum Role {
    ADMIN,
    OPERATOR,
    AUDITOR;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean permits(Permission p) {
        return switch (p) {
            case READ_INVENTORY -> true;
            case WRITE_INVENTORY -> this == ADMIN || this == OPERATOR;
            case READ_AUDIT -> this == ADMIN || this == AUDITOR;
            case MANAGE_TOKENS, MANAGE_POLICIES -> this == ADMIN;
            case INTROSPECT_TOKENS -> true;
            case REVOKE_CREDENTIALS, ISSUE_CREDENTIALS -> this == ADMIN || this == OPERATOR;
        };
    }

    public static Role parse(String text) {
        for (Role r : values()) {
            if (r.value().equals(text == null ? "" : text.strip().toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role (expected one of "
                + Arrays.stream(values()).map(Role::value).collect(Collectors.joining(", ")) + ")");
    }

    /** The actions routes and commands require. */
    public enum Permission {
        READ_INVENTORY,
        WRITE_INVENTORY,
        READ_AUDIT,
        MANAGE_TOKENS,
        /** Reload the broker's policies. */
        MANAGE_POLICIES,
        /** Introspect tokens the broker issued (RFC 7662). */
        INTROSPECT_TOKENS,
        /** Revoke credentials the broker issued (RFC 7009) and leases. */
        REVOKE_CREDENTIALS,
        /** Obtain and renew leased credentials (dynamic database logins) without a workload proof. */
        ISSUE_CREDENTIALS
    }
}
