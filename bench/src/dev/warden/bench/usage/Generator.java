package dev.warden.bench.usage;

import dev.warden.bench.usage.Apis.Api;
import dev.warden.bench.usage.Estate.Caller;
import dev.warden.bench.usage.Estate.Kind;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes CloudTrail log files as a trail delivers them: {@code AWSLogs/ACCOUNT/CloudTrail/REGION/
 * YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz}, one JSON object per file
 * on one line, records in time order within a file covering a few minutes of one account and
 * region. Each file is generated from its own seeded random stream, so the data set is the same
 * for the same parameters however many threads write it.
 */
final class Generator {
    private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'");
    private static final DateTimeFormatter DAY_DIR = DateTimeFormatter.ofPattern("yyyy/MM/dd");
    static final Duration SPAN = Duration.ofDays(7);

    private final Estate estate;
    private final long seed;
    private final Instant end;

    Generator(long seed, Instant end) {
        this.seed = seed;
        this.end = end;
        this.estate = new Estate(seed);
    }

    /** What was written. */
    record Written(int files, long events, long jsonBytes, long gzipBytes) {}

    /** Writes {@code events} records in files of about {@code perFile} under {@code root}. */
    Written write(Path root, long events, int perFile, int threads) throws Exception {
        int files = (int) Math.max(1, (events + perFile - 1) / perFile);
        int[] sizes = sizes(events, files, new SplittableRandom(seed));
        AtomicLong json = new AtomicLong();
        AtomicLong gz = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < files; i++) {
                int index = i;
                done.add(pool.submit(() -> {
                    long[] bytes = file(root, index, files, sizes[index]);
                    json.addAndGet(bytes[0]);
                    gz.addAndGet(bytes[1]);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return new Written(files, events, json.get(), gz.get());
    }

    /** File sizes around the mean, in pairs that keep the total. */
    private static int[] sizes(long events, int files, SplittableRandom r) {
        int[] s = new int[files];
        int base = (int) (events / files);
        for (int i = 0; i + 1 < files; i += 2) {
            int d = r.nextInt(Math.max(1, base * 3 / 10));
            s[i] = base + d;
            s[i + 1] = base - d;
        }
        if (files % 2 == 1) {
            s[files - 1] = base;
        }
        s[files - 1] += (int) (events - (long) base * files);
        return s;
    }

    private long[] file(Path root, int index, int files, int n) throws IOException {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + index);
        String account = Estate.ACCOUNTS[index % Estate.ACCOUNTS.length];
        String region = Estate.REGIONS[(index / Estate.ACCOUNTS.length) % Estate.REGIONS.length];
        long spanMs = SPAN.toMillis();
        long windowMs =
                Math.max(60_000, spanMs / Math.max(1, files / (Estate.ACCOUNTS.length * Estate.REGIONS.length)));
        long start = end.toEpochMilli() - spanMs + (long) ((double) index / files * (spanMs - windowMs));
        LocalDateTime delivered = LocalDateTime.ofInstant(Instant.ofEpochMilli(start + windowMs), ZoneOffset.UTC);
        Path dir = root.resolve("AWSLogs")
                .resolve(account)
                .resolve("CloudTrail")
                .resolve(region)
                .resolve(DAY_DIR.format(delivered));
        Files.createDirectories(dir);
        Path file = dir.resolve(account + "_CloudTrail_" + region + "_" + FILE_TIME.format(delivered) + "_"
                + Names.upper(r, 16).replace('2', 'a') + ".json.gz");
        StringBuilder b = new StringBuilder(n * 1400 + 64);
        b.append("{\"Records\":[");
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(',');
            }
            long at = start + (long) ((double) i / n * windowMs) + r.nextInt(1000);
            record(b, r, account, region, at);
        }
        b.append("]}");
        byte[] json = b.toString().getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16) {
                    {
                        def.setLevel(Deflater.BEST_SPEED);
                    }
                }) {
            gz.write(json);
        }
        return new long[] {json.length, Files.size(file)};
    }

    private void record(StringBuilder b, SplittableRandom r, String recipient, String region, long at) {
        Caller c = estate.pick(r);
        String account = c.kind() == Kind.AWS_SERVICE || c.kind() == Kind.CROSS_ACCOUNT ? recipient : c.account();
        Api api = Apis.ALL[c.apis()[skewed(r, c.apis().length)]];
        boolean signIn = api.source().equals("signin.amazonaws.com");
        String time = time(at);
        long hour = at / 3_600_000L;
        b.append("{\"eventVersion\":\"1.09\",\"userIdentity\":");
        identity(b, c, account, hour, time);
        b.append(",\"eventTime\":\"")
                .append(time)
                .append("\",\"eventSource\":\"")
                .append(api.source())
                .append("\",\"eventName\":\"")
                .append(api.name())
                .append("\",\"awsRegion\":\"")
                .append(signIn ? "us-east-1" : region)
                .append("\",\"sourceIPAddress\":\"")
                .append(c.ips()[skewed(r, c.ips().length)])
                .append("\",\"userAgent\":\"")
                .append(c.agents()[skewed(r, c.agents().length)])
                .append('"');
        String resource = resource(api, c, account, region, r);
        double roll = r.nextDouble();
        String error = null;
        if (api.name().equals("CreateUser") || roll < 0.02) {
            error = "AccessDenied";
        } else if (api.typicalError() != null && roll < 0.035) {
            error = api.typicalError();
        }
        if (error != null && !signIn) {
            b.append(",\"errorCode\":\"").append(error).append("\",\"errorMessage\":\"");
            if (error.equals("AccessDenied")) {
                b.append("User: ")
                        .append(c.arn() == null ? c.name() : c.arn())
                        .append(" is not authorized to perform: ")
                        .append(api.source(), 0, api.source().indexOf('.'))
                        .append(':')
                        .append(api.name())
                        .append(" because no identity-based policy allows the action");
            } else {
                b.append("The request failed: ").append(error);
            }
            b.append('"');
        }
        b.append(",\"requestParameters\":");
        parameters(b, api, c, account, region, resource, r);
        if (signIn) {
            b.append(",\"responseElements\":{\"ConsoleLogin\":\"")
                    .append(roll < 0.03 ? "Failure" : "Success")
                    .append("\"},\"additionalEventData\":{\"LoginTo\":\"https://console.aws.amazon.com/console/home\","
                            + "\"MobileVersion\":\"No\",\"MFAUsed\":\"Yes\"}");
        } else {
            b.append(",\"responseElements\":null");
            if (api.source().equals("s3.amazonaws.com") && api.data()) {
                b.append(
                                ",\"additionalEventData\":{\"SignatureVersion\":\"SigV4\",\"CipherSuite\":\"TLS_AES_128_GCM_SHA256\","
                                        + "\"bytesTransferredIn\":0,\"AuthenticationMethod\":\"AuthHeader\",\"x-amz-id-2\":\"")
                        .append(Names.upper(r, 40))
                        .append("=\",\"bytesTransferredOut\":")
                        .append(r.nextInt(100, 5_000_000))
                        .append('}');
            }
        }
        b.append(",\"requestID\":\"")
                .append(Names.upper(r, 16))
                .append("\",\"eventID\":\"")
                .append(uuid(r))
                .append("\",\"readOnly\":")
                .append(api.readOnly());
        if (resource != null) {
            b.append(",\"resources\":[{\"accountId\":\"")
                    .append(account)
                    .append("\",\"type\":\"")
                    .append(resourceType(api.res()))
                    .append("\",\"ARN\":\"")
                    .append(resource)
                    .append("\"}]");
        }
        b.append(",\"eventType\":\"")
                .append(signIn ? "AwsConsoleSignIn" : "AwsApiCall")
                .append("\",\"managementEvent\":")
                .append(!api.data())
                .append(",\"recipientAccountId\":\"")
                .append(recipient)
                .append("\",\"eventCategory\":\"")
                .append(api.data() ? "Data" : "Management")
                .append('"');
        if (c.invokedBy() == null) {
            b.append(",\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\",\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\","
                            + "\"clientProvidedHostHeader\":\"")
                    .append(api.source(), 0, api.source().indexOf('.'))
                    .append('.')
                    .append(region)
                    .append(".amazonaws.com\"}");
        }
        b.append('}');
    }

    private static void identity(StringBuilder b, Caller c, String account, long hour, String time) {
        switch (c.kind()) {
            case MACHINE_USER ->
                b.append("{\"type\":\"IAMUser\",\"principalId\":\"")
                        .append(c.principalId())
                        .append("\",\"arn\":\"")
                        .append(c.arn())
                        .append("\",\"accountId\":\"")
                        .append(account)
                        .append("\",\"accessKeyId\":\"")
                        .append(c.keys()[(int) (hour % c.keys().length)])
                        .append("\",\"userName\":\"")
                        .append(c.name())
                        .append("\"}");
            case AWS_SERVICE ->
                b.append("{\"type\":\"AWSService\",\"invokedBy\":\"")
                        .append(c.invokedBy())
                        .append("\"}");
            case CROSS_ACCOUNT ->
                b.append("{\"type\":\"AWSAccount\",\"principalId\":\"")
                        .append(c.principalId())
                        .append("\",\"accountId\":\"")
                        .append(c.account())
                        .append("\"}");
            case ROOT ->
                b.append("{\"type\":\"Root\",\"principalId\":\"")
                        .append(account)
                        .append("\",\"arn\":\"")
                        .append(c.arn())
                        .append("\",\"accountId\":\"")
                        .append(account)
                        .append("\",\"accessKeyId\":\"")
                        .append(c.keys()[(int) (hour % c.keys().length)])
                        .append("\",\"sessionContext\":{\"attributes\":{\"creationDate\":\"")
                        .append(time)
                        .append("\",\"mfaAuthenticated\":\"true\"}}}");
            case FEDERATED_USER ->
                b.append("{\"type\":\"FederatedUser\",\"principalId\":\"")
                        .append(c.principalId())
                        .append("\",\"arn\":\"")
                        .append(c.arn())
                        .append("\",\"accountId\":\"")
                        .append(account)
                        .append("\",\"accessKeyId\":\"")
                        .append(c.keys()[(int) (hour % c.keys().length)])
                        .append(
                                "\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"IAMUser\",\"principalId\":\"AIDAEXAMPLE\","
                                        + "\"arn\":\"")
                        .append(c.issuerArn())
                        .append("\",\"accountId\":\"")
                        .append(account)
                        .append("\",\"userName\":\"legacy-broker\"},\"attributes\":{\"creationDate\":\"")
                        .append(time)
                        .append("\",\"mfaAuthenticated\":\"false\"}}}");
            default -> {
                String session = switch (c.kind()) {
                    case PERSON_SSO -> c.name();
                    case CI_ROLE -> "GitHubActions";
                    case SERVICE_LINKED_ROLE ->
                        c.invokedBy().substring(0, c.invokedBy().indexOf('.')) + "-session";
                    default ->
                        "i-0"
                                + Long.toHexString(0x1000000000000L
                                        | ((c.principalId().hashCode() * 31L + hour / 6) & 0xffffffffffffL));
                };
                String roleName = c.issuerArn().substring(c.issuerArn().lastIndexOf('/') + 1);
                b.append("{\"type\":\"AssumedRole\",\"principalId\":\"")
                        .append(c.principalId())
                        .append(':')
                        .append(session)
                        .append("\",\"arn\":\"arn:aws:sts::")
                        .append(account)
                        .append(":assumed-role/")
                        .append(roleName)
                        .append('/')
                        .append(session)
                        .append("\",\"accountId\":\"")
                        .append(account)
                        .append('"');
                if (c.keys().length > 0) {
                    b.append(",\"accessKeyId\":\"")
                            .append(c.keys()[(int) (hour % c.keys().length)])
                            .append('"');
                }
                b.append(",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":\"")
                        .append(c.principalId())
                        .append("\",\"arn\":\"")
                        .append(c.issuerArn())
                        .append("\",\"accountId\":\"")
                        .append(account)
                        .append("\",\"userName\":\"")
                        .append(roleName)
                        .append("\"},");
                if (c.kind() == Kind.CI_ROLE) {
                    b.append("\"webIdFederationData\":{\"federatedProvider\":\"arn:aws:iam::")
                            .append(account)
                            .append(":oidc-provider/token.actions.githubusercontent.com\",\"attributes\":{}},");
                }
                b.append("\"attributes\":{\"creationDate\":\"")
                        .append(time)
                        .append("\",\"mfaAuthenticated\":\"false\"}");
                if (c.kind() == Kind.WORKLOAD_ROLE) {
                    b.append(",\"ec2RoleDelivery\":\"2.0\"");
                }
                b.append('}');
                if (c.invokedBy() != null) {
                    b.append(",\"invokedBy\":\"").append(c.invokedBy()).append('"');
                }
                b.append('}');
            }
        }
    }

    private static String resource(Api api, Caller c, String account, String region, SplittableRandom r) {
        String app = app(c);
        return switch (api.res()) {
            case S3_OBJECT -> "arn:aws:s3:::" + bucket(app, account) + "/" + key(app, r);
            case S3_BUCKET -> "arn:aws:s3:::" + bucket(app, account);
            case TABLE -> "arn:aws:dynamodb:" + region + ":" + account + ":table/" + app;
            case QUEUE -> "arn:aws:sqs:" + region + ":" + account + ":" + app + "-events";
            case KEY -> "arn:aws:kms:" + region + ":" + account + ":key/" + keyId(app);
            case SECRET -> "arn:aws:secretsmanager:" + region + ":" + account + ":secret:prod/" + app + "/db-AbCdEf";
            case FUNCTION -> "arn:aws:lambda:" + region + ":" + account + ":function:" + app;
            case ROLE -> "arn:aws:iam::" + account + ":role/" + app + "-cross";
            case PARAMETER -> "arn:aws:ssm:" + region + ":" + account + ":parameter/prod/" + app + "/config";
            case REPOSITORY -> "arn:aws:ecr:" + region + ":" + account + ":repository/" + app;
            case CLUSTER -> "arn:aws:ecs:" + region + ":" + account + ":service/prod/" + app;
            case NONE -> null;
        };
    }

    private static void parameters(
            StringBuilder b, Api api, Caller c, String account, String region, String resource, SplittableRandom r) {
        String app = app(c);
        switch (api.res()) {
            case S3_OBJECT ->
                b.append("{\"bucketName\":\"")
                        .append(bucket(app, account))
                        .append("\",\"Host\":\"")
                        .append(bucket(app, account))
                        .append(".s3.")
                        .append(region)
                        .append(".amazonaws.com\",\"key\":\"")
                        .append(resource.substring(resource.indexOf('/') + 1))
                        .append("\"}");
            case S3_BUCKET ->
                b.append("{\"bucketName\":\"")
                        .append(bucket(app, account))
                        .append("\",\"Host\":\"")
                        .append(bucket(app, account))
                        .append(".s3.")
                        .append(region)
                        .append(".amazonaws.com\",\"list-type\":\"2\",\"prefix\":\"")
                        .append(app)
                        .append("/\"}");
            case TABLE ->
                b.append("{\"tableName\":\"")
                        .append(app)
                        .append("\",\"key\":{\"pk\":{\"S\":\"order#")
                        .append(r.nextInt(1_000_000))
                        .append("\"}}}");
            case QUEUE ->
                b.append("{\"queueUrl\":\"https://sqs.")
                        .append(region)
                        .append(".amazonaws.com/")
                        .append(account)
                        .append('/')
                        .append(app)
                        .append("-events\",\"messageBody\":\"HIDDEN_DUE_TO_SECURITY_REASONS\"}");
            case KEY ->
                b.append("{\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\",\"keyId\":\"")
                        .append(resource)
                        .append("\",\"encryptionContext\":{\"aws:secretsmanager:arn\":\"arn:aws:secretsmanager:")
                        .append(region)
                        .append(':')
                        .append(account)
                        .append(":secret:prod/")
                        .append(app)
                        .append("/db-AbCdEf\"}}");
            case SECRET -> b.append("{\"secretId\":\"").append(resource).append("\"}");
            case FUNCTION -> b.append("{\"functionName\":\"").append(resource).append("\"}");
            case ROLE ->
                b.append("{\"roleArn\":\"")
                        .append(resource)
                        .append("\",\"roleSessionName\":\"")
                        .append(app)
                        .append("-")
                        .append(r.nextInt(100_000))
                        .append("\",\"durationSeconds\":3600}");
            case PARAMETER -> b.append("{\"name\":\"/prod/").append(app).append("/config\",\"withDecryption\":true}");
            case REPOSITORY ->
                b.append("{\"repositoryName\":\"")
                        .append(app)
                        .append("\",\"registryId\":\"")
                        .append(account)
                        .append("\",\"imageIds\":[{\"imageTag\":\"1.")
                        .append(r.nextInt(40))
                        .append(".0\"}]}");
            case CLUSTER ->
                b.append("{\"cluster\":\"prod\",\"service\":\"").append(app).append("\",\"forceNewDeployment\":false}");
            case NONE -> b.append(api.source().startsWith("ec2.") ? "{\"instancesSet\":{},\"filterSet\":{}}" : "null");
        }
    }

    private static String resourceType(Apis.Res res) {
        return switch (res) {
            case S3_OBJECT -> "AWS::S3::Object";
            case S3_BUCKET -> "AWS::S3::Bucket";
            case TABLE -> "AWS::DynamoDB::Table";
            case QUEUE -> "AWS::SQS::Queue";
            case KEY -> "AWS::KMS::Key";
            case SECRET -> "AWS::SecretsManager::Secret";
            case FUNCTION -> "AWS::Lambda::Function";
            case ROLE -> "AWS::IAM::Role";
            case PARAMETER -> "AWS::SSM::Parameter";
            case REPOSITORY -> "AWS::ECR::Repository";
            case CLUSTER -> "AWS::ECS::Service";
            case NONE -> "";
        };
    }

    private static String app(Caller c) {
        String n = c.name();
        int at = n.indexOf('@');
        return (at > 0 ? "console" : n.replace('.', '-')).toLowerCase(Locale.ROOT);
    }

    private static String bucket(String app, String account) {
        return "acme-" + app + "-" + account.substring(8);
    }

    private static String key(String app, SplittableRandom r) {
        return app + "/2026/" + (1 + r.nextInt(12)) + "/" + r.nextInt(10_000) + ".json";
    }

    private static String keyId(String app) {
        int h = app.hashCode();
        return String.format(
                Locale.ROOT,
                "%08x-%04x-4%03x-8%03x-%012x",
                h,
                h & 0xffff,
                h & 0xfff,
                (h >> 4) & 0xfff,
                (long) h & 0xffffffffL);
    }

    private static String uuid(SplittableRandom r) {
        char[] c = new char[36];
        long a = r.nextLong();
        long b = r.nextLong();
        for (int i = 0, bit = 0; i < 36; i++) {
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                c[i] = '-';
            } else if (i == 14) {
                c[i] = '4';
            } else {
                long src = bit < 64 ? a : b;
                c[i] = HEX[(int) ((src >>> (bit % 64)) & 15)];
                bit += 4;
            }
        }
        return new String(c);
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private final ThreadLocal<Object[]> lastTime = ThreadLocal.withInitial(() -> new Object[] {-1L, ""});

    /** The event time, formatted once per second (records are in time order within a file). */
    private String time(long at) {
        Object[] last = lastTime.get();
        long second = at / 1000;
        if ((long) last[0] != second) {
            last[0] = second;
            last[1] = EVENT_TIME.format(LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC));
        }
        return (String) last[1];
    }

    /** An index in [0, n) favouring low ones: an identity's main API, address and agent dominate. */
    private static int skewed(SplittableRandom r, int n) {
        if (n == 1) {
            return 0;
        }
        double x = r.nextDouble();
        return Math.min(n - 1, (int) (n * x * x * x));
    }
}
