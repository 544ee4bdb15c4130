package dev.warden.discovery.aws;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.discovery.Skips;
import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Streams {@code aws iam get-account-authorization-details} and {@code aws iam list-access-keys}
 * output element by element (memory grows with the principals, not the file) into an {@link AwsEstate}.
 */
final class AuthorizationDetailsReader {
    private final ObjectMapper mapper;
    private final AwsEstate estate;

    AuthorizationDetailsReader(ObjectMapper mapper, AwsEstate estate) {
        this.mapper = mapper;
        this.estate = estate;
    }

    /**
     * Reads every top-level value of one file: a page object, several page objects concatenated (a
     * shell loop's {@code >>}), or an array of pages ({@code jq -s .}). Returns false when no page
     * has any of the fields these commands print (so the caller can say what the file is not). An
     * element that cannot be understood is reported to {@code skips} and left out.
     */
    boolean read(JsonParser p, String name, Skips skips) throws IOException {
        boolean known = false;
        int pages = 0;
        JsonToken root;
        while ((root = p.nextToken()) != null) {
            if (root == JsonToken.START_OBJECT) {
                known |= page(p, name, skips, pages == 0 ? "" : "/" + pages);
                pages++;
            } else if (root == JsonToken.START_ARRAY) {
                int index = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (p.currentToken() != JsonToken.START_OBJECT) {
                        throw new IllegalArgumentException(
                                "/" + index + ": expected a page object in the top-level array");
                    }
                    known |= page(p, name, skips, "/" + index++);
                }
                pages++;
            } else {
                throw new IllegalArgumentException("expected a JSON object at the top level");
            }
        }
        if (pages == 0) {
            throw new IllegalArgumentException("expected a JSON object at the top level");
        }
        return known;
    }

    /** One page object, positioned at its START_OBJECT; {@code at} is its JSON pointer prefix. */
    private boolean page(JsonParser p, String name, Skips skips, String at) throws IOException {
        boolean known = false;
        boolean truncated = false;
        boolean resumable = false;
        java.util.Set<String> accounts = new java.util.LinkedHashSet<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "UserDetailList", "GroupDetailList", "RoleDetailList", "Policies", "AccessKeyMetadata" -> {
                    known = true;
                    if (value != JsonToken.START_ARRAY) {
                        throw new IllegalArgumentException(at + "/" + field + " must be an array");
                    }
                    int index = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        long line = p.currentLocation().getLineNr();
                        JsonNode element = mapper.readTree(p);
                        String where = at + "/" + field + "/" + index++;
                        try {
                            element(field, element, accounts);
                        } catch (IllegalArgumentException e) {
                            skips.skip(name, where, "line " + line + ": " + e.getMessage());
                        }
                    }
                }
                case "IsTruncated" -> truncated |= value == JsonToken.VALUE_TRUE;
                case "NextToken" -> {
                    truncated = true;
                    resumable = true;
                    p.skipChildren();
                }
                default -> p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new IllegalArgumentException("unexpected content after the top-level object");
        }
        if (truncated) {
            estate.pagedAccounts.addAll(accounts);
            if (resumable) {
                estate.truncatedAccounts.addAll(accounts);
            }
        } else {
            estate.detailedAccounts.addAll(accounts);
        }
        return known;
    }

    private void element(String field, JsonNode e, java.util.Set<String> accounts) {
        if (!e.isObject()) {
            throw new IllegalArgumentException("expected an object");
        }
        switch (field) {
            case "UserDetailList" -> user(e, accounts);
            case "GroupDetailList" -> group(e);
            case "RoleDetailList" -> role(e, accounts);
            case "Policies" -> policy(e, accounts);
            case "AccessKeyMetadata" -> accessKey(e);
            default -> throw new IllegalStateException(field);
        }
    }

    private void user(JsonNode e, java.util.Set<String> accounts) {
        AwsEstate.User u = new AwsEstate.User();
        u.arn = required(e, "Arn");
        u.account = AwsEstate.accountOf(u.arn, "Arn");
        u.name = required(e, "UserName");
        u.path = optional(e, "Path", "/");
        u.created = instant(e.get("CreateDate"), "CreateDate");
        u.tags = tags(e.get("Tags"));
        for (JsonNode ip : array(e, "UserPolicyList")) {
            String policyName = required(ip, "PolicyName");
            u.inline.add(new AwsEstate.Attached(
                    "inline:" + policyName,
                    PolicyDocument.parse(ip.get("PolicyDocument"), mapper, "UserPolicyList/" + policyName)));
        }
        for (JsonNode mp : array(e, "AttachedManagedPolicies")) {
            u.managed.add(required(mp, "PolicyArn"));
        }
        for (JsonNode g : array(e, "GroupList")) {
            if (!g.isTextual()) {
                throw new IllegalArgumentException("GroupList must hold group names");
            }
            u.groups.add(g.asText());
        }
        JsonNode boundary = e.get("PermissionsBoundary");
        if (boundary != null && boundary.isObject()) {
            u.permissionsBoundary = optional(boundary, "PermissionsBoundaryArn", null);
        }
        u.fromAuthorizationDetails = true;
        accounts.add(u.account);
        estate.users.put(u.arn, u);
    }

    private void group(JsonNode e) {
        AwsEstate.Group g = new AwsEstate.Group();
        String arn = required(e, "Arn");
        g.name = required(e, "GroupName");
        for (JsonNode ip : array(e, "GroupPolicyList")) {
            String policyName = required(ip, "PolicyName");
            g.inline.add(new AwsEstate.Attached(
                    "group:" + g.name + "/inline:" + policyName,
                    PolicyDocument.parse(ip.get("PolicyDocument"), mapper, "GroupPolicyList/" + policyName)));
        }
        for (JsonNode mp : array(e, "AttachedManagedPolicies")) {
            g.managed.add(required(mp, "PolicyArn"));
        }
        estate.groups.put(AwsEstate.groupKey(AwsEstate.accountOf(arn, "Arn"), g.name), g);
    }

    private void role(JsonNode e, java.util.Set<String> accounts) {
        AwsEstate.Role r = new AwsEstate.Role();
        r.arn = required(e, "Arn");
        r.account = AwsEstate.accountOf(r.arn, "Arn");
        r.name = required(e, "RoleName");
        r.path = optional(e, "Path", "/");
        r.description = optional(e, "Description", null);
        r.created = instant(e.get("CreateDate"), "CreateDate");
        r.tags = tags(e.get("Tags"));
        r.trust = PolicyDocument.parse(e.get("AssumeRolePolicyDocument"), mapper, "AssumeRolePolicyDocument");
        for (JsonNode ip : array(e, "RolePolicyList")) {
            String policyName = required(ip, "PolicyName");
            r.inline.add(new AwsEstate.Attached(
                    "inline:" + policyName,
                    PolicyDocument.parse(ip.get("PolicyDocument"), mapper, "RolePolicyList/" + policyName)));
        }
        for (JsonNode mp : array(e, "AttachedManagedPolicies")) {
            r.managed.add(required(mp, "PolicyArn"));
        }
        for (JsonNode ip : array(e, "InstanceProfileList")) {
            r.instanceProfiles.add(optional(ip, "InstanceProfileName", "?"));
        }
        JsonNode lastUsed = e.get("RoleLastUsed");
        if (lastUsed != null && lastUsed.isObject()) {
            r.lastUsed = instant(lastUsed.get("LastUsedDate"), "RoleLastUsed/LastUsedDate");
            r.lastUsedRegion = optional(lastUsed, "Region", null);
        }
        JsonNode boundary = e.get("PermissionsBoundary");
        if (boundary != null && boundary.isObject()) {
            r.permissionsBoundary = optional(boundary, "PermissionsBoundaryArn", null);
        }
        JsonNode max = e.get("MaxSessionDuration");
        if (max != null && max.canConvertToInt()) {
            r.maxSessionDuration = max.asInt();
        }
        accounts.add(r.account);
        estate.roles.put(r.arn, r);
    }

    private void policy(JsonNode e, java.util.Set<String> accounts) {
        String arn = required(e, "Arn");
        String[] parts = arn.split(":", 6);
        if (parts.length < 6 || !parts[0].equals("arn") || !parts[2].equals("iam")) {
            throw new IllegalArgumentException("Arn is not an IAM policy ARN");
        }
        if (parts[4].matches("\\d{12}")) {
            accounts.add(parts[4]);
        }
        String name = optional(e, "PolicyName", arn);
        String defaultVersion = optional(e, "DefaultVersionId", null);
        PolicyDocument doc = new PolicyDocument(java.util.List.of());
        for (JsonNode v : array(e, "PolicyVersionList")) {
            boolean isDefault = v.path("IsDefaultVersion").asBoolean(false)
                    || (defaultVersion != null
                            && defaultVersion.equals(v.path("VersionId").asText()));
            if (isDefault) {
                doc = PolicyDocument.parse(v.get("Document"), mapper, "Policies/" + name);
            }
        }
        estate.managedPolicies.put(arn, new AwsEstate.Attached("managed:" + arn, doc));
    }

    private void accessKey(JsonNode e) {
        String status = required(e, "Status");
        if (!status.equals("Active") && !status.equals("Inactive") && !status.equals("Expired")) {
            throw new IllegalArgumentException("Status must be Active, Inactive or Expired");
        }
        estate.accessKeys.add(new AwsEstate.AccessKey(
                required(e, "UserName"),
                required(e, "AccessKeyId"),
                status.equals("Active"),
                instant(e.get("CreateDate"), "CreateDate")));
    }

    private static String required(JsonNode e, String field) {
        JsonNode v = e.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(field + " is missing or not a string");
        }
        return v.asText();
    }

    private static String optional(JsonNode e, String field, String fallback) {
        JsonNode v = e.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : fallback;
    }

    private static Iterable<JsonNode> array(JsonNode e, String field) {
        JsonNode v = e.get(field);
        if (v == null || v.isNull()) {
            return java.util.List.of();
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException(field + " must be an array");
        }
        return v;
    }

    private static Map<String, String> tags(JsonNode tags) {
        Map<String, String> out = new LinkedHashMap<>();
        if (tags == null || tags.isNull()) {
            return out;
        }
        if (!tags.isArray()) {
            throw new IllegalArgumentException("Tags must be an array of {Key, Value}");
        }
        Iterator<JsonNode> it = tags.elements();
        while (it.hasNext()) {
            JsonNode t = it.next();
            out.put(required(t, "Key"), t.path("Value").asText(""));
        }
        return out;
    }

    /** A timestamp in any form AWS exports carry ({@link AwsTimestamps}). */
    static Instant instant(JsonNode v, String field) {
        return AwsTimestamps.of(v, field);
    }

    static Instant parseInstant(String text, String field) {
        return AwsTimestamps.parse(text, field);
    }
}
