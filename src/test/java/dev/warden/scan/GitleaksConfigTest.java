package dev.warden.scan;

import static dev.warden.scan.Samples.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** gitleaks rule files load as they are; bad ones are refused with the file, rule and reason. */
class GitleaksConfigTest {
    static final Path FIXTURE = Path.of("src/test/resources/scan/gitleaks-rules.toml");

    @TempDir
    Path dir;

    private Path toml(String text) throws IOException {
        Path p = dir.resolve("rules.toml");
        Files.writeString(p, text);
        return p;
    }

    private List<Hit> scan(RuleSet rules, String path, String text) {
        return new Engine(rules, Fingerprinter.ephemeral())
                .scan(path, text, null, null)
                .hits();
    }

    @Test
    void loads_rules_allowlists_and_extends_the_defaults() {
        RuleSet rules = GitleaksConfig.load(FIXTURE, RuleContractTest.CLOCK);
        assertThat(rules.rule("acme-api-key")).isNotNull();
        assertThat(rules.rule("github-token"))
                .as("useDefault keeps Warden's rules")
                .isNotNull();
        assertThat(rules.rule("mailchimp-api-key")).as("disabledRules").isNull();
        String key = "acme_" + random("abcdefghijklmnopqrstuvwxyz0123456789", 32, 1);
        assertThat(scan(rules, "src/a.py", "k = '" + key + "'"))
                .extracting(Hit::rule)
                .containsExactly("acme-api-key");
        assertThat(scan(rules, "testdata/a.py", "k = '" + key + "'"))
                .as("rule allowlist paths")
                .isEmpty();
        assertThat(scan(rules, "vendor/lib/a.py", "k = '" + key + "'"))
                .as("global allowlist paths")
                .isEmpty();
        assertThat(scan(rules, "a.py", "k = 'acme_ffffffff" + key.substring(13) + "'"))
                .as("global regexes")
                .isEmpty();
        String legacy = "ACMETOKEN-" + random(Samples.UPPER_ALNUM, 20, 2);
        assertThat(scan(rules, "a.txt", legacy)).extracting(Hit::rule).containsExactly("acme-legacy-token");
        assertThat(scan(rules, "a.txt", legacy + " # legacy-ok"))
                .as("line allowlist")
                .isEmpty();
    }

    @Test
    void secret_group_and_entropy_work_as_in_gitleaks() throws IOException {
        Path p = toml("""
                [[rules]]
                id = "kv"
                regex = '''(?i)(?:mykey)\\s*=\\s*"([a-z0-9]{16,})"'''
                entropy = 3.0
                keywords = ["MyKey"]
                """);
        RuleSet rules = GitleaksConfig.load(p, RuleContractTest.CLOCK);
        assertThat(rules.rules()).hasSize(1);
        assertThat(scan(rules, "a", "mykey = \"q8w7e6r5t4y3u2i1o9p0\""))
                .singleElement()
                .satisfies(h -> assertThat(h.secret()).isEqualTo("q8w7e6r5t4y3u2i1o9p0"));
        assertThat(scan(rules, "a", "mykey = \"aaaaaaaaaaaaaaaaaaaa\""))
                .as("low entropy")
                .isEmpty();
    }

    @Test
    void extend_path_inherits_another_file_and_loops_are_refused() throws IOException {
        Files.writeString(dir.resolve("base.toml"), """
                [[rules]]
                id = "base-rule"
                regex = '''BASE-[0-9]{8}'''
                keywords = ["base-"]
                """);
        Path top = toml("""
                [extend]
                path = "base.toml"
                [[rules]]
                id = "top-rule"
                regex = '''TOP-[0-9]{8}'''
                keywords = ["top-"]
                """);
        assertThat(GitleaksConfig.load(top, RuleContractTest.CLOCK).rules())
                .extracting(Rule::id)
                .containsExactly("base-rule", "top-rule");
        Files.writeString(dir.resolve("loop.toml"), "[extend]\npath = \"loop.toml\"\n");
        assertThatThrownBy(() -> GitleaksConfig.load(dir.resolve("loop.toml"), RuleContractTest.CLOCK))
                .hasMessageContaining("loops back");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            (a+)+$(?=x)                 | does not compile as RE2
            (\\w+)\\1                   | does not compile as RE2
            (a{1000}){1000}             | nested counted repetitions expand to 1000000
            ((a{100}){100}){100}        | nested counted repetitions expand
            (x*)?                       | matches the empty string
            """)
    void pathological_regexes_are_refused_with_the_rule_id_and_reason(String regex, String reason) throws IOException {
        Path p = toml("[[rules]]\nid = \"evil-rule\"\nregex = '''" + regex + "'''\nkeywords = [\"x\"]\n");
        assertThatThrownBy(() -> GitleaksConfig.load(p, RuleContractTest.CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rules file " + p)
                .hasMessageContaining("rule 'evil-rule'")
                .hasMessageContaining(reason);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            [[rules]\\nid = 'x'                                      | malformed TOML at line 2
            title = 'a'\\n\\n[[rules]]\\nid = 'x'\\nregex = 'a\\nb'   | malformed TOML at line 5
            [[rules]]\\nid = 'x'\\nregex = 5                          | regex must be a string
            [[rules]]\\nid = 'x'\\nregex = 'a'\\nkeywords = 'a'       | keywords must be an array of strings
            [[rules]]\\nid = 'x'\\nregex = 'a'\\nsecretGroup = 3      | secretGroup 3 but the regex has 0 groups
            [[rules]]\\nid = 'x'\\nregex = 'a'\\nentropy = 'high'     | entropy must be a number
            [[rules]]\\nregex = 'a'                                  | id is required
            [[rules]]\\nid = 'x'                                     | needs a regex or a path
            [[rules]]\\nid = 'x'\\nregex = 'a'\\n[[rules]]\\nid = 'x'\\nregex = 'b' | defined twice
            [allowlist]\\nregexTarget = 'everything'                 | regexTarget must be secret, match or line
            title = 'only a title'                                   | defines no rules
            """)
    void malformed_files_are_refused_naming_the_file_and_the_problem(String text, String problem) throws IOException {
        Path p = toml(text.replace("\\n", "\n"));
        assertThatThrownBy(() -> GitleaksConfig.load(p, RuleContractTest.CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("rules file " + p)
                .hasMessageContaining(problem);
    }

    @Test
    void a_missing_or_binary_file_is_refused() throws IOException {
        assertThatThrownBy(() -> GitleaksConfig.load(dir.resolve("none.toml"), RuleContractTest.CLOCK))
                .hasMessageContaining("no such file");
        Path bin = dir.resolve("bin.toml");
        Files.write(bin, new byte[] {0, (byte) 0xff, 0x7f, '[', '['});
        assertThatThrownBy(() -> GitleaksConfig.load(bin, RuleContractTest.CLOCK))
                .hasMessageContaining("malformed TOML");
    }

    @Test
    void expansion_counts_nested_bounds_only() {
        assertThat(GitleaksConfig.expansion("a{3}b{5}")).isEqualTo(5);
        assertThat(GitleaksConfig.expansion("(a{3}){4}")).isEqualTo(12);
        assertThat(GitleaksConfig.expansion("[{]{2}(x)*")).isEqualTo(2);
        assertThat(GitleaksConfig.expansion("\\{100}")).isEqualTo(1);
    }
}
