package dev.warden.broker.issue.postgresql;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The statement templates of a PostgreSQL role: {@code {{name}}} (the role, as a quoted
 * identifier), {@code {{username}}} (the role name as a string literal, for catalog queries),
 * {@code {{password}}} and {@code {{expiration}}} (string literals). Values are quoted the way
 * PostgreSQL's {@code quote_ident} and {@code quote_literal} do, and substituted in one pass, so a
 * value is never read as SQL or as another placeholder.
 */
final class SqlTemplates {
    static final Set<String> PLACEHOLDERS = Set.of("name", "username", "password", "expiration");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_]+)\\s*}}");
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

    private SqlTemplates() {}

    /** The placeholders {@code template} uses that are not known; empty when it is fine. */
    static Set<String> unknownPlaceholders(String template) {
        Set<String> out = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group(1))) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** A quoted identifier, as {@code quote_ident} always-quoting would write it. */
    static String ident(String s) {
        requireClean(s);
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** A string literal, as {@code quote_literal} writes it (E'' when it holds a backslash). */
    static String literal(String s) {
        requireClean(s);
        String body = s.replace("'", "''");
        if (s.indexOf('\\') >= 0) {
            return "E'" + body.replace("\\", "\\\\") + "'";
        }
        return "'" + body + "'";
    }

    static String timestamp(Instant t) {
        return TIMESTAMP.format(t);
    }

    /** The values for role {@code name}; {@code password} and {@code expiration} may be null. */
    static Map<String, String> values(String name, String password, Instant expiration) {
        Map<String, String> v = new HashMap<>();
        v.put("name", ident(name));
        v.put("username", literal(name));
        if (password != null) {
            v.put("password", literal(password));
        }
        if (expiration != null) {
            v.put("expiration", literal(timestamp(expiration)));
        }
        return v;
    }

    /** Substitutes {@code values} (already quoted) into {@code template} in one pass. */
    static String render(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 64);
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException("placeholder {{" + m.group(1) + "}} has no value here");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static void requireClean(String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("value contains a NUL character");
        }
    }
}
