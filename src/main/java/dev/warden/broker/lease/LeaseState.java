package dev.warden.broker.lease;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.warden.input.Echo;
import java.util.Locale;
import java.util.Set;

/**
 * Where a lease is in its life. {@code pending}: recorded, the credential may or may not exist yet;
 * {@code active}: the credential exists and was handed out; {@code revoking}: revocation is due
 * (expiry, request or rollback) and being tried with backoff; then one of the ends: {@code
 * revoked} (on request), {@code expired} (revoked by the reaper at expiry), {@code rolled_back}
 * (issuance failed or was interrupted; the caller never got the credential), or {@code
 * irrevocable} (every revocation attempt failed: a posture finding until someone acts).
 */
public enum LeaseState {
    PENDING,
    ACTIVE,
    REVOKING,
    REVOKED,
    EXPIRED,
    IRREVOCABLE,
    ROLLED_BACK;

    /** States in which the credential may still exist. */
    static final Set<LeaseState> LIVE = Set.of(PENDING, ACTIVE, REVOKING, IRREVOCABLE);

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    boolean isLive() {
        return LIVE.contains(this);
    }

    public static LeaseState parse(String text) {
        for (LeaseState s : values()) {
            if (s.value().equals(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown lease state '" + Echo.shown(text)
                + "' (expected pending, active, revoking, revoked, expired, irrevocable or rolled_back)");
    }
}
