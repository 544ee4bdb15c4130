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
            UsageEvent e = event(r);
            if (e != null) {
                sink.accept(e);
            }
        } catch (Skip s) {
            skips.skip(where, s.getMessage());
        } catch (IllegalArgumentException e) {
            skips.skip(where, e.getMessage());
        }
    }

    private UsageEvent event(JsonNode r) throws Skip {
        String eventType = text(r, "eventType");
        if ("AwsCloudTrailInsight".equals(eventType)) {
            return null;
        }
        List<String> missing = new ArrayList<>(4);
        String time = field(r, "eventTime", missing);
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
        Instant at = EventTimes.parse(time);
        if (at == null) {
            throw new Skip("eventTime '" + Echo.shown(time) + "' is not an RFC 3339 instant");
        }
        String absurd = times.problem(at);
        if (absurd != null) {
            throw new Skip("eventTime " + absurd);
        }
        String action = cachedAction(source, name);
        Caller who = caller(ui, text(r, "recipientAccountId"));
        boolean signIn = "AwsConsoleSignIn".equalsIgnoreCase(eventType);
        String error = text(r, "errorCode");
        if (error == null && signIn && "Failure".equals(text(r.path("responseElements"), name))) {
            error = "Failure";
        }
        return new UsageEvent(
                at,
                SOURCE_TYPE,
                who.scope,
                who.principal,
                who.credential,
                action,
                resource(r, who.principal),
                text(r, "sourceIPAddress"),
                text(r, "userAgent"),
                signIn ? UsageEvent.CONSOLE_LOGIN : UsageEvent.API,
                error,
                text(r, "recipientAccountId"));
    }

    private record Caller(String principal, String scope, String credential) {}

    private static Caller caller(JsonNode ui, String recipient) throws Skip {
        String type = text(ui, "type");
        if (type == null) {
            throw new Skip("missing userIdentity.type");
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
                return new Caller(principal, required(account(recipient, account), "recipientAccountId"), null);
            }
            case "AWSAccount": {
                String principal = required(text(ui, "principalId"), "userIdentity.principalId");
                return new Caller(principal, required(account, "userIdentity.accountId"), null);
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
