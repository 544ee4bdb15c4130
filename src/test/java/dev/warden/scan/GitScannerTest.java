package dev.warden.scan;

import static dev.warden.scan.Samples.ALNUM;
import static dev.warden.scan.Samples.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** History scans of a real repository made with JGit: commits, branches, deleted secrets. */
class GitScannerTest {
    @TempDir
    Path dir;

    private Git git;
    private int tick;
    private final String token = "ghp_" + random(ALNUM, 36, 21);
    private final String branchToken = "glpat-" + random(ALNUM, 20, 22);

    @BeforeEach
    void init() throws Exception {
        git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
    }

    @AfterEach
    void close() {
        git.close();
    }

    private RevCommit commit(String file, String content, String message) throws Exception {
        Path p = dir.resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        git.add().addFilepattern(file).call();
        PersonIdent who = new PersonIdent(
                "Dev One",
                "dev@example.org",
                Instant.parse("2026-01-01T00:00:00Z").plusSeconds(60L * tick++),
                ZoneOffset.UTC);
        return git.commit().setMessage(message).setAuthor(who).setCommitter(who).call();
    }

    private GitScanner scanner(boolean allRefs, String since) {
        Engine engine = new Engine(RuleSet.defaults(RuleContractTest.CLOCK), Fingerprinter.ephemeral());
        return new GitScanner(engine, new GitScanner.Options(allRefs, since, 1 << 20, 2));
    }

    @Test
    void reports_each_secret_once_with_the_commit_that_introduced_it_and_whether_head_still_has_it() throws Exception {
        commit("README.md", "# app\n", "init");
        RevCommit added = commit("config/app.env", "LOG=debug\nGITHUB_TOKEN=" + token + "\n", "add config");
        commit("config/app.env", "LOG=info\nGITHUB_TOKEN=" + token + "\n", "touch config, secret unchanged");
        commit("config/copy.env", "GITHUB_TOKEN=" + token + "\n", "copy the secret elsewhere");
        RevCommit removed = commit("config/app.env", "LOG=info\n", "remove secret");
        ScanStats stats = new ScanStats();
        List<Hit> hits = scanner(false, null).history(dir, stats);
        assertThat(hits).singleElement().satisfies(h -> {
            assertThat(h.rule()).isEqualTo("github-token");
            assertThat(h.commit()).isEqualTo(added.getName());
            assertThat(h.path()).isEqualTo("config/app.env");
            assertThat(h.line()).isEqualTo(2);
            assertThat(h.author()).isEqualTo("Dev One <dev@example.org>");
            assertThat(h.date()).isEqualTo(Instant.parse("2026-01-01T00:01:00Z"));
            assertThat(h.presentAtHead()).isFalse();
        });
        assertThat(stats.summary().commits()).isEqualTo(5);
        assertThat(removed).isNotNull();
    }

    @Test
    void a_secret_still_at_head_is_marked_present() throws Exception {
        commit("a.env", "GITHUB_TOKEN=" + token + "\n", "add");
        assertThat(scanner(false, null).history(dir, new ScanStats()))
                .singleElement()
                .satisfies(h -> assertThat(h.presentAtHead()).isTrue());
    }

    @Test
    void all_refs_finds_secrets_on_other_branches_and_since_limits_the_range() throws Exception {
        RevCommit base = commit("a.txt", "hello\n", "init");
        git.checkout().setCreateBranch(true).setName("feature").call();
        commit("b.env", "GITLAB_TOKEN=" + branchToken + "\n", "feature secret");
        git.checkout().setName("main").call();
        commit("c.env", "GITHUB_TOKEN=" + token + "\n", "main secret");

        assertThat(scanner(false, null).history(dir, new ScanStats()))
                .extracting(Hit::rule)
                .containsExactly("github-token");
        assertThat(scanner(true, null).history(dir, new ScanStats()))
                .extracting(Hit::rule)
                .containsExactlyInAnyOrder("github-token", "gitlab-token");
        ScanStats since = new ScanStats();
        assertThat(scanner(true, base.getName()).history(dir, since)).hasSize(2);
        assertThat(since.summary().commits()).isEqualTo(2);
        assertThatThrownBy(() -> scanner(false, "no-such-rev").history(dir, new ScanStats()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--since 'no-such-rev' names no revision");
    }

    @Test
    void staged_scans_only_what_the_next_commit_adds() throws Exception {
        commit("a.env", "GITHUB_TOKEN=" + token + "\n", "already committed");
        Files.writeString(dir.resolve("a.env"), "GITHUB_TOKEN=" + token + "\nGITLAB_TOKEN=" + branchToken + "\n");
        Files.writeString(dir.resolve("unstaged.env"), "GITHUB_TOKEN=ghp_" + random(ALNUM, 36, 23) + "\n");
        git.add().addFilepattern("a.env").call();
        List<Hit> hits = scanner(false, null).staged(dir, new ScanStats());
        assertThat(hits).singleElement().satisfies(h -> {
            assertThat(h.rule()).isEqualTo("gitlab-token");
            assertThat(h.line()).isEqualTo(2);
            assertThat(h.commit()).isNull();
        });
    }

    @Test
    void an_empty_repository_has_no_history_and_a_plain_directory_is_not_a_repository(@TempDir Path plain) {
        assertThat(scanner(false, null).history(dir, new ScanStats())).isEmpty();
        assertThatThrownBy(() -> scanner(false, null).history(plain, new ScanStats()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a git repository");
    }

    @Test
    void a_broken_repository_is_a_clear_error_naming_the_missing_object() throws Exception {
        commit("a.env", "GITHUB_TOKEN=" + token + "\n", "add");
        RevCommit second = commit("b.env", "x=1\n", "more");
        String tree = second.getTree().getName();
        Path object = dir.resolve(".git/objects/" + tree.substring(0, 2) + "/" + tree.substring(2));
        Files.delete(object);
        assertThatThrownBy(() -> scanner(false, null).history(dir, new ScanStats()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broken git repository")
                .hasMessageContaining(tree);
    }

    @Test
    void a_corrupt_object_is_a_clear_error_too() throws Exception {
        commit("a.env", "x=1\n", "add");
        try (Stream<Path> objects = Files.walk(dir.resolve(".git/objects"))) {
            for (Path p : objects.filter(Files::isRegularFile).toList()) {
                Files.write(p, new byte[] {1, 2, 3, 4});
            }
        }
        assertThatThrownBy(() -> scanner(false, null).history(dir, new ScanStats()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.toString());
    }
}
