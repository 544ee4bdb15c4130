package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code ./warden} launcher, run as a user would: on a checkout without a jar it builds
 * target/warden.jar with Maven, then runs it; a second run reuses the jar.
 *
 * <p>The launcher runs on a private copy of the checkout (what a build reads): building
 * in place would rewrite target/classes under the JVM running these tests.
 */
class LauncherTest {
    /** Generous: the first run builds the jar with Maven on a busy machine. */
    private static final long BUILD_MINUTES = 20;

    @TempDir
    Path dir;

    /** What one launcher run printed, and its exit code. */
    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @Test
    void launcher_builds_the_jar_then_prints_the_version_and_the_help() throws Exception {
        assumeTrue(onPath("mvn"), "mvn is not on PATH, so the launcher cannot build the jar");
        Path checkout = copyOfCheckout(Path.of("").toAbsolutePath());

        Run version = launch(checkout, "version");
        Run help = launch(checkout, "--help");

        assertThat(version.code()).as("%s", version).isZero();
        assertThat(version.err()).as("%s", version).contains("warden: building target/warden.jar");
        assertThat(checkout.resolve("target/warden.jar")).isRegularFile();
        assertThat(version.out().lines().toList())
                .as("%s", version)
                .singleElement()
                .asString()
                .matches("warden \\d+\\.\\d+\\.\\d+\\S* \\(java \\S+\\)");
        assertThat(help.code()).as("%s", help).isZero();
        assertThat(help.err()).as("the jar is fresh: no second build").doesNotContain("building");
        assertThat(help.out())
                .as("%s", help)
                .startsWith("Usage: warden ")
                .contains(
                        "Commands:",
                        "identities",
                        "audit",
                        "Exit codes: 0 ok, 1 a check failed, 2 usage or input error.");
    }

    /** What a build needs from {@code from} (the launcher, pom.xml, .mvn, src/main), with permissions and times. */
    private Path copyOfCheckout(Path from) throws IOException {
        assertThat(from.resolve("warden")).isExecutable();
        Path to = Files.createDirectories(dir.resolve("checkout"));
        for (String part : List.of("warden", "pom.xml", ".mvn", "src/main")) {
            Path top = from.resolve(part);
            if (!Files.exists(top)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(top)) {
                for (Path f : files.toList()) {
                    Path target = to.resolve(from.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
        return to;
    }

    private Run launch(Path checkout, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command(args))
                .directory(checkout.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        Process p = pb.start();
        try {
            assertThat(p.waitFor(BUILD_MINUTES, TimeUnit.MINUTES))
                    .as("./warden %s finished", String.join(" ", args))
                    .isTrue();
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("./warden");
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String entry : path.split(File.pathSeparator, -1)) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, program))) {
                return true;
            }
        }
        return false;
    }
}
