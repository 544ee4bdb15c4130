package dev.warden.usage;

/** One daily aggregate's counts; mutable while a file is folded. */
final class Daily {
    final DailyKey key;
    long events;
    long errors;
    long firstAt = Long.MAX_VALUE;
    long lastAt = Long.MIN_VALUE;

    Daily(DailyKey key) {
        this.key = key;
    }

    void merge(Daily o) {
        events += o.events;
        errors += o.errors;
        firstAt = Math.min(firstAt, o.firstAt);
        lastAt = Math.max(lastAt, o.lastAt);
    }

    void add(UsageEvent e) {
        events++;
        if (e.errorCode() != null) {
            errors++;
        }
        long at = e.at().toEpochMilli();
        firstAt = Math.min(firstAt, at);
        lastAt = Math.max(lastAt, at);
    }
}
