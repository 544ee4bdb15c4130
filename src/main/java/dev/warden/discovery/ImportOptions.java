package dev.warden.discovery;

/**
 * Options of one import. {@code environment} is applied to identities whose source does not say;
 * {@code cluster} names a Kubernetes cluster; {@code password} opens PKCS#12/JKS key stores (taken
 * from the environment variable {@code --password-env} names, never from the command line);
 * {@code strict} makes the first record a connector cannot understand refuse the file instead of
 * being skipped ({@link Skips}).
 */
public record ImportOptions(String environment, String cluster, char[] password, boolean strict) {
    public static final ImportOptions NONE = new ImportOptions(null, null, null);

    public ImportOptions(String environment, String cluster, char[] password) {
        this(environment, cluster, password, false);
    }

    public ImportOptions {
        if (environment != null
                && (environment.isBlank() || environment.length() > 64 || !environment.matches("[A-Za-z0-9._-]+"))) {
            throw new IllegalArgumentException("environment must be 1-64 letters, digits, '.', '_' or '-'");
        }
        if (cluster != null
                && (cluster.isBlank() || cluster.length() > 128 || !cluster.matches("[A-Za-z0-9._:@/-]+"))) {
            throw new IllegalArgumentException("cluster must be 1-128 letters, digits or . _ : @ / -");
        }
    }

    @Override
    public String toString() {
        return "ImportOptions[environment=" + environment + ", cluster=" + cluster + ", password="
                + (password == null ? "none" : "<redacted>") + ", strict=" + strict + "]";
    }
}
