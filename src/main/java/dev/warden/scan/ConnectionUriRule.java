package dev.warden.scan;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.warden.inventory.ExternalIds;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Passwords inside connection URIs: {@code scheme://user:password@host[:port][/path]} (PostgreSQL,
 * MySQL, MongoDB, Redis, AMQP, SMTP, LDAP, HTTP basic auth, ...) and JDBC URLs with a
 * {@code password=} parameter. The secret is the password; placeholders ({@code ${DB_PASS}},
 * {@code <password>}, {@code ****}) and documentation hosts ({@code example.com}) are skipped. A
 * PostgreSQL URI links to the role {@code postgresql://HOST:PORT/USER}.
 */
final class ConnectionUriRule implements Rule {
    private static final Pattern URI = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]{1,30})://"
            + "([^:@/\\s'\"`<>(){}\\[\\]\\\\]{1,128}):([^@/\\s'\"`<>\\\\]{1,256})@"
            + "([A-Za-z0-9._-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\])(?::([0-9]{1,5}))?");
    private static final Pattern JDBC =
            Pattern.compile("(?i)\\bjdbc:([a-z0-9]+)://([A-Za-z0-9._-]{1,253})(?::([0-9]{1,5}))?"
                    + "(?:/[^\\s?'\"`<>]*)?\\?([^\\s'\"`<>]*?)\\bpassword=([^&\\s'\"`<>;]{1,256})");
    private static final Pattern USER_PARAM = Pattern.compile("(?i)(?:^|[?&;])user=([^&\\s;]{1,128})");

    @Override
    public String id() {
        return "connection-uri-password";
    }

    @Override
    public String description() {
        return "Password in a connection URI";
    }

    @Override
    public Severity severity() {
        return Severity.HIGH;
    }

    @Override
    public Set<String> keywords() {
        return Set.of("://");
    }

    @Override
    public int priority() {
        return 80;
    }

    @Override
    public void find(Fragment fragment, Consumer<Candidate> out) {
        String text = fragment.text();
        Matcher m = URI.matcher(text);
        while (m.find()) {
            String password = m.group(3);
            String host = m.group(4).toLowerCase(Locale.ROOT);
            if (!usable(password) || documentationHost(host) || Values.isPlaceholder(m.group(2))) {
                continue;
            }
            out.accept(new Candidate(m.start(), m.end(), m.start(3), m.end(3), confidence(password)));
        }
        Matcher j = JDBC.matcher(text);
        while (j.find()) {
            String password = j.group(5);
            if (!usable(password) || documentationHost(j.group(2).toLowerCase(Locale.ROOT))) {
                continue;
            }
            out.accept(new Candidate(j.start(), j.end(), j.start(5), j.end(5), confidence(password)));
        }
    }

    private static Confidence confidence(String password) {
        return Secrets.classes(password) >= 3 || Secrets.entropy(password) >= 3.5 ? Confidence.HIGH : Confidence.MEDIUM;
    }

    private static boolean usable(String password) {
        String p = decode(password);
        return p.length() >= 3
                && !Values.isPlaceholder(p)
                && !Secrets.isNonValue(p)
                && !Secrets.isExample(p)
                && !p.startsWith("$")
                && !p.startsWith("%");
    }

    private static boolean documentationHost(String host) {
        return host.equals("example.com")
                || host.endsWith(".example.com")
                || host.equals("example.org")
                || host.endsWith(".example.org")
                || host.equals("example.net")
                || host.endsWith(".example")
                || host.equals("host")
                || host.equals("hostname");
    }

    /** Links a PostgreSQL URI's password to the role the URI names. */
    @Override
    public Optional<LinkKey> linkKey(String secret, String match) {
        Matcher m = URI.matcher(match);
        try {
            if (m.find()) {
                String scheme = m.group(1).toLowerCase(Locale.ROOT);
                if (scheme.equals("postgres") || scheme.equals("postgresql")) {
                    int port = m.group(5) == null ? 5432 : Integer.parseInt(m.group(5));
                    return Optional.of(new LinkKey(
                            LinkKey.Type.POSTGRESQL_ROLE,
                            ExternalIds.postgresRole(m.group(4), port, decode(m.group(2)))));
                }
                return Optional.empty();
            }
            Matcher j = JDBC.matcher(match);
            if (j.find() && j.group(1).equalsIgnoreCase("postgresql")) {
                Matcher u = USER_PARAM.matcher(j.group(4) + "&");
                if (u.find()) {
                    int port = j.group(3) == null ? 5432 : Integer.parseInt(j.group(3));
                    return Optional.of(new LinkKey(
                            LinkKey.Type.POSTGRESQL_ROLE,
                            ExternalIds.postgresRole(j.group(2), port, decode(u.group(1)))));
                }
            }
        } catch (IllegalArgumentException e) {
            // a port out of range or an odd role name: no link
        }
        return Optional.empty();
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
