package dev.warden.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.input.ParseErrors;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * What the demo estate did and leaked: two weeks of CloudTrail log files (gzip, in the
 * {@code AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/} layout CloudTrail delivers to S3) for the
 * principals {@link DemoAws} wrote, and a service checkout whose {@code deploy/.env} holds an access
 * key of one of them. Some of the activity is what posture should notice: a key used from many
 * addresses, a machine user driven from a browser, a user working in a second account.
 */
final class DemoActivity {
    private static final String REGION = "eu-west-1";
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_PATH =
            DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    private static final String SDK = "aws-sdk-java/2.25.10 Linux/5.10.219-208.866.amzn2.x86_64"
            + " OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache";
    private static final String BROWSER = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36"
            + " (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static final String[][] CALLS = {
        {"s3.amazonaws.com", "GetObject"},
        {"s3.amazonaws.com", "PutObject"},
        {"sqs.amazonaws.com", "SendMessage"},
        {"dynamodb.amazonaws.com", "GetItem"},
        {"secretsmanager.amazonaws.com", "GetSecretValue"},
        {"kms.amazonaws.com", "Decrypt"}
    };

    private final DemoWorld w;
    private final ObjectMapper json = ParseErrors.quiet(new ObjectMapper());
    /** Records by the trail (account) and day they are delivered in. */
    private final Map<String, ArrayNode> files = new LinkedHashMap<>();
    /** Records exported from CloudTrail Lake (one per line), beside the trail's S3 files; null while writing those. */
    private ArrayNode lake;

    DemoActivity(DemoWorld w) {
        this.w = w;
    }

    /** The access key the checkout leaks (an automation user's of the production account). */
    DemoWorld.AwsPrincipal leaked() {
        return prodUsers().get(4);
    }

    void writeLogs(Path dir) throws IOException {
        List<DemoWorld.AwsPrincipal> users = prodUsers();
        int roles = 0;
        for (DemoWorld.AwsPrincipal role : w.awsRoles) {
            if (!role.env().equals("prod") || role.name().endsWith("-worker") || roles++ >= 8) {
                continue;
            }
            String subnet = "10.20." + w.random.nextInt(8) + ".";
            int host = 10 + w.random.nextInt(200);
            for (int day = 1; day <= 14; day += 1 + w.random.nextInt(3)) {
                for (int n = 0; n < 3; n++) {
                    // a service's tasks on a handful of addresses of its subnet
                    session(role, day, subnet + (host + w.random.nextInt(4)));
                }
            }
        }
        // a key used from more addresses than one workload has (NHI9)
        for (int i = 0; i < 14; i++) {
            user(
                    users.get(0),
                    1 + i % 10,
                    "198.51.100." + (20 + i),
                    SDK,
                    users.get(0).account());
        }
        // a machine user driven from someone's browser (NHI10)
        user(users.get(1), 2, "203.0.113.77", BROWSER, users.get(1).account());
        user(users.get(1), 3, "203.0.113.77", BROWSER, users.get(1).account());
        // a production user working in the staging account too (NHI8)
        String staging = w.awsUsers.stream()
                .filter(u -> u.env().equals("staging"))
                .findFirst()
                .orElseThrow()
                .account();
        user(users.get(2), 1, "10.20.1.5", SDK, users.get(2).account());
        user(users.get(2), 2, "10.20.1.5", SDK, staging);
        // ordinary use of the rest
        for (int i = 3; i < users.size(); i += 2) {
            user(
                    users.get(i),
                    1 + w.random.nextInt(5),
                    "10.20.2." + (10 + i),
                    SDK,
                    users.get(i).account());
        }
        writeLakeExport(dir, users);
        for (Map.Entry<String, ArrayNode> f : files.entrySet()) {
            String[] k = f.getKey().split("\\|");
            Instant day = Instant.parse(k[1]);
            Path out = Files.createDirectories(
                    dir.resolve("AWSLogs/" + k[0] + "/CloudTrail/" + REGION + "/" + DAY_PATH.format(day)));
            String name = k[0] + "_CloudTrail_" + REGION + "_" + FILE_TIME.format(day.plus(Duration.ofHours(23))) + "_"
                    + hex(8) + ".json.gz";
            ObjectNode root = json.createObjectNode();
            root.set("Records", f.getValue());
            try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(out.resolve(name)))) {
                o.write(json.writeValueAsBytes(root));
            }
        }
    }

    /**
     * A CloudTrail Lake export (NDJSON, one event per line, as {@code aws cloudtrail start-query}
     * results exported whole or a SIEM gives them): more use of a known user, and an IAM user that
     * appears only in the logs, never in an import — the shadow identity {@code warden usage
     * unmatched} lists and posture should notice.
     */
    private void writeLakeExport(Path dir, List<DemoWorld.AwsPrincipal> users) throws IOException {
        lake = json.createArrayNode();
        DemoWorld.AwsPrincipal known = users.get(3);
        user(known, 4, "10.20.2.13", SDK, known.account());
        String account = known.account();
        DemoWorld.AwsPrincipal shadow = new DemoWorld.AwsPrincipal(
                account,
                "prod",
                "legacy-etl-2019",
                "arn:aws:iam::" + account + ":user/legacy-etl-2019",
                "AIDA" + w.upper(17),
                "AKIA" + w.upper(16));
        for (int day = 12; day >= 9; day--) {
            user(
                    shadow,
                    day,
                    "192.0.2.41",
                    "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.15.0 lang/python#3.11.8",
                    account);
        }
        StringBuilder lines = new StringBuilder();
        for (JsonNode r : lake) {
            lines.append(json.writeValueAsString(r)).append('\n');
        }
        lake = null;
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("lake-export-" + account + ".ndjson"), lines, StandardCharsets.UTF_8);
    }

    /** A service checkout whose deploy configuration holds a production access key. */
    void writeCheckout(Path dir) throws IOException {
        DemoWorld.AwsPrincipal p = leaked();
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        String secret = base64ish(40);
        Files.writeString(
                deploy.resolve(".env"),
                "# copied from the runbook to get the nightly export going again\n"
                        + "AWS_REGION=" + REGION + "\n"
                        + "AWS_ACCESS_KEY_ID=" + p.keyId() + "\n"
                        + "AWS_SECRET_ACCESS_KEY=" + secret + "\n"
                        + "EXPORT_BUCKET=acme-billing-exports\n",
                StandardCharsets.UTF_8);
        Files.writeString(
                dir.resolve("README.md"),
                "# billing-export\n\nNightly export of invoices to the finance bucket. Configuration in deploy/.\n",
                StandardCharsets.UTF_8);
    }

    private List<DemoWorld.AwsPrincipal> prodUsers() {
        return w.awsUsers.stream().filter(u -> u.env().equals("prod")).toList();
    }

    private void session(DemoWorld.AwsPrincipal role, int daysAgo, String ip) {
        String session = "i-0" + hex(8);
        ObjectNode r = record(role.account(), daysAgo, ip, SDK, role.account());
        ObjectNode ui = r.putObject("userIdentity");
        ui.put("type", "AssumedRole")
                .put("principalId", role.principalId() + ":" + session)
                .put("arn", "arn:aws:sts::" + role.account() + ":assumed-role/" + role.name() + "/" + session)
                .put("accountId", role.account())
                .put("accessKeyId", "ASIA" + w.upper(16));
        ObjectNode issuer = ui.putObject("sessionContext").putObject("sessionIssuer");
        issuer.put("type", "Role")
                .put("principalId", role.principalId())
                .put("arn", role.arn())
                .put("accountId", role.account())
                .put("userName", role.name());
    }

    private void user(DemoWorld.AwsPrincipal user, int daysAgo, String ip, String agent, String recipient) {
        ObjectNode r = record(recipient, daysAgo, ip, agent, user.account());
        r.putObject("userIdentity")
                .put("type", "IAMUser")
                .put("principalId", user.principalId())
                .put("arn", user.arn())
                .put("accountId", user.account())
                .put("accessKeyId", user.keyId())
                .put("userName", user.name());
    }

    /** A management or data event in {@code recipient}'s trail; the caller fills in userIdentity. */
    private ObjectNode record(String recipient, int daysAgo, String ip, String agent, String callerAccount) {
        Instant day = w.now.minus(Duration.ofDays(daysAgo));
        Instant at = day.plus(Duration.ofMinutes(60 + w.random.nextInt(20 * 60)));
        String[] call = CALLS[w.random.nextInt(CALLS.length)];
        ArrayNode records =
                lake != null ? lake : files.computeIfAbsent(recipient + "|" + day, k -> json.createArrayNode());
        ObjectNode r = records.addObject();
        r.put("eventVersion", "1.09")
                .put("eventTime", at.toString())
                .put("eventSource", call[0])
                .put("eventName", call[1])
                .put("awsRegion", REGION)
                .put("sourceIPAddress", ip)
                .put("userAgent", agent)
                .putNull("responseElements")
                .put(
                        "requestID",
                        UUID.nameUUIDFromBytes(hex(8).getBytes(StandardCharsets.UTF_8))
                                .toString())
                .put(
                        "eventID",
                        UUID.nameUUIDFromBytes(hex(8).getBytes(StandardCharsets.UTF_8))
                                .toString())
                .put("readOnly", call[1].startsWith("Get"))
                .put("eventType", "AwsApiCall")
                .put("managementEvent", !call[0].startsWith("s3"))
                .put("recipientAccountId", recipient)
                .put("eventCategory", call[0].startsWith("s3") ? "Data" : "Management");
        if (!recipient.equals(callerAccount)) {
            r.put(
                    "sharedEventID",
                    UUID.nameUUIDFromBytes(hex(8).getBytes(StandardCharsets.UTF_8))
                            .toString());
        }
        return r;
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        w.random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private String base64ish(int n) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(w.random.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
