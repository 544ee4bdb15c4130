package dev.warden.discovery.aws;

import dev.warden.input.Echo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the AWS files of one import say, gathered before records are built (a user's policies may
 * be listed after the user). Mutable, confined to one {@link AwsConnector#discover} call.
 */
final class AwsEstate {
    /** An inline or managed policy attached somewhere, with where it came from. */
    record Attached(String via, PolicyDocument document) {}

    static final class User {
        String account;
        String arn;
        String name;
        String path = "/";
        Instant created;
        Map<String, String> tags = new LinkedHashMap<>();
        final List<Attached> inline = new ArrayList<>();
        final List<String> managed = new ArrayList<>();
        final List<String> groups = new ArrayList<>();
        String permissionsBoundary;
        boolean fromAuthorizationDetails;
    }

    static final class Group {
        String name;
        final List<Attached> inline = new ArrayList<>();
        final List<String> managed = new ArrayList<>();
    }

    static final class Role {
        String account;
        String arn;
        String name;
        String path = "/";
        String description;
        Instant created;
        Map<String, String> tags = new LinkedHashMap<>();
        final List<Attached> inline = new ArrayList<>();
        final List<String> managed = new ArrayList<>();
        PolicyDocument trust;
        Instant lastUsed;
        String lastUsedRegion;
        String permissionsBoundary;
        final List<String> instanceProfiles = new ArrayList<>();
        Integer maxSessionDuration;
    }

    /** One row of the credential report; null fields were N/A, no_information or not_supported. */
    static final class ReportRow {
        String account;
        String arn;
        String user;
        boolean root;
        Instant created;
        Boolean passwordEnabled;
        Instant passwordLastUsed;
        Instant passwordLastChanged;
        Instant passwordNextRotation;
        Boolean mfaActive;
        final KeySlot[] keys = {new KeySlot(), new KeySlot()};
        final CertSlot[] certs = {new CertSlot(), new CertSlot()};
    }

    static final class KeySlot {
        boolean active;
        Instant lastRotated;
        Instant lastUsed;
        String lastUsedRegion;
        String lastUsedService;

        boolean exists() {
            return active || lastRotated != null;
        }
    }

    static final class CertSlot {
        boolean active;
        Instant lastRotated;
    }

    /** An entry of {@code aws iam list-access-keys}. */
    record AccessKey(String userName, String accessKeyId, boolean active, Instant created) {}

    final Map<String, User> users = new LinkedHashMap<>();
    final Map<String, Group> groups = new LinkedHashMap<>();
    final Map<String, Role> roles = new LinkedHashMap<>();
    final Map<String, Attached> managedPolicies = new LinkedHashMap<>();
    final Map<String, ReportRow> report = new LinkedHashMap<>();
    final List<AccessKey> accessKeys = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    /** Accounts whose authorization details were complete (not truncated). */
    final List<String> detailedAccounts = new ArrayList<>();

    /** Accounts seen in a page with {@code IsTruncated: true} or a {@code NextToken}. */
    final java.util.Set<String> pagedAccounts = new java.util.LinkedHashSet<>();
    /** Accounts seen in a page with a {@code NextToken} (a {@code --max-items} export never complete). */
    final java.util.Set<String> truncatedAccounts = new java.util.LinkedHashSet<>();

    final List<String> reportedAccounts = new ArrayList<>();

    static String groupKey(String account, String name) {
        return account + "/" + name;
    }

    /** The 12-digit account of an IAM ARN. */
    static String accountOf(String arn, String where) {
        String[] parts = arn == null ? new String[0] : arn.split(":", 6);
        if (parts.length < 6 || !parts[0].equals("arn") || !parts[4].matches("\\d{12}")) {
            throw new IllegalArgumentException(where + ": '" + Echo.shown(arn) + "' is not an IAM ARN");
        }
        return parts[4];
    }
}
