package dev.warden.scan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * One secret found: which rule, where (path, 1-based line and UTF-16 column, end exclusive), in
 * which commit when scanning history, a redacted preview, the keyed fingerprint, entropy,
 * confidence, and what it says about whose it is. {@code secret} stays in memory for the run
 * (baselines, the at-HEAD check, {@code --no-redact}); it is never serialised or stored.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Hit(
        String rule,
        String description,
        Severity severity,
        Confidence confidence,
        @JsonProperty("file") String path,
        int line,
        int column,
        int endLine,
        int endColumn,
        String commit,
        String author,
        Instant date,
        Boolean presentAtHead,
        String redacted,
        String fingerprint,
        double entropy,
        LinkKey link,
        @JsonIgnore String secret) {

    public Hit {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(confidence, "confidence");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(fingerprint, "fingerprint");
        entropy = Math.round(entropy * 1000) / 1000.0;
    }

    /** The same hit as introduced by {@code commit}. */
    public Hit inCommit(String commitId, String commitAuthor, Instant commitDate) {
        return new Hit(
                rule,
                description,
                severity,
                confidence,
                path,
                line,
                column,
                endLine,
                endColumn,
                commitId,
                commitAuthor,
                commitDate,
                presentAtHead,
                redacted,
                fingerprint,
                entropy,
                link,
                secret);
    }

    public Hit withPresentAtHead(boolean present) {
        return new Hit(
                rule,
                description,
                severity,
                confidence,
                path,
                line,
                column,
                endLine,
                endColumn,
                commit,
                author,
                date,
                present,
                redacted,
                fingerprint,
                entropy,
                link,
                secret);
    }

    public Hit withSeverity(Severity s) {
        return new Hit(
                rule,
                description,
                s,
                confidence,
                path,
                line,
                column,
                endLine,
                endColumn,
                commit,
                author,
                date,
                presentAtHead,
                redacted,
                fingerprint,
                entropy,
                link,
                secret);
    }

    /** The same hit without the secret in memory. */
    public Hit withoutSecret() {
        return new Hit(
                rule,
                description,
                severity,
                confidence,
                path,
                line,
                column,
                endLine,
                endColumn,
                commit,
                author,
                date,
                presentAtHead,
                redacted,
                fingerprint,
                entropy,
                link,
                null);
    }

    @Override
    public String toString() {
        return "Hit[" + rule + " " + path + ":" + line + ":" + column + " " + redacted + " " + fingerprint + "]";
    }
}
