package dev.warden.discovery.aws;

import dev.warden.discovery.Coverage;
import dev.warden.discovery.ImportOptions;
import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.CredentialStatus;
import dev.warden.inventory.Effect;
import dev.warden.inventory.Entitlement;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.IdentityRecord.Part;
import dev.warden.inventory.Nature;
import dev.warden.inventory.Source;
import dev.warden.inventory.Trust;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Builds identity records from an {@link AwsEstate}: users and roles with effective entitlements. */
final class AwsRecords {
    private static final Map<String, String> BUSINESS_OWNER_TAGS =
            keys("owner", "business-owner", "businessowner", "team", "owner-team");
    private static final Map<String, String> TECHNICAL_OWNER_TAGS =
            keys("technical-owner", "technicalowner", "tech-owner", "maintainer", "contact", "oncall", "owner-email");
    private static final Map<String, String> ENVIRONMENT_TAGS = keys("environment", "env", "stage");
    private static final Map<String, String> WORKLOAD_TAGS = keys("application", "app", "service", "workload");
    private static final Map<String, String> PURPOSE_TAGS = keys("purpose", "description");
    private static final Map<String, String> VENDOR_TAGS = keys("vendor", "third-party", "thirdparty");

    private final AwsEstate estate;
    private final ImportOptions options;
    private final Instant now;

    AwsRecords(AwsEstate estate, ImportOptions options, Instant now) {
        this.estate = estate;
        this.options = options;
        this.now = now;
    }

    List<IdentityRecord> records() {
        List<IdentityRecord> out = new ArrayList<>();
        Set<String> userArns = new LinkedHashSet<>(estate.users.keySet());
        userArns.addAll(estate.report.keySet());
        Map<String, List<AwsEstate.AccessKey>> keysByUser = new LinkedHashMap<>();
        for (AwsEstate.AccessKey k : estate.accessKeys) {
            keysByUser.computeIfAbsent(k.userName(), n -> new ArrayList<>()).add(k);
        }
        Set<String> keyUsersMatched = new LinkedHashSet<>();
        for (String arn : userArns) {
            AwsEstate.User u = estate.users.get(arn);
            AwsEstate.ReportRow row = estate.report.get(arn);
            String name = u != null ? u.name : row.root ? "root" : row.user;
            List<AwsEstate.AccessKey> listed =
                    row != null && row.root ? List.of() : keysByUser.getOrDefault(name, List.of());
            if (!listed.isEmpty()) {
                keyUsersMatched.add(name);
            }
            out.add(user(arn, u, row, listed));
        }
        for (String user : keysByUser.keySet()) {
            if (!keyUsersMatched.contains(user)) {
                estate.notes.add(
                        "access keys of user '" + user + "' skipped: list-access-keys does not name the account;"
                                + " import it together with get-account-authorization-details or the credential report");
            }
        }
        for (AwsEstate.Role r : estate.roles.values()) {
            out.add(role(r));
        }
        return out;
    }

    List<Coverage> coverage() {
        List<Coverage> out = new ArrayList<>();
        for (String account : new LinkedHashSet<>(estate.detailedAccounts)) {
            out.add(new Coverage("aws", account, IdentityKind.CLOUD_USER, "arn:aws:iam::" + account + ":user/"));
            out.add(new Coverage("aws", account, IdentityKind.CLOUD_ROLE, "arn:aws:iam::" + account + ":role/"));
        }
        for (String account : new LinkedHashSet<>(estate.reportedAccounts)) {
            if (!estate.detailedAccounts.contains(account)) {
                out.add(new Coverage("aws", account, IdentityKind.CLOUD_USER, "arn:aws:iam::" + account + ":user/"));
            }
        }
        return out;
    }

    private IdentityRecord user(
            String arn, AwsEstate.User u, AwsEstate.ReportRow row, List<AwsEstate.AccessKey> listed) {
        String account = u != null ? u.account : row.account;
        Map<String, String> tags = u != null ? u.tags : Map.of();
        List<Credential> credentials = credentials(arn, row, listed);
        boolean hasKeys = credentials.stream().anyMatch(c -> c.kind() == CredentialKind.ACCESS_KEY);
        UserClassifier.Verdict verdict = row != null && row.root
                ? new UserClassifier.Verdict(
                        Nature.HUMAN, "AWS account root user: for people only, never for automation")
                : UserClassifier.classify(u != null ? u.name : row.user, u != null ? u.path : "/", tags, row, hasKeys);
        Map<String, String> attributes = new LinkedHashMap<>();
        if (u != null) {
            attributes.put("path", u.path);
            if (!u.groups.isEmpty()) {
                attributes.put("groups", String.join(",", u.groups));
            }
            if (u.permissionsBoundary != null) {
                attributes.put("permissionsBoundary", u.permissionsBoundary);
            }
        }
        if (row != null) {
            if (row.root) {
                attributes.put("root", "true");
            }
            if (row.mfaActive != null) {
                attributes.put("mfaActive", row.mfaActive.toString());
            }
            if (row.passwordEnabled != null) {
                attributes.put("consolePassword", row.passwordEnabled.toString());
            }
        }
        Instant created = u != null ? u.created : row.created;
        Identity identity = identity(
                IdentityKind.CLOUD_USER,
                u != null ? u.name : row.root ? "root" : row.user,
                arn,
                account,
                tags,
                created,
                verdict,
                attributes,
                null);
        List<Entitlement> entitlements = new ArrayList<>();
        if (u != null) {
            List<AwsEstate.Attached> policies = new ArrayList<>(u.inline);
            u.managed.forEach(m -> policies.add(managed(m)));
            for (String g : u.groups) {
                AwsEstate.Group group = estate.groups.get(AwsEstate.groupKey(account, g));
                if (group == null) {
                    estate.notes.add("user " + u.name + " is in group " + g + ", which the files do not describe");
                    continue;
                }
                policies.addAll(group.inline);
                group.managed.forEach(m -> policies.add(new AwsEstate.Attached(
                        "group:" + g + "/" + managed(m).via(), managed(m).document())));
            }
            entitlements = entitlements(policies);
        }
        Set<Part> complete = EnumSet.noneOf(Part.class);
        if (u != null) {
            complete.addAll(EnumSet.of(Part.IDENTITY, Part.ENTITLEMENTS, Part.TRUSTS));
        }
        if (row != null) {
            complete.add(Part.CREDENTIALS);
        }
        return new IdentityRecord(identity, credentials, entitlements, List.of(), complete);
    }

    private IdentityRecord role(AwsEstate.Role r) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("path", r.path);
        if (r.lastUsed != null) {
            attributes.put("lastUsedAt", r.lastUsed.toString());
        }
        if (r.lastUsedRegion != null) {
            attributes.put("lastUsedRegion", r.lastUsedRegion);
        }
        if (r.path.startsWith("/aws-service-role/")) {
            attributes.put("serviceLinked", "true");
        }
        if (r.permissionsBoundary != null) {
            attributes.put("permissionsBoundary", r.permissionsBoundary);
        }
        if (!r.instanceProfiles.isEmpty()) {
            attributes.put("instanceProfiles", String.join(",", r.instanceProfiles));
        }
        if (r.maxSessionDuration != null) {
            attributes.put("maxSessionDurationSeconds", r.maxSessionDuration.toString());
        }
        List<Trust> trusts = new ArrayList<>();
        boolean assumedByPeople =
                r.path.startsWith("/aws-reserved/sso.amazonaws.com/") || r.name.startsWith("AWSReservedSSO_");
        for (PolicyDocument.Statement s : r.trust.statements()) {
            for (Map.Entry<String, String> p : s.principals()) {
                for (String action : s.actions().isEmpty() ? List.of("sts:AssumeRole") : s.actions()) {
                    trusts.add(new Trust(s.effect(), p.getKey(), p.getValue(), action, s.condition()));
                    if (action.equals("sts:AssumeRoleWithSAML")) {
                        assumedByPeople = true;
                    }
                }
            }
        }
        UserClassifier.Verdict verdict = assumedByPeople
                ? new UserClassifier.Verdict(Nature.HUMAN, "role assumed by people through SSO/SAML federation")
                : r.path.startsWith("/aws-service-role/")
                        ? new UserClassifier.Verdict(Nature.MACHINE, "service-linked role, owned and assumed by AWS")
                        : new UserClassifier.Verdict(Nature.MACHINE, "IAM role");
        List<AwsEstate.Attached> policies = new ArrayList<>(r.inline);
        r.managed.forEach(m -> policies.add(managed(m)));
        Identity identity = identity(
                IdentityKind.CLOUD_ROLE,
                r.name,
                r.arn,
                r.account,
                r.tags,
                r.created,
                verdict,
                attributes,
                r.description);
        return IdentityRecord.whole(identity, List.of(), entitlements(policies), trusts);
    }

    private AwsEstate.Attached managed(String arn) {
        AwsEstate.Attached p = estate.managedPolicies.get(arn);
        if (p != null) {
            return p;
        }
        // AWS managed policies are not always in the file; keep the attachment visible by name.
        return new AwsEstate.Attached("managed:" + arn, null);
    }

    private static List<Entitlement> entitlements(List<AwsEstate.Attached> policies) {
        Set<Entitlement> out = new LinkedHashSet<>();
        for (AwsEstate.Attached p : policies) {
            if (p.document() == null) {
                out.add(new Entitlement(
                        Effect.ALLOW,
                        "policy:" + p.via().substring("managed:".length()),
                        "(policy document not in the import)",
                        p.via(),
                        null));
                continue;
            }
            for (PolicyDocument.Statement s : p.document().statements()) {
                List<String> actions = s.actions().isEmpty() ? List.of("*") : s.actions();
                List<String> resources = s.resources().isEmpty() ? List.of("*") : s.resources();
                for (String a : actions) {
                    for (String r : resources) {
                        out.add(new Entitlement(
                                s.effect(),
                                s.notAction() ? "NotAction:" + a : a,
                                s.notResource() ? "NotResource:" + r : r,
                                p.via(),
                                s.condition()));
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /** A user's credentials: console password, access keys and signing certificates. */
    private List<Credential> credentials(String arn, AwsEstate.ReportRow row, List<AwsEstate.AccessKey> listed) {
        List<Credential> out = new ArrayList<>();
        List<AwsEstate.AccessKey> unmatched = new ArrayList<>(listed);
        if (row != null) {
            if (Boolean.TRUE.equals(row.passwordEnabled)) {
                out.add(new Credential(
                        null,
                        null,
                        CredentialKind.PASSWORD,
                        arn + "#console-password",
                        null,
                        row.passwordLastChanged,
                        row.passwordLastChanged,
                        row.passwordNextRotation,
                        row.passwordLastUsed,
                        CredentialStatus.ACTIVE,
                        Map.of("use", "AWS console sign-in")));
            }
            for (int i = 0; i < 2; i++) {
                AwsEstate.KeySlot s = row.keys[i];
                if (!s.exists()) {
                    continue;
                }
                AwsEstate.AccessKey match = null;
                for (AwsEstate.AccessKey k : unmatched) {
                    if (k.created() != null
                            && s.lastRotated != null
                            && Math.abs(k.created().getEpochSecond() - s.lastRotated.getEpochSecond()) <= 1) {
                        match = k;
                        break;
                    }
                }
                unmatched.remove(match);
                Map<String, String> attributes = new LinkedHashMap<>();
                attributes.put("slot", "access_key_" + (i + 1));
                if (s.lastUsedRegion != null) {
                    attributes.put("lastUsedRegion", s.lastUsedRegion);
                }
                if (s.lastUsedService != null) {
                    attributes.put("lastUsedService", s.lastUsedService);
                }
                out.add(new Credential(
                        null,
                        null,
                        CredentialKind.ACCESS_KEY,
                        match != null ? match.accessKeyId() : null,
                        match != null ? null : "aws-credential-report:" + arn + ":access_key_" + (i + 1),
                        s.lastRotated,
                        s.lastRotated,
                        null,
                        s.lastUsed,
                        s.active ? CredentialStatus.ACTIVE : CredentialStatus.INACTIVE,
                        attributes));
            }
            for (int i = 0; i < 2; i++) {
                AwsEstate.CertSlot c = row.certs[i];
                if (c.active || c.lastRotated != null) {
                    out.add(new Credential(
                            null,
                            null,
                            CredentialKind.CERTIFICATE,
                            null,
                            "aws-credential-report:" + arn + ":cert_" + (i + 1),
                            c.lastRotated,
                            c.lastRotated,
                            null,
                            null,
                            c.active ? CredentialStatus.ACTIVE : CredentialStatus.INACTIVE,
                            Map.of("use", "X.509 signing certificate")));
                }
            }
        }
        for (AwsEstate.AccessKey k : unmatched) {
            out.add(new Credential(
                    null,
                    null,
                    CredentialKind.ACCESS_KEY,
                    k.accessKeyId(),
                    null,
                    k.created(),
                    k.created(),
                    null,
                    null,
                    k.active() ? CredentialStatus.ACTIVE : CredentialStatus.INACTIVE,
                    Map.of()));
        }
        return out;
    }

    private Identity identity(
            IdentityKind kind,
            String name,
            String arn,
            String account,
            Map<String, String> tags,
            Instant created,
            UserClassifier.Verdict verdict,
            Map<String, String> attributes,
            String description) {
        Tagged business = tag(tags, BUSINESS_OWNER_TAGS);
        Tagged technical = tag(tags, TECHNICAL_OWNER_TAGS);
        Tagged env = tag(tags, ENVIRONMENT_TAGS);
        Tagged workload = tag(tags, WORKLOAD_TAGS);
        Tagged purpose = tag(tags, PURPOSE_TAGS);
        Tagged vendor = tag(tags, VENDOR_TAGS);
        List<String> provenance = new ArrayList<>();
        if (business != null) {
            provenance.add("businessOwner from aws-tag:" + business.key());
        }
        if (technical != null) {
            provenance.add("technicalOwner from aws-tag:" + technical.key());
        }
        Instant seen = now;
        Instant first = created != null && created.isBefore(seen) ? created : seen;
        return Identity.builder(kind, name, arn, Source.of("aws", account))
                .environment(env != null ? env.value() : options.environment())
                .owners(
                        business == null ? null : business.value(),
                        technical == null ? null : technical.value(),
                        provenance.isEmpty() ? null : String.join("; ", provenance))
                .workload(workload == null ? null : workload.value())
                .purpose(purpose != null ? purpose.value() : description)
                .thirdPartyVendor(vendor == null ? null : vendor.value())
                .tags(tags)
                .createdAt(created)
                .firstSeen(first)
                .lastSeen(seen)
                .nature(verdict.nature(), verdict.reason())
                .attributes(attributes)
                .build();
    }

    private record Tagged(String key, String value) {}

    private static Tagged tag(Map<String, String> tags, Map<String, String> wanted) {
        for (Map.Entry<String, String> t : tags.entrySet()) {
            String normalized = t.getKey().toLowerCase(Locale.ROOT).replace('_', '-');
            if (wanted.containsKey(normalized) && !t.getValue().isBlank()) {
                return new Tagged(t.getKey(), t.getValue().strip());
            }
        }
        return null;
    }

    private static Map<String, String> keys(String... names) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(n, n);
        }
        return m;
    }
}
