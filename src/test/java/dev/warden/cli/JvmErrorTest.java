package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JVM errors (out of memory, stack overflow) end a command with one line and exit 2, not a stack trace. */
class JvmErrorTest {
    @TempDir
    Path dir;

    @Test
    void a_scan_that_runs_out_of_heap_in_a_worker_thread_prints_one_line_and_exits_2() throws Exception {
        Path big = dir.resolve("big.log");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(256L << 20); // sparse: no disk used, but reading it needs 256 MiB of heap
        }
        Path log = dir.resolve("child.out");
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx48m",
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "scan",
                        "--max-file-size",
                        "1GB",
                        "--threads",
                        "1",
                        big.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean done = child.waitFor(5, TimeUnit.MINUTES);
        if (!done) {
            child.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(done).as("child finished: %s", output).isTrue();
        assertThat(child.exitValue()).as("%s", output).isEqualTo(2);
        assertThat(output.lines().toList())
                .as("%s", output)
                .singleElement()
                .asString()
                .startsWith("warden: error: out of memory (java heap space)");
    }

    @Test
    void a_stack_overflow_is_one_lower_case_line_and_verbose_adds_the_trace() {
        StringWriter plain = new StringWriter();
        int code = Main.fatal(new StackOverflowError(), false, new PrintWriter(plain));
        assertThat(code).isEqualTo(2);
        assertThat(plain.toString().lines().toList())
                .singleElement()
                .asString()
                .startsWith("warden: error: input nested too deeply (stack overflow)");

        StringWriter verbose = new StringWriter();
        Main.fatal(new StackOverflowError(), true, new PrintWriter(verbose));
        assertThat(verbose.toString()).contains("java.lang.StackOverflowError").contains("\tat ");
    }
}
