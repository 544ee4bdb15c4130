package dev.warden.scan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of what a scan read, skipped and allowed, safe to update from several threads. Skips are
 * counted by reason ({@code binary}, {@code too-large}, {@code ignored}, {@code symlink}, {@code archive-limit},
 * {@code archive-depth}, {@code archive-corrupt},
 * {@code special}, {@code unreadable}); the first problems are kept with their paths.
 */
public final class ScanStats {
    /** Problems kept by path; more are only counted. */
    static final int MAX_PROBLEMS = 100;

    private final LongAdder files = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final Map<String, AtomicLong> skipped = Collections.synchronizedMap(new TreeMap<>());
    private final LongAdder allowedInline = new LongAdder();
    private final LongAdder allowedByList = new LongAdder();
    private final LongAdder allowedByBaseline = new LongAdder();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    void scanned(long size) {
        files.increment();
        bytes.add(size);
    }

    void commit() {
        commits.increment();
    }

    void skip(String reason, String path, String detail) {
        skipped.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        if (detail != null && problems.size() < MAX_PROBLEMS) {
            problems.add(path + ": " + detail);
        }
    }

    void allowed(Engine.Result r) {
        allowedInline.add(r.allowedInline());
        allowedByList.add(r.allowedByList());
    }

    public void allowedByBaseline(int n) {
        allowedByBaseline.add(n);
    }

    /** An immutable copy for reports. */
    public Summary summary() {
        Map<String, Long> s = new TreeMap<>();
        synchronized (skipped) {
            skipped.forEach((k, v) -> s.put(k, v.get()));
        }
        List<String> p;
        synchronized (problems) {
            p = List.copyOf(problems);
        }
        return new Summary(
                files.sum(),
                bytes.sum(),
                commits.sum(),
                s,
                new Allowed(allowedInline.sum(), allowedByList.sum(), allowedByBaseline.sum()),
                p);
    }

    /** What was scanned: files (or changed files in history), bytes, commits; skips by reason. */
    public record Summary(
            long files, long bytes, long commits, Map<String, Long> skipped, Allowed allowed, List<String> problems) {
        public Summary {
            skipped = Collections.unmodifiableMap(new TreeMap<>(skipped));
            problems = List.copyOf(problems);
        }
    }

    /** Candidates not reported: by an allow comment, an allowlist, the baseline. */
    public record Allowed(long inline, long allowlist, long baseline) {}
}
