package dev.warden.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.input.ParseErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Two AWS accounts as the AWS CLI prints them: {@code get-account-authorization-details},
 * the credential report CSV and {@code list-access-keys}, per account.
 */
final class DemoAws {
    private static final String[][] ACCOUNTS = {{"111122223333", "prod"}, {"444455556666", "staging"}};
    private static final String[] ACTIONS = {
        "s3:GetObject",
        "s3:PutObject",
        "s3:ListBucket",
        "sqs:SendMessage",
        "sqs:ReceiveMessage",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "kms:Decrypt",
        "secretsmanager:GetSecretValue",
        "logs:PutLogEvents"
    };

    private final DemoWorld w;
    private final ObjectMapper json = ParseErrors.quiet(new ObjectMapper());

    DemoAws(DemoWorld w) {
        this.w = w;
    }

    void write(Path dir) throws IOException {
        for (String[] account : ACCOUNTS) {
            Path out = Files.createDirectories(dir.resolve(account[1]));
            writeAccount(out, account[0], account[1]);
        }
    }

    private void writeAccount(Path out, String account, String env) throws IOException {
        ObjectNode details = json.createObjectNode();
        ArrayNode users = details.putArray("UserDetailList");
        details.putArray("GroupDetailList");
        ArrayNode roles = details.putArray("RoleDetailList");
        ArrayNode policies = details.putArray("Policies");
        policies.add(managedPolicy("AdministratorAccess", "arn:aws:iam::aws:policy/AdministratorAccess", "*", "*"));
        StringBuilder report = new StringBuilder(
                "user,arn,user_creation_time,password_enabled,password_last_used,"
                        + "password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
                        + "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,"
                        + "access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,"
                        + "access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n");
        report.append("<root_account>,arn:aws:iam::")
                .append(account)
                .append(":root,")
                .append(ts(w.daysAgo(2000)))
                .append(",not_supported,")
                .append(ts(w.daysAgo(40, 200)))
                .append(",not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,")
                .append("false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n");
        ArrayNode keys = json.createArrayNode();
        for (String svc : DemoWorld.SERVICES) {
            for (String suffix : new String[] {"", "-worker"}) {
                String name = env + "-" + svc + suffix;
                ObjectNode role = roles.addObject();
                String roleId = "AROA" + w.upper(17);
                w.awsRoles.add(new DemoWorld.AwsPrincipal(
                        account, env, name, "arn:aws:iam::" + account + ":role/" + name, roleId, null));
                role.put("Path", "/")
                        .put("RoleName", name)
                        .put("RoleId", roleId)
                        .put("Arn", "arn:aws:iam::" + account + ":role/" + name)
                        .put("CreateDate", ts(w.daysAgo(30, 1500)));
                role.set(
                        "AssumeRolePolicyDocument",
                        trust(suffix.isEmpty() ? "ecs-tasks.amazonaws.com" : "ec2.amazonaws.com"));
                ArrayNode inline = role.putArray("RolePolicyList");
                inline.addObject().put("PolicyName", svc + "-access").set("PolicyDocument", document(svc, env));
                ArrayNode attached = role.putArray("AttachedManagedPolicies");
                if (svc.equals("backup") && suffix.isEmpty()) {
                    attached.addObject()
                            .put("PolicyName", "AdministratorAccess")
                            .put("PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess");
                }
                ArrayNode tags = role.putArray("Tags");
                String team = w.maybeTeam(0.15);
                if (team != null) {
                    tags.addObject().put("Key", "team").put("Value", team);
                }
                tags.addObject().put("Key", "application").put("Value", svc);
                if (w.random.nextInt(5) > 0) {
                    role.putObject("RoleLastUsed")
                            .put(
                                    "LastUsedDate",
                                    ts(w.daysAgo(
                                            w.random.nextInt(6) == 0 ? 120 : 0, w.random.nextInt(6) == 0 ? 400 : 3)))
                            .put("Region", "eu-west-1");
                }
            }
        }
        ObjectNode ci = roles.addObject();
        ci.put("Path", "/")
                .put("RoleName", "github-deploy")
                .put("RoleId", "AROA" + w.upper(17))
                .put("Arn", "arn:aws:iam::" + account + ":role/github-deploy")
                .put("CreateDate", ts(w.daysAgo(300)));
        ObjectNode ciTrust = json.createObjectNode().put("Version", "2012-10-17");
        ObjectNode st = ciTrust.putArray("Statement")
                .addObject()
                .put("Effect", "Allow")
                .put("Action", "sts:AssumeRoleWithWebIdentity");
        st.putObject("Principal")
                .put("Federated", "arn:aws:iam::" + account + ":oidc-provider/token.actions.githubusercontent.com");
        st.putObject("Condition")
                .putObject("StringEquals")
                .put("token.actions.githubusercontent.com:aud", "sts.amazonaws.com");
        ci.set("AssumeRolePolicyDocument", ciTrust);
        ci.putArray("AttachedManagedPolicies")
                .addObject()
                .put("PolicyName", "AdministratorAccess")
                .put("PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess");
        ObjectNode vendor = roles.addObject();
        vendor.put("Path", "/")
                .put("RoleName", "datadog-integration")
                .put("RoleId", "AROA" + w.upper(17))
                .put("Arn", "arn:aws:iam::" + account + ":role/datadog-integration")
                .put("CreateDate", ts(w.daysAgo(700)));
        ObjectNode vTrust = json.createObjectNode().put("Version", "2012-10-17");
        ObjectNode vs =
                vTrust.putArray("Statement").addObject().put("Effect", "Allow").put("Action", "sts:AssumeRole");
        vs.putObject("Principal").put("AWS", "arn:aws:iam::464622532012:root");
        if (env.equals("prod")) {
            vs.putObject("Condition")
                    .putObject("StringEquals")
                    .put("sts:ExternalId", "acme-" + w.upper(8).toLowerCase(java.util.Locale.ROOT));
        }
        vendor.set("AssumeRolePolicyDocument", vTrust);
        vendor.putArray("Tags").addObject().put("Key", "vendor").put("Value", "Datadog");
        vendor.putArray("RolePolicyList")
                .addObject()
                .put("PolicyName", "read-all")
                .set("PolicyDocument", document("*", env));

        for (int i = 0; i < 15; i++) {
            String svc = w.pick(DemoWorld.SERVICES);
            boolean person = i >= 12;
            String name =
                    person ? new String[] {"alice.smith", "bob.jones", "carol.wu"}[i - 12] : "svc-" + svc + "-" + i;
            String arn = "arn:aws:iam::" + account + ":user/" + (person ? "" : "automation/") + name;
            Instant created = w.daysAgo(60, 1800);
            ObjectNode user = users.addObject();
            user.put("Path", person ? "/" : "/automation/")
                    .put("UserName", name)
                    .put("UserId", "AIDA" + w.upper(17))
                    .put("Arn", arn)
                    .put("CreateDate", ts(created));
            user.putArray("UserPolicyList")
                    .addObject()
                    .put("PolicyName", "legacy")
                    .set("PolicyDocument", document(i == 0 ? "*" : svc, env));
            user.putArray("GroupList");
            ArrayNode tags = user.putArray("Tags");
            String team = w.maybeTeam(0.35);
            if (team != null && !person) {
                tags.addObject().put("Key", "owner").put("Value", team);
            }
            List<String> row = new ArrayList<>(List.of(name, arn, ts(created)));
            if (person) {
                row.addAll(List.of("true", ts(w.daysAgo(0, 20)), ts(w.daysAgo(30, 200)), "N/A", "true"));
                row.addAll(List.of("false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "N/A", "N/A", "N/A"));
            } else {
                row.addAll(List.of("false", "N/A", "N/A", "N/A", "false"));
                Instant keyCreated = created.plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
                boolean used = w.random.nextInt(5) > 0;
                Instant lastUsed = used ? w.daysAgo(i % 4 == 0 ? 150 : 0, i % 4 == 0 ? 300 : 2) : null;
                row.addAll(List.of(
                        "true",
                        ts(keyCreated),
                        used ? ts(lastUsed) : "N/A",
                        used ? "eu-west-1" : "N/A",
                        used ? "s3" : "N/A"));
                row.addAll(List.of("false", "N/A", "N/A", "N/A", "N/A"));
                String keyId = "AKIA" + w.upper(16);
                w.awsUsers.add(new DemoWorld.AwsPrincipal(
                        account, env, name, arn, user.get("UserId").asText(), keyId));
                keys.addObject()
                        .put("UserName", name)
                        .put("AccessKeyId", keyId)
                        .put("Status", "Active")
                        .put("CreateDate", ts(keyCreated));
            }
            row.addAll(List.of("false", "N/A", "false", "N/A"));
            report.append(String.join(",", row)).append('\n');
        }
        details.put("IsTruncated", false);
        json.writerWithDefaultPrettyPrinter()
                .writeValue(out.resolve("authorization-details.json").toFile(), details);
        Files.writeString(out.resolve("credential-report.csv"), report);
        ObjectNode listed = json.createObjectNode();
        listed.set("AccessKeyMetadata", keys);
        json.writerWithDefaultPrettyPrinter()
                .writeValue(out.resolve("list-access-keys.json").toFile(), listed);
    }

    private ObjectNode trust(String service) {
        ObjectNode doc = json.createObjectNode().put("Version", "2012-10-17");
        ObjectNode st =
                doc.putArray("Statement").addObject().put("Effect", "Allow").put("Action", "sts:AssumeRole");
        st.putObject("Principal").put("Service", service);
        return doc;
    }

    private ObjectNode document(String svc, String env) {
        ObjectNode doc = json.createObjectNode().put("Version", "2012-10-17");
        ArrayNode statements = doc.putArray("Statement");
        if (svc.equals("*")) {
            statements.addObject().put("Effect", "Allow").put("Action", "*").put("Resource", "*");
            return doc;
        }
        ObjectNode st = statements.addObject().put("Effect", "Allow");
        ArrayNode actions = st.putArray("Action");
        for (int i = 0; i < 2 + w.random.nextInt(3); i++) {
            actions.add(w.pick(ACTIONS));
        }
        st.put("Resource", w.random.nextInt(8) == 0 ? "*" : "arn:aws:s3:::" + env + "-" + svc + "/*");
        if (w.random.nextInt(10) == 0) {
            statements.addObject().put("Effect", "Allow").put("Action", "s3:*").put("Resource", "*");
        }
        return doc;
    }

    private ObjectNode managedPolicy(String name, String arn, String action, String resource) {
        ObjectNode p =
                json.createObjectNode().put("PolicyName", name).put("Arn", arn).put("DefaultVersionId", "v1");
        ObjectNode v = p.putArray("PolicyVersionList")
                .addObject()
                .put("VersionId", "v1")
                .put("IsDefaultVersion", true);
        ObjectNode doc = v.putObject("Document").put("Version", "2012-10-17");
        doc.putArray("Statement")
                .addObject()
                .put("Effect", "Allow")
                .put("Action", action)
                .put("Resource", resource);
        return p;
    }

    private static String ts(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString().replace("Z", "+00:00");
    }
}
