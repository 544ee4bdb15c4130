package dev.warden.input;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One thing to import: a file or directory, a URL ({@code tls://host:port}, {@code postgresql://...}),
 * or content received by the API. {@link #name()} is how errors refer to it.
 */
public final class Input {
    private final String name;
    private final Path path;
    private final String url;
    private final byte[] content;

    private Input(String name, Path path, String url, byte[] content) {
        this.name = Objects.requireNonNull(name, "name");
        this.path = path;
        this.url = url;
        this.content = content;
    }

    public static Input path(Path path) {
        return new Input(path.toString(), path, null, null);
    }

    public static Input url(String url) {
        return new Input(redact(url), null, url, null);
    }

    public static Input content(String name, byte[] content) {
        return new Input(name, null, null, content.clone());
    }

    /** Parses a command-line argument: {@code scheme://...} is a URL, anything else a path. */
    public static Input parse(String argument) {
        return argument.matches("[a-z][a-z0-9+.-]*://.*") ? url(argument) : path(Path.of(argument));
    }

    /**
     * Hides the password of {@code scheme://user:password@host...}. The user info ends at the last
     * '@' before any query, so a password with an unencoded '@' or '/' is hidden whole.
     */
    static String redact(String url) {
        int start = url.indexOf("://");
        if (start < 0) {
            return url;
        }
        int end = url.indexOf('?', start);
        int at = url.lastIndexOf('@', end < 0 ? url.length() : end);
        if (at < start) {
            return url;
        }
        String userInfo = url.substring(start + 3, at);
        int colon = userInfo.indexOf(':');
        String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
        return url.substring(0, start + 3) + user + (colon < 0 ? "" : ":***") + url.substring(at);
    }

    /** How errors and import records name this input; URLs have any password replaced by ***. */
    public String name() {
        return name;
    }

    public boolean isPath() {
        return path != null;
    }

    public boolean isUrl() {
        return url != null;
    }

    public Path path() {
        return path;
    }

    /** The URL as given (may contain a password: never print it, use {@link #name()}). */
    public String url() {
        return url;
    }

    public boolean isContent() {
        return content != null;
    }

    /** Opens a file or content input (not a URL). */
    public InputStream open() throws IOException {
        if (content != null) {
            return new ByteArrayInputStream(content);
        }
        if (path != null) {
            return Files.newInputStream(path);
        }
        throw new IOException(name + " is a URL, not a file");
    }

    public long size() throws IOException {
        return content != null ? content.length : Files.size(path);
    }

    @Override
    public String toString() {
        return name;
    }
}
