package dev.warden.discovery.kubernetes;

import java.util.ArrayList;
import java.util.List;

/** Notes for the user, capped so that a million skipped objects do not make a million lines. */
final class Notes {
    static final int MAX = 200;
    private final List<String> notes = new ArrayList<>();
    private long dropped;

    void add(String note) {
        if (notes.size() < MAX) {
            notes.add(note);
        } else {
            dropped++;
        }
    }

    List<String> list() {
        List<String> out = new ArrayList<>(notes);
        if (dropped > 0) {
            out.add("... and " + dropped + " more notes");
        }
        return out;
    }
}
