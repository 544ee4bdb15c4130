package dev.warden.usage.cloudtrail;

import static dev.warden.usage.LogRecords.field;
import static dev.warden.usage.LogRecords.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.input.Echo;
import dev.warden.usage.EventTimes;
import dev.warden.usage.LogRecords.Skip;
import dev.warden.usage.Skips;
import dev.warden.usage.UsageEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One CloudTrail record → one {@link UsageEvent}, following the record and {@code userIdentity}
 * reference of the CloudTrail User Guide. Who, by {@code userIdentity.type}:
 *
 * <ul>
 *   <li>{@code IAMUser}: the user's ARN; credential the access key when it is a long-term one
 *       ({@code AKIA...}; session keys of a console sign-in are not inventory credentials). A failed
 *       console sign-in names no ARN: it is built from account and user name (a user with a path
 *       then matches no inventory identity); a user name CloudTrail hid is skipped.
 *   <li>{@code AssumedRole}: the role, not the session: {@code sessionContext.sessionIssuer.arn}
 *       (it keeps the role's path), else derived from {@code
 *       arn:aws:sts::ACCT:assumed-role/ROLE/SESSION}; credential the session's access key
 *       ({@code ASIA...}).
 *   <li>{@code Root}: {@code arn:aws:iam::ACCT:root}; credential as for IAMUser.
 *   <li>{@code FederatedUser} (GetFederationToken): the IAM user or root that issued the token
 *       ({@code sessionIssuer.arn}), else the federated-user ARN; credential the session key.
 *   <li>{@code AWSService}: the service ({@code invokedBy}, e.g. {@code ec2.amazonaws.com}) in the
 *       recipient account.
 *   <li>{@code WebIdentityUser}, {@code SAMLUser} (AssumeRoleWithWebIdentity/SAML calls): the
 *       external subject as {@code principalId} ({@code issuer:subject}) in the recipient account.
 *   <li>{@code AWSAccount} (another account): its {@code principalId} in that account.
 *   <li>Other types ({@code IdentityCenterUser}, {@code Directory}, {@code Unknown}): skipped, with
 *       the type named.
 * </ul>
 *
 * <p>Source type {@code aws}; scope the principal's account (from its ARN, else {@code
 * userIdentity.accountId}, else {@code recipientAccountId}). Action {@code PREFIX:EventName}, the
 * prefix being the first label of {@code eventSource} ({@code s3.amazonaws.com} → {@code s3};
 * {@code monitoring} → {@code cloudwatch}) and an API-version suffix dropped from the name ({@code
 * CreateFunction20150331} → {@code CreateFunction}). Resource the first {@code resources[].ARN},
 * else an obvious request parameter ({@code bucketName}[/{@code key}], {@code roleArn}, ...).
 * {@code AwsConsoleSignIn} events are console logins; {@code errorCode} (or a sign-in's {@code
 * "Failure"}) is the error. CloudTrail Insights records describe activity, not a caller, and give
 * no event.
 */
final class CloudTrailRecords {
    static final String SOURCE_TYPE = "aws";

    /** The principal of unauthenticated calls ({@code AWSAccount} with account {@code anonymous}). */
    static final String ANONYMOUS = "anonymous";

    /** The principal of service events that name no service. */
    static final String AWS_INTERNAL = "AWS Internal";

    private static final Pattern ASSUMED_ROLE =
            Pattern.compile("arn:(aws[a-z-]*):sts::(\\d{12}):assumed-role/([\\w+=,.@-]+)/.+");
    private static final Pattern EVENT_SOURCE = Pattern.compile("[a-z0-9][a-z0-9-]*(\\.[a-z0-9-]+)*");
    private static final Pattern EVENT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,127}");
    private static final Pattern API_VERSION = Pattern.compile("(\\d{8}|\\d{4}_\\d{2}_\\d{2})(v\\d+)?$");
    private static final Map<String, String> PREFIXES = Map.of("monitoring", "cloudwatch");
    private static final List<String> RESOURCE_PARAMETERS = List.of(
            "roleArn",
            "policyArn",
            "topicArn",
            "secretId",
            "functionName",
            "queueUrl",
            "tableName",
            "logGroupName",
            "stateMachineArn",
            "keyId");

    /** The record fields the mapping reads; the parser skips the others unread. */
    static final Set<String> RECORD_FIELDS = Set.of(
            "eventTime",
            "eventSource",
            "eventName",
            "eventType",
            "userIdentity",
            "recipientAccountId",
            "sourceIPAddress",
            "userAgent",
            "errorCode",
            "requestParameters",
            "responseElements",
            "resources");

    /** The fields of a {@code resources[]} element the mapping reads. */
    static final Set<String> RESOURCE_FIELDS = Set.of("ARN", "type", "accountId");

    /** The request parameters the mapping reads. */
    static final Set<String> PARAMETER_FIELDS;

    /** Sign-in events whose outcome is {@code responseElements.<eventName>}. */
    static final Set<String> SIGN_IN_EVENTS =
            Set.of("ConsoleLogin", "CheckMfa", "SwitchRole", "ExitRole", "RenewRole", "GetSigninToken");

    static {
        Set<String> p = new HashSet<>(RESOURCE_PARAMETERS);
        p.add("bucketName");
        p.add("key");
        PARAMETER_FIELDS = Set.copyOf(p);
    }

    /** Distinct (eventSource, eventName) pairs remembered with their action; beyond this, computed each time. */
    private static final int ACTION_CACHE = 20_000;

    private final Map<String, Map<String, String>> actions = new HashMap<>();
    private int cachedActions;
    private final EventTimes times;

    /** A mapping for one file (it remembers actions, so it is not shared between threads). */
    CloudTrailRecords(EventTimes times) {
        this.times = times;
    }

    /** Maps {@code r} to an event for {@code sink}, or counts it in {@code skips} at {@code where}. */
    void map(JsonNode r, String where, Consumer<UsageEvent> sink, Skips skips) {
        try {
            UsageEvent e = event(r, sink);
            if (e != null) {
                sink.accept(e);
            }
        } catch (Skip s) {
            skips.skip(where, s.getMessage());
        } catch (IllegalArgumentException e) {
            skips.skip(where, e.getMessage());
        }
    }

    private UsageEvent event(JsonNode r, Consumer<UsageEvent> sink) throws Skip {
        String eventType = text(r, "eventType");
        if ("AwsCloudTrailInsight".equals(eventType)) {
            return null;
        }
        List<String> missing = new ArrayList<>(4);
        JsonNode epoch = r.get("eventTime");
        String time = epoch != null && epoch.isNumber() ? null : field(r, "eventTime", missing);
        if (epoch != null && epoch.isNumber()) {
            time = epoch.asText();
        }
        String source = field(r, "eventSource", missing);
        String name = field(r, "eventName", missing);
        JsonNode ui = r.get("userIdentity");
        if (ui == null || ui.isNull()) {
            missing.add("userIdentity");
        }
        if (!missing.isEmpty()) {
            throw new Skip("missing " + String.join(", ", missing));
        }
        if (!ui.isObject()) {
            throw new Skip("userIdentity is not an object");
        }
        Instant at =
                epoch != null && epoch.isNumber() ? EventTimes.epoch(epoch.decimalValue()) : EventTimes.parse(time);
        if (at == null) {
            throw new Skip("eventTime '" + Echo.shown(time) + "' is not an RFC 3339 instant");
        }
        String absurd = times.problem(at);
        if (absurd != null) {
            throw new Skip("eventTime " + absurd);
        }
        String action = cachedAction(source, name);
        String recipient = account(text(r, "recipientAccountId"), resourceAccount(r));
        Caller who = caller(ui, recipient, r, name);
        boolean signIn = "AwsConsoleSignIn".equalsIgnoreCase(eventType);
        String error = text(r, "errorCode");
        if (error == null && signIn && "Failure".equals(text(r.path("responseElements"), name))) {
            error = "Failure";
        }
        String resource = resource(r, who.principal);
        String ip = text(r, "sourceIPAddress");
        String agent = text(r, "userAgent");
        String type = signIn ? UsageEvent.CONSOLE_LOGIN : UsageEvent.API;
        String target = text(r, "recipientAccountId");
        String role = who.federated ? assumedRole(r, name) : null;
        if (role != null) {
            // A web identity or SAML subject assuming a role: the role is used, by that workload.
            sink.accept(new UsageEvent(
                    at, SOURCE_TYPE, scope(role, recipient), role, null, action, role, ip, agent, type, error, target));
        }
        return new UsageEvent(
                at,
                SOURCE_TYPE,
                who.scope,
                who.principal,
                who.credential,
                action,
                resource,
                ip,
                agent,
                type,
                error,
                target);
    }

    private record Caller(String principal, String scope, String credential, boolean federated) {
        Caller(String principal, String scope, String credential) {
            this(principal, scope, credential, false);
        }
    }

    /** The role an {@code AssumeRole*} call assumed: {@code requestParameters.roleArn}, else an {@code AWS::IAM::Role} resource. */
    private static String assumedRole(JsonNode r, String eventName) {
        if (!eventName.startsWith("AssumeRole")) {
            return null;
        }
        String arn = text(r.path("requestParameters"), "roleArn");
        if (arn == null) {
            JsonNode resources = r.get("resources");
            if (resources != null && resources.isArray()) {
                for (JsonNode res : resources) {
                    if ("AWS::IAM::Role".equals(text(res, "type"))) {
                        arn = text(res, "ARN");
                        break;
                    }
                }
            }
        }
        return isRole(arn) ? arn : null;
    }

    private static boolean isRole(String arn) {
        int[] c = colons(arn);
        return c != null
                && arn.regionMatches(c[1] + 1, "iam", 0, 3)
                && c[2] == c[1] + 4
                && c[4] - c[3] == 13
                && arn.startsWith("role/", c[4] + 1);
    }

    /** The account of the first {@code resources[]} element that names one (old records lack recipientAccountId). */
    private static String resourceAccount(JsonNode r) {
        JsonNode resources = r.get("resources");
        if (resources != null && resources.isArray()) {
            for (JsonNode res : resources) {
                String a = account(text(res, "accountId"), null);
                if (a != null) {
                    return a;
                }
            }
        }
        return null;
    }

    private static Caller caller(JsonNode ui, String recipient, JsonNode r, String eventName) throws Skip {
        String type = text(ui, "type");
        if (type == null) {
            // Service events (AwsServiceEvent) name no type: the service that acted, in its account.
            String service = text(ui, "invokedBy");
            return new Caller(
                    service == null ? AWS_INTERNAL : service,
                    required(account(text(ui, "accountId"), recipient), "userIdentity.accountId"),
                    null);
        }
        String arn = text(ui, "arn");
        String account = account(text(ui, "accountId"), recipient);
        String key = text(ui, "accessKeyId");
        switch (type) {
            case "IAMUser": {
                String principal = arn != null ? arn(arn, "iam", "user/", "userIdentity.arn") : builtUser(ui, account);
                return new Caller(principal, scope(principal, account), longTerm(key));
            }
            case "Root": {
                String principal = arn != null
                        ? arn(arn, "iam", "root", "userIdentity.arn")
                        : "arn:aws:iam::" + required(account, "userIdentity.accountId") + ":root";
                return new Caller(principal, scope(principal, account), longTerm(key));
            }
            case "AssumedRole": {
                String principal = role(ui, arn);
                return new Caller(principal, scope(principal, account), session(key));
            }
            case "FederatedUser": {
                String issuer = text(ui.path("sessionContext").path("sessionIssuer"), "arn");
                String principal = issuer != null
                        ? arn(issuer, "iam", "", "sessionIssuer.arn")
                        : arn(required(arn, "userIdentity.arn"), "sts", "federated-user/", "userIdentity.arn");
                return new Caller(principal, scope(principal, account), session(key));
            }
            case "AWSService": {
                String role = assumedRole(r, eventName);
                if (role != null) {
                    // A service assuming a role for a workload (Lambda, ECS, EKS): the role is used.
                    return new Caller(role, scope(role, recipient), null);
                }
                String service = required(text(ui, "invokedBy"), "userIdentity.invokedBy");
                return new Caller(service, required(account(recipient, null), "recipientAccountId"), null);
            }
            case "WebIdentityUser":
            case "SAMLUser": {
                String principal = text(ui, "principalId");
                if (principal == null) {
                    String provider = text(ui, "identityProvider");
                    String user = text(ui, "userName");
                    if (provider == null || user == null) {
                        throw new Skip(type + " without principalId or identityProvider and userName");
                    }
                    principal = provider + ":" + user;
                }
                return new Caller(principal, required(account(recipient, account), "recipientAccountId"), null, true);
            }
            case "AWSAccount": {
                String principal = text(ui, "principalId");
                if (principal == null || "anonymous".equals(text(ui, "accountId"))) {
                    // Unauthenticated access (a public bucket): recorded against the resource's account.
                    return new Caller(ANONYMOUS, required(recipient, "recipientAccountId"), null);
                }
                return new Caller(principal, required(account, "userIdentity.accountId"), null);
            }
            case "IdentityCenterUser":
                throw new Skip("IdentityCenterUser is a person signed in through IAM Identity Center, not a machine"
                        + " identity");
            case "Unknown":
            case "Directory": {
                if (arn != null && ASSUMED_ROLE.matcher(arn).matches()) {
                    String principal = role(ui, arn);
                    return new Caller(principal, scope(principal, account), null);
                }
                if (arn == null || colons(arn) == null) {
                    throw new Skip("userIdentity.type " + type + " without an ARN names no principal");
                }
                return new Caller(arn, scope(arn, account != null ? account : recipient), null);
            }
            default:
                throw new Skip("userIdentity.type '" + Echo.shown(type) + "' is not mapped");
        }
    }

    /** The role of an assumed-role session: the session issuer's ARN, else derived from the session ARN. */
    private static String role(JsonNode ui, String arn) throws Skip {
        JsonNode issuer = ui.path("sessionContext").path("sessionIssuer");
        String issuerArn = text(issuer, "arn");
        if (issuerArn != null) {
            return arn(issuerArn, "iam", "role/", "sessionIssuer.arn");
        }
        if (arn == null) {
            throw new Skip("AssumedRole without sessionIssuer.arn or userIdentity.arn");
        }
        if (isRole(arn)) {
            return arn; // Identity Center sessions may name the IAM role itself
        }
        Matcher m = ASSUMED_ROLE.matcher(arn);
        if (!m.matches()) {
            throw new Skip("userIdentity.arn '" + Echo.shown(arn) + "' is not an assumed-role ARN");
        }
        return "arn:" + m.group(1) + ":iam::" + m.group(2) + ":role/" + m.group(3);
    }

    /** A failed console sign-in names the user but not its ARN. */
    private static String builtUser(JsonNode ui, String account) throws Skip {
        String user = text(ui, "userName");
        if (user == null || user.equals("HIDDEN_DUE_TO_SECURITY_REASONS") || !user.matches("[\\w+=,.@-]{1,64}")) {
            throw new Skip("IAMUser without an ARN or a usable userName");
        }
        return "arn:aws:iam::" + required(account, "userIdentity.accountId") + ":user/" + user;
    }

    /** {@code value} when it is an ARN of {@code service} whose resource starts with {@code resource}. */
    private static String arn(String value, String service, String resource, String field) throws Skip {
        int[] colons = colons(value);
        if (colons == null
                || !value.regionMatches(colons[1] + 1, service, 0, service.length())
                || colons[2] != colons[1] + 1 + service.length()
                || !value.startsWith(resource, colons[4] + 1)) {
            throw new Skip(field + " '" + Echo.shown(value) + "' is not an " + service + " "
                    + (resource.isEmpty() ? "" : resource.replace("/", "") + " ") + "ARN");
        }
        return value;
    }

    /**
     * The positions of the five colons of {@code arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE}, or
     * null when {@code value} is not one (partition {@code aws...}, account empty or 12 digits, a
     * resource).
     */
    private static int[] colons(String value) {
        if (value == null || !value.startsWith("arn:aws")) {
            return null;
        }
        int[] c = new int[5];
        c[0] = 3;
        for (int i = 1; i < 5; i++) {
            c[i] = value.indexOf(':', c[i - 1] + 1);
            if (c[i] < 0) {
                return null;
            }
        }
        int accountLength = c[4] - c[3] - 1;
        if (c[2] == c[1] + 1 || c[4] + 1 >= value.length() || (accountLength != 0 && !digits(value, c[3] + 1, 12))) {
            return null;
        }
        return c;
    }

    /** The account of an ARN principal, else the one the record names. */
    private static String scope(String principal, String account) throws Skip {
        int[] c = colons(principal);
        if (c != null && c[4] - c[3] == 13) {
            return principal.substring(c[3] + 1, c[4]);
        }
        return required(account, "userIdentity.accountId");
    }

    private static boolean digits(String s, int from, int n) {
        if (from + n > s.length()) {
            return false;
        }
        for (int i = from; i < from + n; i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return false;
            }
        }
        return true;
    }

    private static String account(String first, String second) {
        if (first != null && first.length() == 12 && digits(first, 0, 12)) {
            return first;
        }
        return second != null && second.length() == 12 && digits(second, 0, 12) ? second : null;
    }

    private static String longTerm(String key) {
        return key != null && key.startsWith("AKIA") && keyId(key) ? key : null;
    }

    private static String session(String key) {
        return key != null && keyId(key) ? key : null;
    }

    /** An access key id: {@code AKIA} or {@code ASIA} and 12 to 124 upper-case letters and digits. */
    private static boolean keyId(String key) {
        if (key.length() < 16 || key.length() > 128 || !(key.startsWith("AKIA") || key.startsWith("ASIA"))) {
            return false;
        }
        for (int i = 4; i < key.length(); i++) {
            char ch = key.charAt(i);
            if (!(ch >= 'A' && ch <= 'Z') && !(ch >= '0' && ch <= '9')) {
                return false;
            }
        }
        return true;
    }

    private static String required(String value, String field) throws Skip {
        if (value == null) {
            throw new Skip("missing " + field);
        }
        return value;
    }

    /** The action of a valid source and name, remembered per pair (a few hundred in a real trail). */
    private String cachedAction(String source, String name) throws Skip {
        Map<String, String> byName = actions.get(source);
        String action = byName == null ? null : byName.get(name);
        if (action != null) {
            return action;
        }
        if (!EVENT_SOURCE.matcher(source).matches() || source.length() > 128) {
            throw new Skip("eventSource '" + Echo.shown(source) + "' is not a service host name");
        }
        if (!EVENT_NAME.matcher(name).matches()) {
            throw new Skip("eventName '" + Echo.shown(name) + "' is not an API name");
        }
        action = action(source, name);
        if (cachedActions < ACTION_CACHE) {
            actions.computeIfAbsent(source, k -> new HashMap<>()).put(name, action);
            cachedActions++;
        }
        return action;
    }

    static String action(String source, String name) {
        int dot = source.indexOf('.');
        String prefix = dot < 0 ? source : source.substring(0, dot);
        String api = API_VERSION.matcher(name).replaceFirst("");
        return PREFIXES.getOrDefault(prefix, prefix) + ":" + (api.isEmpty() ? name : api);
    }

    private static String resource(JsonNode r, String principal) {
        JsonNode resources = r.get("resources");
        if (resources != null && resources.isArray()) {
            for (JsonNode res : resources) {
                String arn = text(res, "ARN");
                if (arn != null) {
                    return arn;
                }
            }
        }
        JsonNode params = r.get("requestParameters");
        if (params == null || !params.isObject()) {
            return null;
        }
        String bucket = text(params, "bucketName");
        if (bucket != null) {
            int[] c = colons(principal);
            String partition = c == null ? "aws" : principal.substring(4, c[1]);
            String key = text(params, "key");
            return "arn:" + partition + ":s3:::" + bucket + (key == null ? "" : "/" + key);
        }
        for (String p : RESOURCE_PARAMETERS) {
            String v = text(params, p);
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
