package dev.warden.posture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.posture.checks.BuiltInChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PosturePolicyTest {
    private static final Set<String> CHECKS = BuiltInChecks.registry().ids();

    @TempDir
    Path dir;

    @Test
    void defaults_are_the_documented_file() {
        PosturePolicy p = PosturePolicy.defaults();
        assertThat(p.usageWindowDays()).isEqualTo(90);
        assertThat(p.dormantDays()).isEqualTo(90);
        assertThat(p.neverUsedGraceDays()).isEqualTo(30);
        assertThat(p.maxCredentialAgeDays()).isEqualTo(90);
        assertThat(p.maxCertificateValidityDays()).isEqualTo(398);
        assertThat(p.expiringWithinDays()).isEqualTo(30);
        assertThat(p.minRsaBits()).isEqualTo(2048);
        assertThat(p.isProduction("PROD")).isTrue();
        assertThat(p.isProduction("staging")).isFalse();
        assertThat(p.isPlaceholderOwner(" Unknown ")).isTrue();
        assertThat(p.disabledChecks()).isEmpty();
        assertThat(p.toJson()).contains("\"nhi1.dormantDays\":90");
    }

    @Test
    void a_file_overrides_only_what_it_names() throws Exception {
        Path f = dir.resolve("policy.yaml");
        Files.writeString(f, "# ours\nnhi1:\n  dormantDays: 60\nnhi3:\n  trustedAccounts: ['123456789012']\n");
        PosturePolicy p = PosturePolicy.load(f, CHECKS);
        assertThat(p.dormantDays()).isEqualTo(60);
        assertThat(p.neverUsedGraceDays()).isEqualTo(30);
        assertThat(p.trustedAccounts()).containsExactly("123456789012");
        assertThat(PosturePolicy.load(write(""), CHECKS).dormantDays()).isEqualTo(90);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "nhi1:\\n  dormantDay: 60|unknown key 'nhi1.dormantDay' (known: nhi1.dormantDays, nhi1.neverUsedGraceDays, nhi1.placeholderOwners)",
                "nhi11: {x: 1}|unknown key 'nhi11'",
                "usageWindow: 30|unknown key 'usageWindow'",
                "nhi1: {dormantDays: ninety}|nhi1.dormantDays must be a whole number, not 'ninety'",
                "nhi1: {dormantDays: '90'}|nhi1.dormantDays must be a whole number, not '90'",
                "nhi1: {dormantDays: 90.5}|nhi1.dormantDays must be a whole number",
                "nhi1: {dormantDays: [90]}|nhi1.dormantDays must be a whole number, not a list",
                "nhi1: {dormantDays: -5}|nhi1.dormantDays must be between 1 and 36500, not -5",
                "nhi1: {dormantDays: 0}|nhi1.dormantDays must be between 1 and 36500, not 0",
                "nhi9: {maxSourceIps: 99999999999}|nhi9.maxSourceIps must be a whole number",
                "nhi1: 5|nhi1 must be a mapping",
                "productionEnvironments: prod|productionEnvironments must be a list of strings, not 'prod'",
                "productionEnvironments: [prod, 3]|productionEnvironments must be a list of non-empty strings",
                "disabledChecks: [nhi1-typo]|disabledChecks: unknown check 'nhi1-typo'",
                "nhi3: {trustedAccounts: ['12345']}|'12345' is not a 12-digit AWS account id",
                "nhi7: {maxCredentialAgeDays: 400}|nhi7.highCredentialAgeDays must not be less than nhi7.maxCredentialAgeDays",
                "lifecycle: {urgentWithinDays: 40}|lifecycle.urgentWithinDays must not be more than lifecycle.expiringWithinDays",
                "nhi1: {dormantDays: 1}\\nnhi1: {dormantDays: 2}|:2: at /nhi1: malformed YAML: duplicate field 'nhi1'",
                "- a\\n- b|a policy must be a mapping",
                "a: [unclosed|:1: at /a/0: malformed YAML"
            })
    void a_bad_policy_is_one_line_naming_the_file_and_key(String yaml, String message) throws Exception {
        Path f = write(yaml.replace("\\n", "\n"));
        assertThatThrownBy(() -> PosturePolicy.load(f, CHECKS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(f.toString() + ":")
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void a_missing_huge_or_binary_file_is_refused() throws Exception {
        assertThatThrownBy(() -> PosturePolicy.load(dir.resolve("nope.yaml"), CHECKS))
                .hasMessageContaining("does not exist");
        Path huge = dir.resolve("huge.yaml");
        Files.writeString(huge, "# " + "x".repeat(1_100_000));
        assertThatThrownBy(() -> PosturePolicy.load(huge, CHECKS)).hasMessageContaining("larger than");
        Path binary = dir.resolve("bin.yaml");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        assertThatThrownBy(() -> PosturePolicy.load(binary, CHECKS)).isInstanceOf(IllegalArgumentException.class);
    }

    private Path write(String text) throws Exception {
        Path f = Files.createTempFile(dir, "policy", ".yaml");
        Files.writeString(f, text);
        return f;
    }
}
