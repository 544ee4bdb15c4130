package dev.warden.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the store lives: {@code sqlite:PATH} or {@code postgresql://user[:password]@host[:port]/db[?params]}
 * (libpq form; {@code postgres://} and {@code jdbc:postgresql://} are accepted too). The password, when
 * given in the URL, never appears in {@link #toString()} or in error messages.
 */
public final class DbUrl {
    private static final Pattern SAFE_PARAM = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

    private final Dialect dialect;
    private final Path sqlitePath;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String redacted;

    private DbUrl(Dialect dialect, Path sqlitePath, String jdbcUrl, String user, String password, String redacted) {
        this.dialect = dialect;
        this.sqlitePath = sqlitePath;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.redacted = redacted;
    }

    public static DbUrl sqlite(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return new DbUrl(Dialect.SQLITE, abs, "jdbc:sqlite:" + abs, null, null, "sqlite:" + abs);
    }

    /**
     * Parses a user-supplied URL.
     *
     * @throws IllegalArgumentException with a one-line message that never echoes a password
     */
    public static DbUrl parse(String text) {
        Objects.requireNonNull(text, "text");
        String s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("database URL is empty");
        }
        if (s.startsWith("sqlite:")) {
            String path = s.substring("sqlite:".length());
            if (path.startsWith("//")) {
                path = path.substring(2);
            }
            if (path.isBlank()) {
                throw new IllegalArgumentException("sqlite URL has no file path (expected sqlite:PATH)");
            }
            return sqlite(Path.of(path));
        }
        if (s.startsWith("jdbc:")) {
            s = s.substring("jdbc:".length());
        }
        int colon = s.indexOf("://");
        String scheme = colon > 0 ? s.substring(0, colon) : "";
        if (!scheme.equals("postgresql") && !scheme.equals("postgres")) {
            throw new IllegalArgumentException("unsupported database URL " + quoteScheme(scheme)
                    + " (expected postgresql://user@host:port/db or sqlite:PATH)");
        }
        String rest = s.substring(colon + 3);
        if (rest.isEmpty() || rest.startsWith("/") || rest.startsWith("?") || rest.startsWith("@")) {
            throw new IllegalArgumentException("postgresql URL has no host (expected postgresql://user@host:port/db)");
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "malformed postgresql URL (percent-encode special characters" + " in the user name and password)");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("postgresql URL has no host (expected postgresql://user@host:port/db)");
        }
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String db = path.startsWith("/") ? path.substring(1) : path;
        if (db.isEmpty() || db.contains("/")) {
            throw new IllegalArgumentException(
                    "postgresql URL must name one database (postgresql://user@host:port/db)");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int c = info.indexOf(':');
            user = decode(c >= 0 ? info.substring(0, c) : info);
            password = c >= 0 ? decode(info.substring(c + 1)) : null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                String key = decode(eq >= 0 ? pair.substring(0, eq) : pair);
                String value = eq >= 0 ? decode(pair.substring(eq + 1)) : "";
                if (!SAFE_PARAM.matcher(key).matches()) {
                    throw new IllegalArgumentException("postgresql URL has an invalid parameter name");
                }
                if (key.equals("password")) {
                    password = value;
                } else if (key.equals("user")) {
                    user = value;
                } else {
                    params.put(key, value);
                }
            }
        }
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://")
                .append(hostPart)
                .append(':')
                .append(port)
                .append('/')
                .append(db);
        StringBuilder query = new StringBuilder();
        params.forEach((k, v) -> query.append(query.length() == 0 ? '?' : '&')
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        jdbc.append(query);
        String shownUser = user == null ? "" : user + (password != null ? ":***" : "") + "@";
        String redacted = "postgresql://" + shownUser + hostPart + ":" + port + "/" + db;
        return new DbUrl(Dialect.POSTGRESQL, null, jdbc.toString(), user, password, redacted);
    }

    private static String quoteScheme(String scheme) {
        if (scheme.isEmpty()) {
            return "(no scheme)";
        }
        String shown = scheme.length() > 20 ? scheme.substring(0, 20) + "…" : scheme;
        return "scheme '" + shown.replaceAll("[^A-Za-z0-9+.-]", "?") + "'";
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("postgresql URL has a malformed percent-escape");
        }
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The SQLite file, or null for PostgreSQL. */
    public Path sqlitePath() {
        return sqlitePath;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** The URL with any password replaced by {@code ***}: safe for logs and messages. */
    @Override
    public String toString() {
        return redacted;
    }
}
