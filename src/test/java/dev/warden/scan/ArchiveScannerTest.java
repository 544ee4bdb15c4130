package dev.warden.scan;

import static dev.warden.scan.Samples.ALNUM;
import static dev.warden.scan.Samples.random;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real zip, jar, tar, tar.gz and gz files written by the test: members, nesting, bombs, corruption. */
class ArchiveScannerTest {
    @TempDir
    Path dir;

    private static String token(int seed) {
        return "ghp_" + random(ALNUM, 36, 100 + seed);
    }

    private static byte[] env(int seed) {
        return ("GITHUB_TOKEN=" + token(seed) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private List<Hit> scan(ArchiveLimits limits, ScanStats stats) {
        Engine engine = new Engine(RuleSet.defaults(RuleContractTest.CLOCK), Fingerprinter.ephemeral());
        return new FileScanner(engine, new FileScanner.Options(1 << 26, true, false, 2, limits))
                .scan(List.of(dir), stats);
    }

    private List<Hit> scan(int depth, ScanStats stats) {
        return scan(ArchiveLimits.defaults(depth, 1 << 26), stats);
    }

    static byte[] zip(Map<String, byte[]> members) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                z.putNextEntry(new ZipEntry(m.getKey()));
                z.write(m.getValue());
                z.closeEntry();
            }
        }
        return b.toByteArray();
    }

    static byte[] tar(Map<String, byte[]> members) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(b)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(m.getKey());
                e.setSize(m.getValue().length);
                t.putArchiveEntry(e);
                t.write(m.getValue());
                t.closeArchiveEntry();
            }
        }
        return b.toByteArray();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream g = new GZIPOutputStream(b)) {
            g.write(data);
        }
        return b.toByteArray();
    }

    private static Map<String, byte[]> members(Object... nameThenBytes) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenBytes.length; i += 2) {
            m.put((String) nameThenBytes[i], (byte[]) nameThenBytes[i + 1]);
        }
        return m;
    }

    @Test
    void secrets_inside_zip_jar_tar_tgz_and_gz_are_reported_with_bang_paths() throws IOException {
        Files.write(dir.resolve("app.jar"), zip(members("BOOT-INF/classes/application.properties", env(1))));
        Files.write(dir.resolve("dist.tar"), tar(members("etc/app.env", env(2))));
        Files.write(dir.resolve("dist.tgz"), gzip(tar(members("etc/app.env", env(3)))));
        Files.write(dir.resolve("app.env.gz"), gzip(env(4)));
        byte[] inner = gzip(tar(members("file.properties", env(5))));
        Files.write(
                dir.resolve("outer.zip"),
                zip(members("dir/inner.tar.gz", inner, "README.md", "no secret".getBytes(StandardCharsets.UTF_8))));
        ScanStats stats = new ScanStats();

        List<Hit> hits = scan(ArchiveLimits.DEFAULT_DEPTH, stats);

        assertThat(hits)
                .extracting(Hit::path)
                .containsExactlyInAnyOrder(
                        dir + "/app.jar!BOOT-INF/classes/application.properties",
                        dir + "/dist.tar!etc/app.env",
                        dir + "/dist.tgz!etc/app.env",
                        dir + "/app.env.gz!app.env",
                        dir + "/outer.zip!dir/inner.tar.gz!file.properties");
        assertThat(hits).extracting(Hit::line).containsOnly(1);
        assertThat(stats.summary().files()).isEqualTo(6); // five secrets and the README
        assertThat(stats.summary().skipped()).isEmpty();
        assertThat(ReportWriter.uri("outer.zip!dir/inner.tar.gz!file.properties"))
                .isEqualTo("outer.zip!dir/inner.tar.gz!file.properties");
    }

    @Test
    void an_archive_nested_ten_deep_is_opened_to_the_depth_limit_and_the_rest_is_counted() throws IOException {
        byte[] archive = null;
        for (int level = 10; level >= 1; level--) { // zip and tar.gz alternating, a secret at every level
            Map<String, byte[]> m = members("secret-" + level + ".env", env(level));
            if (archive != null) {
                m.put(level % 2 == 0 ? "inner.zip" : "inner.tgz", archive);
            }
            archive = level % 2 == 1 ? zip(m) : gzip(tar(m));
        }
        Files.write(dir.resolve("deep.zip"), archive);

        ScanStats three = new ScanStats();
        assertThat(scan(3, three))
                .extracting(Hit::path)
                .containsExactlyInAnyOrder(
                        dir + "/deep.zip!secret-1.env",
                        dir + "/deep.zip!inner.tgz!secret-2.env",
                        dir + "/deep.zip!inner.tgz!inner.zip!secret-3.env");
        assertThat(three.summary().skipped()).containsExactly(Map.entry("archive-depth", 1L));

        ScanStats ten = new ScanStats();
        assertThat(scan(10, ten)).hasSize(10);
        assertThat(ten.summary().skipped()).isEmpty();

        ScanStats closed = new ScanStats();
        assertThat(scan(0, closed)).isEmpty();
        assertThat(closed.summary().skipped()).containsExactly(Map.entry("binary", 1L));
    }

    @Test
    void a_bomb_like_high_ratio_member_stops_that_archive_and_keeps_what_was_found() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            z.putNextEntry(new ZipEntry("first.env"));
            z.write(env(1));
            z.putNextEntry(new ZipEntry("zeros.txt")); // 256 MiB of zeros: about 250 KB compressed
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 256; i++) {
                z.write(zeros);
            }
            z.putNextEntry(new ZipEntry("after.env"));
            z.write(env(2));
        }
        Files.write(dir.resolve("bomb.zip"), b.toByteArray());
        Files.write(dir.resolve("plain.env"), env(3));
        ScanStats stats = new ScanStats();

        List<Hit> hits = scan(ArchiveLimits.DEFAULT_DEPTH, stats);

        assertThat(hits)
                .extracting(Hit::path)
                .containsExactlyInAnyOrder(dir + "/bomb.zip!first.env", dir + "/plain.env");
        assertThat(stats.summary().skipped()).containsExactly(Map.entry("archive-limit", 1L));
        assertThat(stats.summary().problems())
                .singleElement()
                .asString()
                .contains("bomb.zip!zeros.txt")
                .contains("expands more than 100 times");
    }

    @Test
    void members_past_the_member_count_or_size_limits_are_counted() throws IOException {
        Map<String, byte[]> many = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            many.put("f" + i + ".env", env(i));
        }
        Files.write(dir.resolve("many.zip"), zip(many));
        ScanStats stats = new ScanStats();
        List<Hit> hits = scan(new ArchiveLimits(3, 1 << 30, 4, 100, 1 << 20), stats);
        assertThat(hits).hasSize(4); // the fifth member trips the count before it is read
        assertThat(stats.summary().skipped()).containsExactly(Map.entry("archive-limit", 1L));

        Files.delete(dir.resolve("many.zip"));
        byte[] big = new byte[4096];
        Arrays.fill(big, (byte) 'x');
        Files.write(dir.resolve("big.zip"), zip(members("big.txt", big, "small.env", env(1))));
        ScanStats sized = new ScanStats();
        assertThat(scan(new ArchiveLimits(3, 1 << 30, 100, 100, 1024), sized))
                .extracting(Hit::path)
                .containsExactly(dir + "/big.zip!small.env");
        assertThat(sized.summary().skipped()).containsExactly(Map.entry("archive-limit", 1L));
    }

    @Test
    void a_corrupt_archive_is_counted_and_the_scan_goes_on() throws IOException {
        byte[] noise = new byte[20_000];
        new java.util.Random(7).nextBytes(noise); // incompressible: the cut falls inside it
        byte[] good = zip(members("a.env", env(1), "b.env", env(2), "c.bin", noise));
        Files.write(dir.resolve("truncated.zip"), Arrays.copyOf(good, good.length / 2));
        byte[] gz = gzip(tar(members("x.env", env(3))));
        for (int i = 20; i < gz.length - 8; i++) {
            gz[i] ^= 0x5a; // a broken deflate stream behind a valid gzip header
        }
        Files.write(dir.resolve("broken.tgz"), gz);
        Files.write(dir.resolve("plain.env"), env(4));
        ScanStats stats = new ScanStats();

        List<Hit> hits = scan(ArchiveLimits.DEFAULT_DEPTH, stats);

        assertThat(hits).extracting(Hit::path).contains(dir + "/plain.env", dir + "/truncated.zip!a.env");
        assertThat(stats.summary().skipped()).containsEntry("archive-corrupt", 2L);
    }

    @Test
    void a_zip_slip_member_name_is_only_a_label_and_nothing_is_written() throws IOException {
        Path scanned = Files.createDirectory(dir.resolve("scanned"));
        Files.write(
                scanned.resolve("evil.zip"),
                zip(members("../../escaped.env", env(1), "/etc/cron.d/x\nfake.env", env(2))));
        ScanStats stats = new ScanStats();
        Engine engine = new Engine(RuleSet.defaults(RuleContractTest.CLOCK), Fingerprinter.ephemeral());
        List<Hit> hits =
                new FileScanner(engine, new FileScanner.Options(1 << 20, true, false, 1)).scan(List.of(scanned), stats);

        assertThat(hits)
                .extracting(Hit::path)
                .containsExactlyInAnyOrder(
                        scanned + "/evil.zip!../../escaped.env", scanned + "/evil.zip!/etc/cron.d/x?fake.env");
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)).containsExactly(scanned.resolve("evil.zip"));
        }
        assertThat(dir.getParent().resolve("escaped.env")).doesNotExist();
    }
}
