package dev.warden.usage;

/**
 * What a format may need beyond the log file itself. {@code cluster} names the Kubernetes cluster an
 * audit log comes from: the scope its service accounts have in the inventory ({@code warden import
 * kubernetes --cluster}), which the log does not say. Formats ignore options they do not use.
 */
public record UsageOptions(String cluster) {
    public static final UsageOptions NONE = new UsageOptions(null);

    public UsageOptions {
        if (cluster != null
                && (cluster.isBlank() || cluster.length() > 128 || !cluster.matches("[A-Za-z0-9._:@/-]+"))) {
            throw new IllegalArgumentException("cluster must be 1-128 letters, digits or . _ : @ / -");
        }
    }
}
