package dev.warden.scan;

import static dev.warden.scan.Samples.ALNUM;
import static dev.warden.scan.Samples.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real files and trees: ignore rules, skips, limits and hostile input. */
class FileScannerTest {
    @TempDir
    Path dir;

    private final String token = "ghp_" + random(ALNUM, 36, 11);

    private FileScanner scanner(long maxSize, boolean ignore, boolean follow) {
        Engine engine = new Engine(RuleSet.defaults(RuleContractTest.CLOCK), Fingerprinter.ephemeral());
        return new FileScanner(engine, new FileScanner.Options(maxSize, ignore, follow, 2));
    }

    private Path write(String rel, String content) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    @Test
    void walks_a_tree_reports_relative_paths_and_respects_gitignore_unless_told_not_to() throws IOException {
        write("src/app.env", "GITHUB_TOKEN=" + token + "\n");
        write("build/out.env", "GITHUB_TOKEN=" + token + "\n");
        write("src/gen/skip.env", "GITHUB_TOKEN=" + token + "\n");
        write(".gitignore", "build/\n");
        write("src/.gitignore", "gen/\n!keep.env\n");
        write(".git/config", "token = " + token + "\n");
        ScanStats stats = new ScanStats();
        List<Hit> hits = scanner(1 << 20, true, false).scan(List.of(dir), stats);
        assertThat(hits).extracting(Hit::path).containsExactly(dir + "/src/app.env");
        assertThat(stats.summary().skipped()).containsEntry("ignored", 2L);

        ScanStats all = new ScanStats();
        List<Hit> everything = scanner(1 << 20, false, false).scan(List.of(dir), all);
        assertThat(everything)
                .extracting(Hit::path)
                .containsExactlyInAnyOrder(dir + "/build/out.env", dir + "/src/app.env", dir + "/src/gen/skip.env");
    }

    @Test
    void binary_files_are_skipped_and_archives_too_deep_or_not_opened_are_counted() throws IOException {
        byte[] bin = ("GITHUB_TOKEN=" + token + "\n\0\0\0").getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("blob.bin"), bin);
        byte[] zip = ("GITHUB_TOKEN=" + token).getBytes(StandardCharsets.UTF_8);
        for (int level = 0; level < 30; level++) { // an archive nested 30 deep
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (ZipOutputStream z = new ZipOutputStream(b)) {
                z.putNextEntry(new ZipEntry(level == 0 ? "secret.env" : "inner.zip"));
                z.write(zip);
            }
            zip = b.toByteArray();
        }
        Files.write(dir.resolve("nested.zip"), zip);
        ScanStats stats = new ScanStats();
        assertThat(scanner(1 << 20, true, false).scan(List.of(dir), stats)).isEmpty();
        assertThat(stats.summary().skipped()).containsEntry("binary", 1L).containsEntry("archive-depth", 1L);

        Engine engine = new Engine(RuleSet.defaults(RuleContractTest.CLOCK), Fingerprinter.ephemeral());
        ScanStats closed = new ScanStats();
        FileScanner.Options noArchives =
                new FileScanner.Options(1 << 20, true, false, 2, ArchiveLimits.defaults(0, 1 << 20));
        assertThat(new FileScanner(engine, noArchives).scan(List.of(dir), closed))
                .isEmpty();
        assertThat(closed.summary().skipped()).containsEntry("binary", 2L);
    }

    @Test
    void a_sparse_1_gb_file_is_skipped_as_too_large_without_reading_it() throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("huge.log").toFile(), "rw")) {
            f.setLength(1L << 30);
        }
        ScanStats stats = new ScanStats();
        assertThat(scanner(Limits.DEFAULT_MAX_FILE_SIZE, true, false).scan(List.of(dir), stats))
                .isEmpty();
        assertThat(stats.summary().skipped()).containsEntry("too-large", 1L);
        assertThat(stats.summary().bytes()).isZero();
    }

    @Test
    void a_100_mb_line_is_scanned_in_bounded_windows_when_the_limit_allows() throws IOException {
        Path p = dir.resolve("minified.js");
        try (OutputStream out = Files.newOutputStream(p)) {
            byte[] chunk = "a=1;b=function(x){return x*2};".repeat(1024).getBytes(StandardCharsets.US_ASCII);
            for (long written = 0; written < 100L * 1024 * 1024; written += chunk.length) {
                out.write(chunk);
            }
            out.write(("var t='" + token + "';").getBytes(StandardCharsets.US_ASCII));
        }
        ScanStats stats = new ScanStats();
        List<Hit> hits = scanner(200L * 1024 * 1024, true, false).scan(List.of(p), stats);
        assertThat(hits).singleElement().satisfies(h -> {
            assertThat(h.line()).isEqualTo(1);
            assertThat(h.secret()).isEqualTo(token);
        });
    }

    @Test
    void symlinks_are_skipped_by_default_and_loops_are_detected_when_following() throws IOException {
        write("real/app.env", "GITHUB_TOKEN=" + token + "\n");
        Files.createSymbolicLink(dir.resolve("real/loop"), dir.resolve("real"));
        Files.createSymbolicLink(dir.resolve("link.env"), dir.resolve("real/app.env"));
        Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        ScanStats stats = new ScanStats();
        assertThat(scanner(1 << 20, true, false).scan(List.of(dir), stats)).hasSize(1);
        assertThat(stats.summary().skipped()).containsEntry("symlink", 3L);

        ScanStats follow = new ScanStats();
        List<Hit> hits = scanner(1 << 20, true, true).scan(List.of(dir), follow);
        assertThat(hits).extracting(Hit::path).containsExactlyInAnyOrder(dir + "/link.env", dir + "/real/app.env");
        assertThat(follow.summary().skipped()).containsEntry("symlink-loop", 1L).containsEntry("unreadable", 1L);
    }

    @Test
    void special_files_are_skipped_without_blocking() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mk.waitFor() == 0, "mkfifo is available");
        ScanStats stats = new ScanStats();
        assertThat(scanner(1 << 20, true, false).scan(List.of(dir), stats)).isEmpty();
        assertThat(stats.summary().skipped()).containsEntry("special", 1L);
    }

    @Test
    void an_unreadable_file_is_counted_with_its_reason() {
        // Tests run as root, so chmod cannot make a file unreadable; /proc/self/mem is a regular file
        // whose first page cannot be read by anyone (EIO), which is what an unreadable file looks like.
        Path mem = Path.of("/proc/self/mem");
        assumeTrue(Files.isRegularFile(mem), "Linux /proc is mounted");
        ScanStats stats = new ScanStats();
        assertThat(scanner(1 << 20, true, false).scan(List.of(mem), stats)).isEmpty();
        assertThat(stats.summary().skipped()).containsEntry("unreadable", 1L);
        assertThat(stats.summary().problems()).singleElement().asString().startsWith("/proc/self/mem: ");
    }

    @Test
    void a_missing_path_is_a_usage_error() {
        assertThatThrownBy(() -> scanner(1 << 20, true, false).scan(List.of(dir.resolve("nope")), new ScanStats()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("nope: no such file or directory");
    }

    @Test
    void path_only_rules_from_a_rule_file_flag_binary_key_stores() throws IOException {
        Files.write(dir.resolve("client.p12"), new byte[] {0x30, (byte) 0x82, 0, 0, 1, 2, 3});
        Engine engine = new Engine(
                GitleaksConfig.load(Path.of("src/test/resources/scan/gitleaks-rules.toml"), RuleContractTest.CLOCK),
                Fingerprinter.ephemeral());
        List<Hit> hits = new FileScanner(engine, new FileScanner.Options(1 << 20, true, false, 1))
                .scan(List.of(dir), new ScanStats());
        assertThat(hits).singleElement().satisfies(h -> {
            assertThat(h.rule()).isEqualTo("pkcs12-file");
            assertThat(h.redacted()).isEqualTo("(file)");
        });
    }
}
