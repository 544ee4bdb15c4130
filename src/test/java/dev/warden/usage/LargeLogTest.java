package dev.warden.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.input.Input;
import dev.warden.usage.cloudtrail.CloudTrailParser;
import dev.warden.usage.k8saudit.KubernetesAuditParser;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100 MB inputs generated at test time, read by a child JVM whose heap is smaller than any of them,
 * so the test passes only if the parsers stream: a CloudTrail file of 100 MB on one line, a
 * CloudTrail record holding a 100 MB string, and a Kubernetes audit log with a 100 MB line.
 */
class LargeLogTest {
    static final long SIZE = 100L * 1024 * 1024;
    static final int HEAP_MIB = 48;

    @TempDir
    Path tmp;

    private static final String RECORD = "{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"AssumedRole\","
            + "\"principalId\":\"AROAEXAMPLEORDERS0001:i-0a1b2c3d4e5f6%05d\",\"arn\":\"arn:aws:sts::111122223333:assumed-role/"
            + "app-%d/i-0a1b2c3d4e5f6%05d\",\"accountId\":\"111122223333\",\"accessKeyId\":\"ASIAIOSFODNN7EXAMPLE\","
            + "\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":\"AROAEXAMPLEORDERS0001\","
            + "\"arn\":\"arn:aws:iam::111122223333:role/app-%d\",\"accountId\":\"111122223333\",\"userName\":\"app-%d\"},"
            + "\"attributes\":{\"creationDate\":\"2026-05-31T08:00:12Z\",\"mfaAuthenticated\":\"false\"}}},"
            + "\"eventTime\":\"2026-05-31T08:14:55Z\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\","
            + "\"awsRegion\":\"eu-west-1\",\"sourceIPAddress\":\"10.20.3.41\",\"userAgent\":\"aws-sdk-java/2.25.10 Linux/5.10"
            + " OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10\",\"requestParameters\":{\"bucketName\":\"acme-data\","
            + "\"Host\":\"acme-data.s3.eu-west-1.amazonaws.com\",\"key\":\"orders/%d.json\"},\"responseElements\":null,"
            + "\"requestID\":\"K2H6N7Y2RF1ZJ9QX\",\"eventID\":\"5b3a8e1c-4f2d-4a8e-9c1b-%012d\",\"readOnly\":true,"
            + "\"resources\":[{\"type\":\"AWS::S3::Object\",\"ARN\":\"arn:aws:s3:::acme-data/orders/%d.json\"}],"
            + "\"eventType\":\"AwsApiCall\",\"managementEvent\":false,\"recipientAccountId\":\"111122223333\"%s}";

    private static final String AUDIT = "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\","
            + "\"auditID\":\"%s\",\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/namespaces/shop/pods\",\"verb\":\"list\","
            + "\"user\":{\"username\":\"system:serviceaccount:shop:orders-api\"},\"sourceIPs\":[\"10.0.2.14\"],"
            + "\"objectRef\":{\"resource\":\"pods\",\"namespace\":\"shop\",\"apiVersion\":\"v1\"},\"responseStatus\":{\"code\":200},"
            + "\"requestReceivedTimestamp\":\"2026-05-31T10:00:00.000001Z\",\"stageTimestamp\":\"2026-05-31T10:00:00.000101Z\"%s}\n";

    private static String record(int i, String extra) {
        return String.format(RECORD, i % 100_000, i % 50, i % 100_000, i % 50, i % 50, i, i, i, extra);
    }

    @Test
    void hundred_megabyte_inputs_are_read_in_a_heap_smaller_than_each() throws Exception {
        Path oneLine = tmp.resolve("one-line.json");
        int records = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(oneLine), 1 << 16)) {
            out.write("{\"Records\":[".getBytes(StandardCharsets.UTF_8));
            long written = 0;
            while (written < SIZE) {
                byte[] r = ((records == 0 ? "" : ",") + record(records, "")).getBytes(StandardCharsets.UTF_8);
                out.write(r);
                written += r.length;
                records++;
            }
            out.write("]}".getBytes(StandardCharsets.UTF_8));
        }

        Path longString = tmp.resolve("long-string.json");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(longString), 1 << 16)) {
            out.write(("{\"Records\":[" + record(1, "") + ",").getBytes(StandardCharsets.UTF_8));
            String r2 = record(2, ",\"errorMessage\":\"@@\"");
            int hole = r2.indexOf("@@");
            out.write(r2.substring(0, hole).getBytes(StandardCharsets.UTF_8));
            writeRepeated(out, 'x', SIZE);
            out.write((r2.substring(hole + 2) + "," + record(3, "") + "]}").getBytes(StandardCharsets.UTF_8));
        }

        Path longLine = tmp.resolve("audit.log");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(longLine), 1 << 16)) {
            out.write(String.format(AUDIT, "a", "").getBytes(StandardCharsets.UTF_8));
            String l2 = String.format(AUDIT, "b", ",\"pad\":\"@@\"");
            int hole = l2.indexOf("@@");
            out.write(l2.substring(0, hole).getBytes(StandardCharsets.UTF_8));
            writeRepeated(out, 'y', SIZE);
            out.write(l2.substring(hole + 2).getBytes(StandardCharsets.UTF_8));
            out.write(String.format(AUDIT, "c", "").getBytes(StandardCharsets.UTF_8));
        }
        for (Path p : new Path[] {oneLine, longString, longLine}) {
            assertThat(Files.size(p))
                    .as("%s is larger than the child's heap", p)
                    .isGreaterThan(SIZE);
        }

        Path log = tmp.resolve("child.out");
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx" + HEAP_MIB + "m",
                        "-XX:+UseSerialGC",
                        "-XX:+ExitOnOutOfMemoryError",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Child.class.getName(),
                        oneLine.toString(),
                        longString.toString(),
                        longLine.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean done = child.waitFor(10, TimeUnit.MINUTES);
        if (!done) {
            child.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(done).as("child finished: %s", output).isTrue();
        assertThat(child.exitValue()).as("child exit: %s", output).isZero();
        assertThat(output)
                .contains("one-line.json events=" + records + " skipped=0 ")
                .contains("long-string.json events=2 skipped=1 first=" + longString
                        + " Records[1]: record is larger than 1024 KiB")
                .contains("audit.log events=2 skipped=1 first=" + longLine + ":2: line longer than 1024 KiB");
    }

    private static void writeRepeated(OutputStream out, char c, long n) throws IOException {
        byte[] chunk = new byte[1 << 16];
        Arrays.fill(chunk, (byte) c);
        for (long left = n; left > 0; left -= chunk.length) {
            out.write(chunk, 0, (int) Math.min(chunk.length, left));
        }
    }

    /** Runs in the child JVM: parses each file and prints what it found and the peak heap. */
    static final class Child {
        private Child() {}

        public static void main(String[] args) {
            Clock clock = Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC);
            UsageParser[] parsers = {
                new CloudTrailParser(clock), new CloudTrailParser(clock), new KubernetesAuditParser(clock)
            };
            for (int i = 0; i < args.length; i++) {
                Skips skips = new Skips();
                long[] events = {0};
                parsers[i].parse(Input.path(Path.of(args[i])), new UsageOptions("big"), e -> events[0]++, skips);
                System.out.println(Path.of(args[i]).getFileName() + " events=" + events[0] + " skipped=" + skips.count()
                        + " first=" + skips.examples().stream().findFirst().orElse("") + " ");
            }
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.println("peakHeapMiB=" + peak / (1024 * 1024));
        }
    }
}
