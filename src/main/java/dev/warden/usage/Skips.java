package dev.warden.usage;

import java.util.ArrayList;
import java.util.List;

/**
 * Records a parser could not use: how many, and the first few with where and why
 * ({@code file:line} or {@code file Records[17]}).
 */
public final class Skips {
    /** How many skipped records are described; the rest are only counted. */
    public static final int DESCRIBED = 100;

    private long count;
    private final List<String> examples = new ArrayList<>();

    public void skip(String where, String reason) {
        count++;
        if (examples.size() < DESCRIBED) {
            examples.add(where + ": " + reason);
        }
    }

    public long count() {
        return count;
    }

    public List<String> examples() {
        return List.copyOf(examples);
    }
}
