package dev.warden.usage;

import java.util.HashMap;
import java.util.Map;

/**
 * One instance of each string that aggregate keys repeat (principals, user agents, addresses:
 * a few thousand distinct values over millions of events), so the aggregates held while files
 * are folded share their strings instead of each keeping the copies its first event parsed:
 * less to copy at every young collection. Applied once per new aggregate, not per event. Used
 * by one thread; forgets everything past {@link #MAX} strings, so memory stays bounded whatever
 * the logs hold.
 */
final class Canon {
    static final int MAX = 65_536;
    private final Map<String, String> strings = new HashMap<>();

    String of(String s) {
        String c = strings.putIfAbsent(s, s);
        if (c != null) {
            return c;
        }
        if (strings.size() > MAX) {
            strings.clear();
        }
        return s;
    }
}
