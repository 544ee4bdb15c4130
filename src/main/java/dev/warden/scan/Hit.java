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
        String identityId,
        String credentialId,
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
                identityId,
                credentialId,
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
                identityId,
                credentialId,
                secret);
    }

    /** The same hit linked to an inventory identity (and credential), with the severity that implies. */
    public Hit linked(String identity, String credential, Severity s) {
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
                identity,
                credential,
                secret);
    }

    /** The same hit with a link key found later (a derived public key). */
    public Hit withLink(LinkKey l) {
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
                l,
                identityId,
                credentialId,
                secret);
    }

    /** The same hit with another fingerprint (the store's key rather than the run's). */
    public Hit withFingerprint(String fp) {
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
                fp,
                entropy,
                link,
                identityId,
                credentialId,
                secret);
    }

    @Override
    public String toString() {
        return "Hit[" + rule + " " + path + ":" + line + ":" + column + " " + redacted + " " + fingerprint + "]";
    }
}
