package dev.warden.broker.lease;

/**
 * Which leases to list; null fields do not filter. {@code workload} ending in {@code *} matches a
 * prefix.
 */
public record LeaseFilter(String workload, String kind, LeaseState state) {
    static final LeaseFilter ALL = new LeaseFilter(null, null, null);

    public LeaseFilter {
        if (workload != null && (workload.isEmpty() || workload.length() > 1024)) {
            throw new IllegalArgumentException("workload must be 1-1024 characters");
        }
        if (kind != null && (kind.isEmpty() || kind.length() > 40)) {
            throw new IllegalArgumentException("kind must be 1-40 characters");
        }
    }
}
