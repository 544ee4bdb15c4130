package dev.warden.scan;

import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A detector for one kind of secret: the scanner's plugin seam ({@link BuiltinRules} registers
 * Warden's defaults; {@link GitleaksConfig} turns a gitleaks rule file into more).
 *
 * <p>Contract. {@link #id()} is unique in a rule set and matches {@link RuleSet#RULE_ID}.
 * {@link #keywords()} are lower-case literals: the engine runs its keyword prefilter over every byte
 * once and calls {@link #find} only on windows around a keyword hit (the hit's line plus
 * {@link #linesAfter()} lines, at most {@link Fragment#MAX_WINDOW} characters); a rule with no
 * keywords sees the whole text, so built-in rules always have keywords. {@code find} must run in time
 * linear in its window (RE2/J or plain code, never backtracking {@code java.util.regex}), be
 * stateless and thread-safe (the engine calls it from several threads at once), report each secret
 * as a {@link Candidate} with offsets inside the window, and never log, keep or throw with the
 * secret. Filtering that is common to all rules (allow comments, allowlists, baselines, duplicates
 * across rules) is the engine's job, not the rule's. {@link #linkKey} derives only non-secret
 * identifiers (key ids, token subjects, public-key hashes, role URLs) and returns empty when the
 * secret cannot be tied to an identity.
 */
public interface Rule {
    String id();

    String description();

    /** Severity of a hit that is not linked to an active credential. */
    Severity severity();

    Set<String> keywords();

    /** Lines after the keyword's line that the window includes (multi-line secrets, key/value pairs). */
    default int linesAfter() {
        return 0;
    }

    /** False when the rule never applies to a file at {@code path} (a gitleaks {@code path} filter). */
    default boolean appliesToPath(String path) {
        return true;
    }

    /** Finds secrets in {@code fragment} and hands each to {@code out}. */
    void find(Fragment fragment, Consumer<Candidate> out);

    /** What the secret (found in {@code match}) says about whose it is, when it says anything. */
    default Optional<LinkKey> linkKey(String secret, String match) {
        return Optional.empty();
    }

    /**
     * Which rule wins when two report the same secret: higher is more specific (provider formats
     * 100, structured secrets 80, generic assignments 10).
     */
    default int priority() {
        return 100;
    }
}
