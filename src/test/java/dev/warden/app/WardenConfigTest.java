package dev.warden.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** warden.yaml is validated eagerly; every error names the file and the key. */
class WardenConfigTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        return Files.writeString(dir.resolve("warden.yaml"), yaml);
    }

    private void refused(String yaml, String... fragments) throws Exception {
        Path f = write(yaml);
        assertThatThrownBy(() -> WardenConfig.load(f))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).startsWith(f.toString());
                    for (String s : fragments) {
                        assertThat(e.getMessage()).contains(s);
                    }
                });
    }

    @Test
    void a_complete_broker_section_loads() throws Exception {
        WardenConfig c = WardenConfig.load(write("""
                broker:
                  issuer: https://warden.example.com
                  environment: prod
                  policies: policies
                  signing: {algorithm: EdDSA, rotation: 12h}
                  trustedProxies: [127.0.0.1]
                  attestors:
                    - {name: gh, kind: oidc, issuer: "https://token.actions.githubusercontent.com", audiences: [warden], jwksUrl: "https://token.actions.githubusercontent.com/.well-known/jwks"}
                """));
        assertThat(c.broker().issuer()).isEqualTo("https://warden.example.com");
        assertThat(c.broker().policies()).isEqualTo(dir.resolve("policies"));
        assertThat(c.broker().rotation().toHours()).isEqualTo(12);
        assertThat(c.broker().rateLimit()).isEqualTo(dev.warden.broker.RateLimiter.Settings.DEFAULTS);
        assertThat(c.tls()).isNull();
    }

    @Test
    void the_rate_limit_section_is_read_and_validated() throws Exception {
        String head = "broker: {issuer: 'https://x', policies: p, attestors: [{name: a}], rateLimit: ";
        WardenConfig c = WardenConfig.load(write(
                head + "{perSource: {rate: 5, burst: 10}, global: {rate: 300}, maxSources: 100, auditWindow: 5m}}"));
        dev.warden.broker.RateLimiter.Settings r = c.broker().rateLimit();
        assertThat(r.enabled()).isTrue();
        assertThat(r.perSourceRate()).isEqualTo(5);
        assertThat(r.perSourceBurst()).isEqualTo(10);
        assertThat(r.globalRate()).isEqualTo(300);
        assertThat(r.globalBurst()).isEqualTo(5_000);
        assertThat(r.maxSources()).isEqualTo(100);
        assertThat(r.auditWindow().toMinutes()).isEqualTo(5);
        refused(head + "{perSource: {rate: 0}}}", "broker.rateLimit.perSource.rate: must be an integer between 1");
        refused(head + "{global: {burst: many}}}", "broker.rateLimit.global.burst");
        refused(head + "{perSource: {rps: 3}}}", "broker.rateLimit.perSource", "rps");
        refused(head + "{auditWindow: 10ms}}", "broker.rateLimit.auditWindow: must be between 1s and 1d");
        refused(head + "{enabled: sometimes}}", "broker.rateLimit.enabled: must be true or false");
    }

    @Test
    void no_broker_section_means_no_broker() throws Exception {
        assertThat(WardenConfig.load(write("# nothing\n")).broker()).isNull();
    }

    @Test
    void errors_name_the_key() throws Exception {
        refused("broker: {issuer: 'ftp://x', policies: p, attestors: [{name: a}]}", "broker.issuer", "https URL");
        refused(
                "broker: {issuer: 'https://x/', policies: p, attestors: [{name: a}]}",
                "broker.issuer",
                "must not end with '/'");
        refused("broker: {issuer: 'https://x', attestors: [{name: a}]}", "broker.policies: is required");
        refused("broker: {issuer: 'https://x', policies: p}", "broker.attestors: must list at least one attestor");
        refused(
                "broker: {issuer: 'https://x', policies: p, signing: {algorithm: RS256}, attestors: [{name: a}]}",
                "broker.signing.algorithm: must be ES256 or EdDSA");
        refused(
                "broker: {issuer: 'https://x', policies: p, signing: {rotation: 1h}, attestors: [{name: a}]}",
                "broker.signing.rotation");
        refused("server: {tls: {certificate: c.pem}}", "server.tls.privateKey: is required");
        refused("brokers: {}", "brokers: unknown key");
        refused("broker: [1, 2]", "broker: must be a mapping");
        refused(
                "broker:\n  issuer: a\n  issuer: b\n",
                "warden.yaml:3: at /broker/issuer: malformed YAML: duplicate field 'issuer'");
    }

    @Test
    void a_missing_file_is_named() {
        assertThatThrownBy(() -> WardenConfig.load(dir.resolve("nope.yaml")))
                .hasMessageContaining("nope.yaml: configuration file not found");
    }
}
