package dev.warden.bench.usage;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.SplittableRandom;

/** The AWS API calls the synthetic callers make, as CloudTrail names them, and what they touch. */
final class Apis {
    enum Res {
        NONE,
        S3_OBJECT,
        S3_BUCKET,
        TABLE,
        QUEUE,
        KEY,
        SECRET,
        FUNCTION,
        ROLE,
        PARAMETER,
        REPOSITORY,
        CLUSTER
    }

    record Api(String source, String name, boolean readOnly, boolean data, Res res, String typicalError) {}

    static final String[] SERVICES = {
        "ec2.amazonaws.com",
        "lambda.amazonaws.com",
        "ecs.amazonaws.com",
        "autoscaling.amazonaws.com",
        "cloudtrail.amazonaws.com",
        "config.amazonaws.com",
        "elasticloadbalancing.amazonaws.com",
        "rds.amazonaws.com",
        "eks.amazonaws.com",
        "backup.amazonaws.com",
        "ssm.amazonaws.com",
        "logs.amazonaws.com",
        "events.amazonaws.com",
        "states.amazonaws.com",
        "guardduty.amazonaws.com"
    };

    static final Api[] ALL = {
        new Api("s3.amazonaws.com", "GetObject", true, true, Res.S3_OBJECT, "NoSuchKey"), // 0
        new Api("s3.amazonaws.com", "PutObject", false, true, Res.S3_OBJECT, "SlowDown"),
        new Api("s3.amazonaws.com", "HeadObject", true, true, Res.S3_OBJECT, "NoSuchKey"),
        new Api("s3.amazonaws.com", "ListObjects", true, true, Res.S3_BUCKET, null),
        new Api("s3.amazonaws.com", "DeleteObject", false, true, Res.S3_OBJECT, null),
        new Api(
                "dynamodb.amazonaws.com",
                "GetItem",
                true,
                true,
                Res.TABLE,
                "ProvisionedThroughputExceededException"), // 5
        new Api("dynamodb.amazonaws.com", "PutItem", false, true, Res.TABLE, "ConditionalCheckFailedException"),
        new Api("dynamodb.amazonaws.com", "Query", true, true, Res.TABLE, null),
        new Api("sqs.amazonaws.com", "SendMessage", false, true, Res.QUEUE, null),
        new Api("sqs.amazonaws.com", "ReceiveMessage", true, true, Res.QUEUE, null),
        new Api("sqs.amazonaws.com", "DeleteMessage", false, true, Res.QUEUE, "ReceiptHandleIsInvalid"), // 10
        new Api("kms.amazonaws.com", "Decrypt", true, false, Res.KEY, "InvalidCiphertextException"),
        new Api("kms.amazonaws.com", "GenerateDataKey", true, false, Res.KEY, null),
        new Api("secretsmanager.amazonaws.com", "GetSecretValue", true, false, Res.SECRET, "ResourceNotFoundException"),
        new Api("ssm.amazonaws.com", "GetParameter", true, false, Res.PARAMETER, "ParameterNotFound"),
        new Api("sts.amazonaws.com", "GetCallerIdentity", true, false, Res.NONE, null), // 15
        new Api("sts.amazonaws.com", "AssumeRole", true, false, Res.ROLE, null),
        new Api("monitoring.amazonaws.com", "PutMetricData", false, false, Res.NONE, "ThrottlingException"),
        new Api("lambda.amazonaws.com", "Invoke", false, true, Res.FUNCTION, "TooManyRequestsException"),
        new Api("lambda.amazonaws.com", "UpdateFunctionCode20150331v2", false, false, Res.FUNCTION, null),
        new Api("lambda.amazonaws.com", "GetFunction20150331v2", true, false, Res.FUNCTION, null), // 20
        new Api("ecr.amazonaws.com", "GetAuthorizationToken", true, false, Res.NONE, null),
        new Api("ecr.amazonaws.com", "BatchGetImage", true, false, Res.REPOSITORY, null),
        new Api("ecr.amazonaws.com", "PutImage", false, false, Res.REPOSITORY, "ImageAlreadyExistsException"),
        new Api("ecs.amazonaws.com", "UpdateService", false, false, Res.CLUSTER, null),
        new Api("ecs.amazonaws.com", "DescribeServices", true, false, Res.CLUSTER, null), // 25
        new Api("ecs.amazonaws.com", "RegisterTaskDefinition", false, false, Res.NONE, null),
        new Api("cloudformation.amazonaws.com", "DescribeStacks", true, false, Res.NONE, "ValidationError"),
        new Api("cloudformation.amazonaws.com", "CreateChangeSet", false, false, Res.NONE, null),
        new Api("iam.amazonaws.com", "GetRole", true, false, Res.ROLE, "NoSuchEntityException"),
        new Api("iam.amazonaws.com", "CreateUser", false, false, Res.NONE, "AccessDenied"), // 30
        new Api("ec2.amazonaws.com", "DescribeInstances", true, false, Res.NONE, null),
        new Api("ec2.amazonaws.com", "DescribeNetworkInterfaces", true, false, Res.NONE, null),
        new Api("ec2.amazonaws.com", "CreateNetworkInterface", false, false, Res.NONE, "Client.UnauthorizedOperation"),
        new Api("ec2.amazonaws.com", "DescribeSecurityGroups", true, false, Res.NONE, null),
        new Api("elasticloadbalancing.amazonaws.com", "DescribeTargetHealth", true, false, Res.NONE, null), // 35
        new Api("autoscaling.amazonaws.com", "DescribeAutoScalingGroups", true, false, Res.NONE, null),
        new Api("logs.amazonaws.com", "CreateLogStream", false, false, Res.NONE, "ResourceAlreadyExistsException"),
        new Api("s3.amazonaws.com", "GetBucketAcl", true, false, Res.S3_BUCKET, null),
        new Api("signin.amazonaws.com", "ConsoleLogin", false, false, Res.NONE, null),
        new Api("iam.amazonaws.com", "ListRoles", true, false, Res.NONE, null), // 40
        new Api("s3.amazonaws.com", "ListBuckets", true, false, Res.NONE, null),
    };

    static final int CONSOLE_LOGIN = 39;

    private Apis() {}

    static int[] workload(SplittableRandom r) {
        return pick(r, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18}, 4, 14);
    }

    static int[] deploy(SplittableRandom r) {
        int[] base = pick(r, new int[] {1, 15, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29}, 5, 10);
        int[] withDenied = java.util.Arrays.copyOf(base, base.length + 1);
        withDenied[base.length] = 30;
        return withDenied;
    }

    static int[] describe(SplittableRandom r) {
        return pick(r, new int[] {11, 16, 31, 32, 33, 34, 35, 36, 37, 38}, 3, 7);
    }

    static int[] console(SplittableRandom r) {
        int[] base = pick(r, new int[] {3, 25, 27, 29, 31, 34, 40, 41}, 3, 6);
        int[] withLogin = java.util.Arrays.copyOf(base, base.length + 1);
        withLogin[base.length] = CONSOLE_LOGIN;
        return withLogin;
    }

    static int[] data(SplittableRandom r) {
        return pick(r, new int[] {0, 3}, 2, 2);
    }

    private static int[] pick(SplittableRandom r, int[] from, int min, int max) {
        int n = Math.min(from.length, r.nextInt(min, max + 1));
        Set<Integer> chosen = new LinkedHashSet<>();
        while (chosen.size() < n) {
            chosen.add(from[r.nextInt(from.length)]);
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }
}
