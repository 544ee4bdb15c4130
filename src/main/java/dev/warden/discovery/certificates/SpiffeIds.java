package dev.warden.discovery.certificates;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a SPIFFE ID ({@code spiffe://trust-domain/path}) says about ownership. Paths are free-form,
 * so only the explicit {@code .../team/NAME/...} or {@code .../owner/NAME/...} segment pairs count;
 * conventions such as {@code /ns/NS/sa/SA} name a workload, not an owner.
 */
final class SpiffeIds {
    private static final Pattern ID = Pattern.compile("spiffe://[a-z0-9._-]+(/[A-Za-z0-9._~%!$&'()*+,;=:@-]+)*");

    private SpiffeIds() {}

    /** The owner a well-formed SPIFFE ID's path names, or null. */
    static String owner(String spiffeId) {
        if (spiffeId == null
                || spiffeId.length() > 2048
                || !ID.matcher(spiffeId).matches()) {
            return null;
        }
        String rest = spiffeId.substring("spiffe://".length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return null;
        }
        List<String> segments = List.of(rest.substring(slash + 1).split("/"));
        for (int i = 0; i + 1 < segments.size(); i++) {
            String s = segments.get(i).toLowerCase(Locale.ROOT);
            if (s.equals("team") || s.equals("owner")) {
                return segments.get(i + 1);
            }
        }
        return null;
    }
}
