package dev.warden.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.discovery.Discovery;
import dev.warden.discovery.ImportOptions;
import dev.warden.input.Input;
import dev.warden.inventory.IdentityRecord;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code kubectl get serviceaccounts,secrets,pods -A -o json} of a big cluster, generated at test
 * time: 200,000 objects, larger on disk than the heap of the JVM that reads it. The read runs in a
 * child JVM with that small heap, so it passes only if the List is streamed item by item.
 */
class LargeListTest {
    static final int NAMESPACES = 100;
    static final int ACCOUNTS_PER_NAMESPACE = 100;
    static final int OBJECTS = 200_000;
    static final int HEAP_MIB = 64;

    @TempDir
    Path tmp;

    @Test
    void a_200000_object_list_is_read_in_a_heap_smaller_than_the_file() throws Exception {
        Path file = tmp.resolve("cluster.json");
        int pods = generate(file);
        assertThat(Files.size(file))
                .as("the file is twice the child's heap")
                .isGreaterThan(2L * HEAP_MIB * 1024 * 1024);

        Path out = tmp.resolve("child.out");
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx" + HEAP_MIB + "m",
                        "-XX:+UseSerialGC",
                        "-XX:+ExitOnOutOfMemoryError",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Child.class.getName(),
                        file.toString())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        boolean done = child.waitFor(10, TimeUnit.MINUTES);
        if (!done) {
            child.destroyForcibly();
        }
        String output = Files.readString(out);
        assertThat(done).as("child finished: %s", output).isTrue();
        assertThat(child.exitValue()).as("child exit: %s", output).isZero();
        assertThat(pods).isGreaterThan(NAMESPACES * ACCOUNTS_PER_NAMESPACE);
        int accounts = NAMESPACES * ACCOUNTS_PER_NAMESPACE;
        assertThat(output)
                .contains(
                        "records=" + accounts + " ", "workloads=" + accounts + " ", "tokens=" + NAMESPACES * 10 + " ");
    }

    /** Writes a kubectl-style List; returns how many pods it holds. */
    static int generate(Path file) throws IOException {
        int pods = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n");
            int written = 0;
            for (int n = 0; n < NAMESPACES; n++) {
                for (int a = 0; a < ACCOUNTS_PER_NAMESPACE; a++) {
                    w.write(written++ == 0 ? "" : ",\n");
                    w.write(
                            "        {\"apiVersion\": \"v1\", \"kind\": \"ServiceAccount\", \"metadata\": {\"name\": \"sa-"
                                    + a
                                    + "\", \"namespace\": \"ns-" + n + "\", \"uid\": \"" + uid(n, a)
                                    + "\", \"labels\": {\"team\": \"team-" + n % 7 + "\"}}}");
                }
                for (int t = 0; t < 10; t++) {
                    w.write(
                            ",\n        {\"apiVersion\": \"v1\", \"data\": {\"token\": \"RkFLRQ==\"}, \"kind\": \"Secret\","
                                    + " \"metadata\": {\"annotations\": {\"kubernetes.io/service-account.name\": \"sa-"
                                    + t
                                    + "\"}, \"name\": \"sa-" + t + "-token\", \"namespace\": \"ns-" + n
                                    + "\"}, \"type\": \"kubernetes.io/service-account-token\"}");
                    written++;
                }
            }
            while (written < OBJECTS) {
                int n = pods % NAMESPACES;
                int a = (pods / NAMESPACES) % ACCOUNTS_PER_NAMESPACE;
                w.write(",\n");
                w.write(pod(n, a, pods));
                written++;
                pods++;
            }
            w.write("\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {\"resourceVersion\": \"\"}\n}\n");
        }
        return pods;
    }

    private static String pod(int n, int a, int i) {
        String rs = "app-" + a + "-5d8f7c9b6";
        return "        {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"creationTimestamp\": \"2024-01-01T00:00:00Z\","
                + " \"generateName\": \"" + rs + "-\", \"labels\": {\"app.kubernetes.io/name\": \"app-" + a
                + "\", \"pod-template-hash\": \"5d8f7c9b6\"}, \"managedFields\": [{\"apiVersion\": \"v1\", \"fieldsType\": \"FieldsV1\","
                + " \"fieldsV1\": {\"f:metadata\": {\"f:generateName\": {}, \"f:labels\": {\".\": {}, \"f:app.kubernetes.io/name\": {}}},"
                + " \"f:spec\": {\"f:containers\": {\"k:{\\\"name\\\":\\\"app\\\"}\": {\".\": {}, \"f:image\": {}, \"f:name\": {}}}}},"
                + " \"manager\": \"kube-controller-manager\", \"operation\": \"Update\", \"time\": \"2024-01-01T00:00:00Z\"}],"
                + " \"name\": \"" + rs + "-p" + i + "\", \"namespace\": \"ns-" + n
                + "\", \"ownerReferences\": [{\"apiVersion\": \"apps/v1\","
                + " \"blockOwnerDeletion\": true, \"controller\": true, \"kind\": \"ReplicaSet\", \"name\": \"" + rs
                + "\", \"uid\": \""
                + uid(n, a) + "\"}], \"resourceVersion\": \"" + (100000 + i) + "\", \"uid\": \"" + uid(n, i) + "\"},"
                + " \"spec\": {\"containers\": [{\"image\": \"registry.example.com/app-" + a + ":1.0." + i % 50
                + "\", \"imagePullPolicy\": \"IfNotPresent\", \"name\": \"app\","
                + " \"ports\": [{\"containerPort\": 8080, \"protocol\": \"TCP\"}], \"volumeMounts\": [{\"mountPath\": \"/var/run/secrets/kubernetes.io/serviceaccount\","
                + " \"name\": \"kube-api-access-x7k2p\", \"readOnly\": true}]}], \"dnsPolicy\": \"ClusterFirst\", \"nodeName\": \"node-"
                + i % 300
                + "\", \"restartPolicy\": \"Always\", \"serviceAccount\": \"sa-" + a
                + "\", \"serviceAccountName\": \"sa-" + a + "\"},"
                + " \"status\": {\"phase\": \"Running\", \"podIP\": \"10." + n + "." + (i / 250) % 250 + "." + i % 250
                + "\", \"qosClass\": \"Burstable\"}}";
    }

    private static String uid(int a, int b) {
        return String.format("%08x-0000-4000-8000-%012x", a, b);
    }

    /** Runs in the child JVM: reads the file and prints what it found and the peak heap. */
    static final class Child {
        private Child() {}

        public static void main(String[] args) {
            Discovery d = new KubernetesConnector(Clock.systemUTC())
                    .discover(List.of(Input.path(Path.of(args[0]))), new ImportOptions(null, "big", null));
            long workloads = 0;
            long tokens = 0;
            for (IdentityRecord r : d.records()) {
                tokens += r.credentials().size();
                workloads += Long.parseLong(r.identity().attributes().getOrDefault("usedByWorkloads", "0"));
            }
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.println("records=" + d.records().size() + " workloads=" + workloads + " tokens=" + tokens
                    + " peakHeapMiB=" + peak / (1024 * 1024) + " ");
        }
    }
}
