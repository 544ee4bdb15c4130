package dev.warden.usage.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.warden.discovery.Fixture;
import dev.warden.input.Input;
import dev.warden.usage.UsageEvent;
import dev.warden.usage.UsageException;
import dev.warden.usage.UsageParser;
import dev.warden.usage.UsageParserContract;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class VaultAuditParserTest extends UsageParserContract {
    private static final String APPROLE = "vault://approle/role/ansible";
    private static final String K8S = "vault://kubernetes/role/orders-api";

    private final VaultAuditParser parser = new VaultAuditParser(clock);

    @Override
    protected UsageParser parser() {
        return parser;
    }

    @Override
    protected Input sample() {
        return Fixture.input("usage/vault-audit/audit.log");
    }

    @Override
    protected Input onlyUnusableRecords() {
        return Fixture.input("usage/vault-audit/malformed.log");
    }

    @Override
    protected int unusableRecords() {
        return 7;
    }

    @Override
    protected String sourceType() {
        return "vault";
    }

    private static Input text(String name, String s) {
        return Input.content(name, s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void each_request_counts_once_attributed_to_the_auth_role_that_issued_its_token() {
        List<UsageEvent> events = parse(sample()).events();
        assertThat(events)
                .extracting(UsageEvent::principal, UsageEvent::action, UsageEvent::resource, UsageEvent::errorCode)
                .containsExactly(
                        tuple(APPROLE, "update auth/approle/login", "approle auth/approle/", null),
                        tuple(APPROLE, "read secret/data/ansible/ssh-key", "kv secret/", null),
                        tuple(K8S, "update auth/kubernetes/login", "kubernetes auth/kubernetes/", null),
                        tuple(K8S, "update secret/data/payments/stripe", "kv secret/", "permission denied"),
                        tuple("vault://token/token-ci", "read aws/creds/deployer", "aws aws/", null));
        assertThat(events.get(0).type()).isEqualTo(UsageEvent.ISSUANCE);
        assertThat(events.get(1).type()).isEqualTo(UsageEvent.API);
        assertThat(events.get(1).sourceIp()).isEqualTo("172.18.0.5");
    }

    @Test
    void hmac_d_accessors_are_kept_exactly_as_logged() {
        assertThat(parse(sample()).events().get(1).credential()).isEqualTo("hmac-sha256:" + "99174d26".repeat(8));
    }

    @Test
    void a_raw_accessor_from_log_raw_is_kept_only_as_a_fingerprint_and_no_raw_token_anywhere() {
        UsageEvent e =
                parse(Fixture.input("usage/vault-audit/log-raw.log")).events().get(0);
        assertThat(e.credential()).startsWith("sha256:").doesNotContain("Xr4nD0mAcc3ss0rN0tR3al00");
        assertThat(e.toString()).doesNotContain("hvs.").doesNotContain("Xr4nD0mAcc3ss0rN0tR3al00");
    }

    @Test
    void pretty_printed_entries_give_the_same_events_as_their_lines() {
        assertThat(parse(Fixture.input("usage/vault-audit/pretty.json")).events())
                .isEqualTo(parse(sample()).events().subList(0, 2));
    }

    @Test
    void each_unusable_entry_is_skipped_with_its_line_and_reason() {
        Input bad = onlyUnusableRecords();
        String n = bad.name();
        assertThat(parse(bad).skips().examples())
                .containsExactly(
                        n + ":1: no request",
                        n + ":2: type 'audit' is not request or response",
                        n + ":3: missing time",
                        n + ":4: time 'yesterday' is not an RFC 3339 instant",
                        n + ":5: time timestamp 1999-01-01T00:00:00Z is before 2006-01-01T00:00:00Z",
                        n + ":6: missing request.path",
                        n + ":7: type '' is not request or response");
    }

    @Test
    void a_truncated_log_is_refused_naming_file_and_line() {
        String s = Fixture.text("usage/vault-audit/audit.log");
        assertThatThrownBy(() -> parse(text("cut.log", s.substring(0, s.length() - 40))))
                .isInstanceOf(UsageException.class)
                .hasMessageMatching("cut\\.log:\\d+: not a Vault audit log \\(not JSON: .*");
    }

    @Test
    void a_huge_value_refuses_the_file_without_echoing_it() {
        String huge = "{\"time\":\"2026-05-30T05:00:00Z\",\"type\":\"request\",\"request\":{\"id\":\"a\",\"operation\":"
                + "\"read\",\"path\":\"" + "s".repeat(2 * 1024 * 1024) + "\"}}\n";
        assertThatThrownBy(() -> parse(text("huge.log", huge)))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("huge.log:")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(600));
    }

    @Test
    void control_characters_in_a_path_cannot_forge_output() {
        String line = "{\"time\":\"2026-05-30T05:00:00Z\",\"type\":\"response\",\"auth\":{\"display_name\":\"token\"},"
                + "\"request\":{\"id\":\"a\",\"operation\":\"read\",\"path\":\"secret/x\\u001b[2J\\nFAKE\"}}\n";
        assertThat(parse(text("inject.log", line)).events().get(0).action()).isEqualTo("read secret/x?[2J?FAKE");
    }

    @Test
    void jsonx_and_an_array_are_refused_by_name() {
        assertThatThrownBy(() -> parse(text("x.log", "<json:object><json:string name=\"time\">")))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("jsonx");
        assertThatThrownBy(() -> parse(text("a.json", "[{}]")))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("a.json:1: not a Vault audit log");
    }
}
