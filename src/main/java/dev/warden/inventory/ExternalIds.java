package dev.warden.inventory;

import dev.warden.input.Echo;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** The canonical external ids that let a source's record, a log line and a leaked secret meet. */
public final class ExternalIds {
    private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\\d{12})?:.+");
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("(AKIA|ASIA|AIDA|AROA|ANPA)[A-Z0-9]{12,128}");
    private static final Pattern K8S_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    private ExternalIds() {}

    /** AWS principals (users, roles) are known by their ARN. */
    public static String awsPrincipal(String arn) {
        if (arn == null || !ARN.matcher(arn).matches()) {
            throw new IllegalArgumentException("'" + Echo.shown(arn) + "' is not an AWS ARN");
        }
        return arn;
    }

    /** AWS access keys are known by their AccessKeyId. */
    public static String awsAccessKey(String accessKeyId) {
        if (accessKeyId == null || !ACCESS_KEY_ID.matcher(accessKeyId).matches()) {
            throw new IllegalArgumentException("'" + Echo.shown(accessKeyId) + "' is not an AWS access key id");
        }
        return accessKeyId;
    }

    /** A Kubernetes service account: {@code system:serviceaccount:NAMESPACE:NAME}. */
    public static String kubernetesServiceAccount(String namespace, String name) {
        for (String part : new String[] {namespace, name}) {
            if (part == null || !K8S_NAME.matcher(part).matches()) {
                throw new IllegalArgumentException("'" + Echo.shown(part) + "' is not a valid Kubernetes name");
            }
        }
        return "system:serviceaccount:" + namespace + ":" + name;
    }

    /** A certificate: the lower-case hex SHA-256 of its DER encoding. */
    public static String certificate(byte[] der) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** A PostgreSQL role: {@code postgresql://HOST:PORT/ROLE}, host lower-cased. */
    public static String postgresRole(String host, int port, String role) {
        if (host == null || host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("a PostgreSQL role needs a host and a port in 1..65535");
        }
        InventoryText.required("role", role);
        return "postgresql://" + host.toLowerCase(Locale.ROOT) + ":" + port + "/" + role;
    }
}
