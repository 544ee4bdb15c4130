package dev.warden.broker;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A SPIFFE ID ({@code spiffe://TRUST_DOMAIN/PATH}) checked as the SPIFFE ID specification says:
 * lower-case trust domain of letters, digits, '.', '-' and '_'; a non-empty path of segments made of
 * letters, digits, '.', '-' and '_', with no empty, '.' or '..' segment; no query, fragment or port.
 */
public record SpiffeId(String trustDomain, String path) {
    private static final Pattern TD = Pattern.compile("[a-z0-9._-]{1,255}");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

    public static boolean isTrustDomain(String s) {
        return s != null && TD.matcher(s).matches();
    }

    public static Optional<SpiffeId> parse(String s) {
        if (s == null || !s.startsWith("spiffe://") || s.length() > 2048) {
            return Optional.empty();
        }
        String rest = s.substring("spiffe://".length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        String td = rest.substring(0, slash);
        String path = rest.substring(slash);
        if (!isTrustDomain(td) || path.length() < 2) {
            return Optional.empty();
        }
        for (String seg : path.substring(1).split("/", -1)) {
            if (seg.isEmpty()
                    || seg.equals(".")
                    || seg.equals("..")
                    || !SEGMENT.matcher(seg).matches()) {
                return Optional.empty();
            }
        }
        return Optional.of(new SpiffeId(td, path));
    }

    @Override
    public String toString() {
        return "spiffe://" + trustDomain + path;
    }
}
