package dev.warden.discovery.postgresql;

import dev.warden.input.Echo;
import dev.warden.input.InputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * A server to read, parsed from {@code postgresql://user[:password]@host[:port]/db[?sslmode=...]}
 * (libpq form; {@code postgres://} too). The password comes from the URL or {@code PGPASSWORD}; the
 * user from the URL or {@code PGUSER}. Only {@code sslmode} and {@code sslrootcert} are accepted as
 * parameters: others (pgjdbc's {@code socketFactory}, {@code loggerFile}, ...) would let a URL load
 * classes or write files. Messages name the input by its redacted form and never echo the password.
 */
final class PostgresUrl {
    private static final List<String> SSL_MODES =
            List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    final String name;
    final String host;
    final int port;
    final String database;
    final String user;
    private final String password;
    private final Map<String, String> ssl;

    private PostgresUrl(
            String name,
            String host,
            int port,
            String database,
            String user,
            String password,
            Map<String, String> ssl) {
        this.name = name;
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.ssl = ssl;
    }

    /**
     * Parses {@code url}; {@code name} is how messages refer to it (the redacted URL).
     *
     * @throws InputException naming {@code name}, never echoing the URL itself
     */
    static PostgresUrl parse(String name, String url, UnaryOperator<String> env) {
        int sep = url.indexOf("://");
        String scheme = sep > 0 ? url.substring(0, sep).toLowerCase(Locale.ROOT) : "";
        if (!scheme.equals("postgresql") && !scheme.equals("postgres")) {
            throw new InputException(name + ": expected a postgresql://user@host:port/db URL");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InputException(
                    name + ": malformed URL (percent-encode special characters in the user name and" + " password)");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw new InputException(name + ": the URL has no host (expected postgresql://user@host:port/db)");
        }
        host = host.toLowerCase(Locale.ROOT);
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int c = info.indexOf(':');
            user = decode(name, c >= 0 ? info.substring(0, c) : info);
            password = c >= 0 ? decode(name, info.substring(c + 1)) : null;
        }
        if (user == null || user.isEmpty()) {
            user = env.apply("PGUSER");
        }
        if (user == null || user.isEmpty()) {
            throw new InputException(name + ": no user name (give postgresql://USER@host:port/db or set PGUSER)");
        }
        if (password == null) {
            password = env.apply("PGPASSWORD");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = decode(name, path.startsWith("/") ? path.substring(1) : path);
        if (database.isEmpty()) {
            database = user; // libpq's default
        }
        if (database.contains("/") || database.length() > 63) {
            throw new InputException(name + ": the URL must name one database (postgresql://user@host:port/db)");
        }
        Map<String, String> ssl = new TreeMap<>();
        if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
            for (String pair : uri.getRawQuery().split("&", -1)) {
                int eq = pair.indexOf('=');
                String key = decode(name, eq >= 0 ? pair.substring(0, eq) : pair);
                String value = eq >= 0 ? decode(name, pair.substring(eq + 1)) : "";
                if (key.equals("sslmode")) {
                    if (!SSL_MODES.contains(value)) {
                        throw new InputException(name + ": sslmode must be one of " + String.join(", ", SSL_MODES));
                    }
                    ssl.put(key, value);
                } else if (key.equals("sslrootcert")) {
                    ssl.put(key, value);
                } else {
                    throw new InputException(name + ": unsupported URL parameter '" + Echo.shown(key)
                            + "' (supported: sslmode, sslrootcert)");
                }
            }
        }
        return new PostgresUrl(name, host, port, database, user, password, Map.copyOf(ssl));
    }

    /**
     * How messages name {@code url}: {@code name} (the input's own redaction) unless that could still
     * hold part of a password, as when the password has an unencoded {@code @} or {@code /}; then
     * everything from the first {@code :} after the scheme to the last {@code @} is replaced.
     */
    static String safeName(String name, String url) {
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return name;
        }
        int colon = url.indexOf(':', scheme + 3);
        if (colon < 0 || colon > at) {
            return name;
        }
        String redacted = url.substring(0, colon) + ":***" + url.substring(at);
        return redacted.equals(name) ? name : redacted;
    }

    private static String decode(String name, String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InputException(name + ": the URL has a malformed percent-escape");
        }
    }

    /** {@code host:port}: the source scope of every role on this server. */
    String server() {
        return host + ":" + port;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    /** Connection properties: credentials, timeouts, read-only, TLS mode; nothing else from the URL. */
    Properties properties(int connectSeconds, int loginSeconds, int socketSeconds) {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", Integer.toString(connectSeconds));
        p.setProperty("loginTimeout", Integer.toString(loginSeconds));
        p.setProperty("socketTimeout", Integer.toString(socketSeconds));
        p.setProperty("readOnly", "true");
        p.setProperty("readOnlyMode", "always");
        p.setProperty("ApplicationName", "warden-discovery");
        p.setProperty("tcpKeepAlive", "true");
        ssl.forEach(p::setProperty);
        return p;
    }

    /** {@code text} with the password (as given and percent-encoded) replaced by {@code ***}. */
    String scrub(String text) {
        if (text == null) {
            return "";
        }
        if (password == null || password.isEmpty()) {
            return text;
        }
        return text.replace(password, "***").replace(URLEncoder.encode(password, StandardCharsets.UTF_8), "***");
    }

    /** True when {@code text} contains the password. */
    boolean leaks(String text) {
        return password != null && !password.isEmpty() && text != null && text.contains(password);
    }

    @Override
    public String toString() {
        return name;
    }
}
