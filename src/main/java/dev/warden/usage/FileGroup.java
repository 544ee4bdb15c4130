package dev.warden.usage;

import dev.warden.input.Input;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Consecutive files of one ingestion applied in one transaction, each inside its own savepoint: a
 * refused file is rolled back to its savepoint, so every file still applies whole or not at all,
 * while a commit (and SQLite's WAL checkpoint) is paid once per group instead of once per file.
 * Aggregates of the group's applied files are merged in memory and written at the end, so an
 * aggregate that recurs across files is written once. Memory stays bounded: a group ends after
 * {@link #MAX_FILES} files or {@link #MAX_EVENTS} events, and the aggregates of a file or of the
 * group are written early once they reach {@link #MAX_AGGREGATES}.
 */
final class FileGroup {
    static final int MAX_FILES = 256;
    static final long MAX_EVENTS = 1_000_000;
    static final int MAX_AGGREGATES = 50_000;
    static final int RAW_BATCH = 5_000;

    private final Handle h;
    private final UsageWrites store;
    private final long rawCutoff;
    private final String ingestId;
    private final Canon canon;
    final Map<DailyKey, Daily> daily = new HashMap<>();
    final Map<IdentityKey, long[]> byIdentity = new HashMap<>();
    final List<String> problems = new ArrayList<>();
    int files;
    int refused;
    long events;
    long skipped;
    long unmatched;
    private int savepoints;

    /**
     * Raw events at or after {@code rawCutoff} (epoch ms) are stored; older ones would be pruned at
     * once. {@code canon} gives the keys of new aggregates shared strings (this thread only).
     */
    FileGroup(Handle h, UsageWrites store, long rawCutoff, String ingestId, Canon canon) {
        this.h = h;
        this.canon = canon;
        this.store = store;
        this.rawCutoff = rawCutoff;
        this.ingestId = ingestId;
    }

    boolean full() {
        return files >= MAX_FILES || events >= MAX_EVENTS;
    }

    /**
     * Folds {@code file}'s events as {@code pipe} hands them over (read on the reader thread) and
     * writes its raw events; a refused file leaves nothing behind.
     */
    void add(EventPipe<Folded> pipe, Input file, int maxProblems) {
        String savepoint = "usage_file_" + ++savepoints;
        Map<DailyKey, Daily> fileDaily = new HashMap<>();
        Map<IdentityKey, long[]> fileIdentities = new HashMap<>();
        List<UsageEvent> raw = new ArrayList<>(RAW_BATCH);
        long[] count = {0};
        files++;
        h.savepoint(savepoint);
        EventPipe.Done done = pipe.next(file, f -> {
            UsageEvent e = f.event();
            Daily d = fileDaily.get(f.key());
            if (d == null) {
                if (fileDaily.size() >= MAX_AGGREGATES) {
                    countByIdentity(fileDaily, fileIdentities);
                    store.addDaily(h, fileDaily.values());
                    fileDaily.clear();
                }
                DailyKey kept = f.key().canonical(canon);
                d = new Daily(kept);
                fileDaily.put(kept, d);
            }
            d.add(e);
            count[0]++;
            if (e.at().toEpochMilli() >= rawCutoff) {
                raw.add(e);
                if (raw.size() == RAW_BATCH) {
                    store.addEvents(h, raw, ingestId);
                    raw.clear();
                }
            }
        });
        Skips skips = done.skips();
        if (done.failure() instanceof UsageException e) {
            h.rollbackToSavepoint(savepoint);
            refused++;
            problem(e.getMessage(), maxProblems);
            skipped += skips.count();
            skips.examples().forEach(x -> problem(x, maxProblems));
            return;
        }
        if (done.failure() instanceof RuntimeException e) {
            throw e;
        }
        if (done.failure() instanceof Error e) {
            throw e;
        }
        store.addEvents(h, raw, ingestId);
        h.releaseSavepoint(savepoint);
        countByIdentity(fileDaily, fileIdentities);
        events += count[0];
        skipped += skips.count();
        skips.examples().forEach(x -> problem(x, maxProblems));
        fileIdentities.forEach((k, n) -> byIdentity.computeIfAbsent(k, x -> new long[1])[0] += n[0]);
        if (daily.size() + fileDaily.size() > MAX_AGGREGATES) {
            store.addDaily(h, daily.values());
            daily.clear();
        }
        fileDaily.forEach((k, d) -> {
            Daily into = daily.get(k);
            if (into == null) {
                daily.put(k, d);
            } else {
                into.merge(d);
            }
        });
    }

    /** Writes the group's aggregates and counts the events that name no identity in the inventory. */
    void finish(UsageWrites.KnownIdentities known) {
        store.addDaily(h, daily.values());
        daily.clear();
        unmatched = store.countUnknown(h, byIdentity, known);
    }

    /** Counts events by identity once per aggregate rather than once per event. */
    private static void countByIdentity(Map<DailyKey, Daily> daily, Map<IdentityKey, long[]> byIdentity) {
        for (Daily d : daily.values()) {
            byIdentity.computeIfAbsent(d.key.identity(), k -> new long[1])[0] += d.events;
        }
    }

    /** An event with its aggregate key, made on the reader thread. */
    record Folded(UsageEvent event, DailyKey key) {
        Folded(UsageEvent event) {
            this(event, DailyKey.of(event));
        }
    }

    private void problem(String p, int max) {
        if (problems.size() < max) {
            problems.add(p);
        }
    }
}
