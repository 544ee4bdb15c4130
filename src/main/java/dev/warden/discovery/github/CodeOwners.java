package dev.warden.discovery.github;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A repository's CODEOWNERS file, as GitHub reads it: the first of {@code .github/CODEOWNERS},
 * {@code CODEOWNERS} and {@code docs/CODEOWNERS}; each line a gitignore-style pattern and owners;
 * the last matching line wins. Used to say who owns a workflow file.
 */
final class CodeOwners {
    private static final long MAX_BYTES = 3 * 1024 * 1024;
    private static final List<String> PLACES = List.of(".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS");

    private record Line(Pattern pattern, String owners, String where) {}

    private final List<Line> lines;

    private CodeOwners(List<Line> lines) {
        this.lines = lines;
    }

    static final CodeOwners NONE = new CodeOwners(List.of());

    /** The owners and the line that names them. */
    record Owners(String owners, String where) {}

    /** Reads the repository's CODEOWNERS; none (or one too large to read) gives no owners. */
    static CodeOwners of(Path root) {
        for (String place : PLACES) {
            Path f = root.resolve(place);
            try {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && Files.size(f) <= MAX_BYTES) {
                    return parse(Files.readAllLines(f, StandardCharsets.UTF_8), place);
                }
            } catch (IOException | RuntimeException e) {
                return NONE;
            }
        }
        return NONE;
    }

    static CodeOwners parse(List<String> text, String name) {
        List<Line> out = new ArrayList<>();
        int n = 0;
        for (String raw : text) {
            n++;
            String line = raw.strip();
            int hash = line.indexOf(" #");
            if (hash >= 0) {
                line = line.substring(0, hash).strip();
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            if (parts.length < 2 || parts[1].isBlank()) {
                continue; // a pattern without owners: nobody owns those paths
            }
            out.add(new Line(glob(parts[0]), parts[1].strip().replaceAll("\\s+", " "), name + ":" + n));
        }
        return new CodeOwners(out);
    }

    /** The owners of {@code path} (relative to the repository root, with {@code /}), or null. */
    Owners ownersOf(String path) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            Line l = lines.get(i);
            if (l.pattern().matcher(path).matches()) {
                return new Owners(l.owners(), l.where());
            }
        }
        return null;
    }

    /** A gitignore-style pattern as a regular expression over a path. */
    static Pattern glob(String pattern) {
        String p = pattern;
        boolean anchored =
                p.startsWith("/") || p.substring(0, Math.max(0, p.length() - 1)).contains("/");
        if (p.startsWith("/")) {
            p = p.substring(1);
        }
        boolean directory = p.endsWith("/");
        if (directory) {
            p = p.substring(0, p.length() - 1);
        }
        StringBuilder re = new StringBuilder(anchored ? "" : "(?:.*/)?");
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '*' && i + 1 < p.length() && p.charAt(i + 1) == '*') {
                boolean slash = i + 2 < p.length() && p.charAt(i + 2) == '/';
                re.append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        boolean lastSegmentStar = p.endsWith("*") && !p.endsWith("**") && anchored;
        re.append(directory ? "/.*" : lastSegmentStar ? "" : "(?:/.*)?");
        return Pattern.compile(re.toString());
    }
}
