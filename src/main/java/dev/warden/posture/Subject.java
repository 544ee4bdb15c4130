package dev.warden.posture;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialStatus;
import dev.warden.inventory.Entitlement;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.Trust;
import dev.warden.usage.UsageSummary;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Check} sees of one machine identity, as of {@link #asOf()}: its record (credentials
 * created after {@code asOf} left out), its usage summary up to {@code asOf} (null when the logs say
 * nothing of it), the leaks linked to it, the credentials it shares with other identities, whether
 * usage logs were ingested for its source scope at all, and the policy.
 *
 * <p>The inventory keeps the latest value of facts such as a credential's last use; a value later
 * than {@code asOf} hides whatever came before, so {@link #capped} treats it as "used at
 * {@code asOf}" (the conservative reading: no dormancy is claimed on facts not known then).
 */
public record Subject(
        IdentityRecord record,
        UsageSummary usage,
        List<LeakSighting> leaks,
        List<Signal> signals,
        List<SharedCredential> shared,
        boolean usageCovered,
        PosturePolicy policy,
        Instant asOf) {
    public Subject {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(asOf, "asOf");
        leaks = List.copyOf(leaks);
        signals = List.copyOf(signals);
        shared = List.copyOf(shared);
    }

    /** A subject with no usage, leaks or shared credentials. */
    public static Subject of(IdentityRecord record, PosturePolicy policy, Instant asOf) {
        return new Subject(record, null, List.of(), List.of(), List.of(), false, policy, asOf);
    }

    public Identity identity() {
        return record.identity();
    }

    public List<Credential> credentials() {
        return record.credentials();
    }

    public List<Entitlement> entitlements() {
        return record.entitlements();
    }

    public List<Trust> trusts() {
        return record.trusts();
    }

    public Optional<UsageSummary> usageSummary() {
        return Optional.ofNullable(usage);
    }

    /** An identity attribute, or null. */
    public String attribute(String name) {
        return identity().attributes().get(name);
    }

    /** True when the identity attribute is {@code true} (any case). */
    public boolean flag(String name) {
        return "true".equalsIgnoreCase(attribute(name));
    }

    /** An identity attribute read as an ISO-8601 instant, capped at {@code asOf}; empty when absent or not an instant. */
    public Optional<Instant> attributeInstant(String name) {
        String v = attribute(name);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(capped(Instant.parse(v.strip())));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** {@code t} if it is not after {@code asOf}, else {@code asOf}; null stays null. */
    public Instant capped(Instant t) {
        return t == null || !t.isAfter(asOf) ? t : asOf;
    }

    /** Whole days from {@code t} to {@code asOf} (0 when {@code t} is later). */
    public long daysSince(Instant t) {
        return t.isAfter(asOf) ? 0 : Duration.between(t, asOf).toDays();
    }

    /** Whether the identity's environment is a production one (policy {@code productionEnvironments}). */
    public boolean production() {
        return policy.isProduction(identity().environment());
    }

    /**
     * Whether a credential could be used at {@code asOf}: not revoked or inactive, and not past its
     * expiry (a credential the source marks expired but whose expiry is after {@code asOf} was live then).
     */
    public boolean live(Credential c) {
        if (c.status() == CredentialStatus.REVOKED || c.status() == CredentialStatus.INACTIVE) {
            return false;
        }
        if (c.expiresAt() != null) {
            return c.expiresAt().isAfter(asOf);
        }
        return c.status() == CredentialStatus.ACTIVE;
    }

    /** A credential attribute, or null. */
    public static String attribute(Credential c, String name) {
        return c.attributes().get(name);
    }

    /** How a credential is shown in evidence: its external id, else its fingerprint. */
    public static String label(Credential c) {
        return c.kind().value() + " " + (c.externalId() != null ? c.externalId() : c.fingerprint());
    }

    /** Lower-case, for case-insensitive comparisons. */
    public static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
