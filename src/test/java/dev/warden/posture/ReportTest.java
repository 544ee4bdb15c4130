package dev.warden.posture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    private static final String EVIL = "<script>alert('x')</script> | *bold* [link](http://evil.example)";

    @TempDir
    Path dir;

    @Test
    void there_is_no_report_before_an_evaluation() {
        try (PostureHarness h = new PostureHarness(dir)) {
            assertThatThrownBy(() -> h.posture.report(PostureReport.Framework.OWASP_NHI, 5))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no evaluation yet");
        }
    }

    @Test
    void counts_by_severity_top_identities_and_the_trend_since_the_previous_evaluation() throws Exception {
        try (PostureHarness h = new PostureHarness(dir)) {
            h.load(
                    Build.awsRole("a").owners(null, null).env("prod").build(),
                    Build.awsRole("b").owners(null, null).build(),
                    Build.awsRole("admin").env("prod").allow("*", "*", "inline").build());
            h.evaluate();
            PostureReport first = h.posture.report(PostureReport.Framework.OWASP_NHI, 5);
            PostureReport.Section nhi1 = section(first, "NHI1");
            assertThat(nhi1.total()).isEqualTo(2);
            assertThat(nhi1.counts()).containsEntry(Severity.HIGH, 1L).containsEntry(Severity.MEDIUM, 1L);
            assertThat(nhi1.previousTotal()).isNull();
            assertThat(nhi1.topIdentities()).hasSize(2);
            assertThat(nhi1.topIdentities().get(0).name()).isEqualTo("a");
            assertThat(nhi1.topIdentities().get(0).worst()).isEqualTo(Severity.HIGH);
            assertThat(section(first, "NHI5").counts()).containsEntry(Severity.CRITICAL, 1L);

            h.clock.advance(Duration.ofDays(1));
            h.load(
                    Build.awsRole("b").build(),
                    Build.awsRole("c").owners(null, null).build(),
                    Build.awsRole("d").owners(null, null).build());
            h.evaluate();
            PostureReport second = h.posture.report(PostureReport.Framework.OWASP_NHI, 5);
            PostureReport.Section again = section(second, "NHI1");
            assertThat(again.total()).isEqualTo(3);
            assertThat(again.previousTotal()).isEqualTo(2);
            assertThat(again.change()).isEqualTo(1);
            assertThat(second.latest().newFindings()).isEqualTo(2);
            assertThat(second.latest().resolved()).isEqualTo(1);
            assertThat(section(second, "NHI5").change()).isZero();

            JsonNode json = new ObjectMapper().readTree(ReportWriter.render(second, ReportWriter.Format.JSON));
            assertThat(json.get("framework").asText()).isEqualTo("owasp-nhi");
            assertThat(json.get("sections")).hasSize(Risk.values().length);
            String md = ReportWriter.render(second, ReportWriter.Format.MD);
            assertThat(md).contains("| NHI1 Improper Offboarding | 0 | 1 | 2 | 0 | 0 | 3 | 0 | +1 |");

            PostureReport nist = h.posture.report(PostureReport.Framework.NIST_CSF, 3);
            assertThat(nist.sections())
                    .extracting(PostureReport.Section::id)
                    .containsExactlyElementsOf(Nist.subcategories());
            assertThat(nist.sections().stream()
                            .filter(s -> s.id().equals("PR.AA-05"))
                            .findFirst()
                            .orElseThrow()
                            .total())
                    .isEqualTo(1);
            assertThat(nist.sections().stream()
                            .filter(s -> s.id().equals("PR.AA-01"))
                            .findFirst()
                            .orElseThrow()
                            .total())
                    .isEqualTo(3);
        }
    }

    @Test
    void html_is_self_contained_and_markdown_and_html_escape_what_sources_say() {
        try (PostureHarness h = new PostureHarness(dir)) {
            h.load(Build.of(
                            dev.warden.inventory.IdentityKind.API_KEY,
                            EVIL,
                            "saas:evil/" + EVIL,
                            dev.warden.inventory.Source.of("saas", "<b>scope</b>"))
                    .owners(null, null)
                    .build());
            h.evaluate();
            PostureReport r = h.posture.report(PostureReport.Framework.OWASP_NHI, 5);
            String html = ReportWriter.render(r, ReportWriter.Format.HTML);
            assertThat(html)
                    .startsWith("<!DOCTYPE html>")
                    .contains("Content-Security-Policy")
                    .doesNotContain("<script")
                    .doesNotContain("<b>scope")
                    .doesNotContainPattern("(src|href)=\"(http|//)")
                    .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
            String md = ReportWriter.render(r, ReportWriter.Format.MD);
            assertThat(md)
                    .doesNotContainPattern("(?<!\\\\)<script")
                    .doesNotContain("[link](http")
                    .contains("\\<script\\>")
                    .contains("\\| \\*bold\\*");
        }
    }

    private static PostureReport.Section section(PostureReport r, String id) {
        return r.sections().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }
}
