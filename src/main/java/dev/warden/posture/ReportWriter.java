package dev.warden.posture;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.warden.input.Echo;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link PostureReport} as Markdown, JSON or a self-contained HTML page (inline style,
 * no script, no external resource, a restrictive Content-Security-Policy). Every value that comes
 * from the inventory is escaped for the format it lands in.
 */
public final class ReportWriter {
    private static final List<Severity> ORDER =
            List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO);

    private ReportWriter() {}

    /** The output formats. */
    public enum Format {
        MD,
        JSON,
        HTML;

        public static Format parse(String text) {
            for (Format f : values()) {
                if (f.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
                    return f;
                }
            }
            throw new IllegalArgumentException(
                    "unknown report format '" + Echo.shown(text) + "' (expected md, json or html)");
        }
    }

    public static String render(PostureReport r, Format format) {
        return switch (format) {
            case MD -> markdown(r);
            case JSON -> json(r);
            case HTML -> html(r);
        };
    }

    static String json(PostureReport r) {
        try {
            return dev.warden.config.Json.mapper()
                            .writerWithDefaultPrettyPrinter()
                            .writeValueAsString(r) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String markdown(PostureReport r) {
        StringBuilder b = new StringBuilder();
        b.append("# Warden posture report: ").append(md(r.title())).append("\n\n");
        b.append("- Generated: ").append(r.generatedAt()).append('\n');
        b.append("- Evaluation: ")
                .append(md(r.latest().id()))
                .append(" at ")
                .append(r.latest().at())
                .append(" (")
                .append(r.latest().evaluated())
                .append(" machine identities evaluated)\n");
        b.append("- Previous evaluation: ")
                .append(
                        r.previous() == null
                                ? "none (no trend yet)"
                                : r.previous().at().toString())
                .append('\n');
        b.append("- Findings: ")
                .append(r.latest().open())
                .append(" open, ")
                .append(r.latest().accepted())
                .append(" accepted under an exception; ")
                .append(r.latest().newFindings())
                .append(" new and ")
                .append(r.latest().resolved())
                .append(" resolved since the previous evaluation\n\n");
        b.append("| ")
                .append(r.framework().equals("owasp-nhi") ? "risk" : "subcategory")
                .append(" | ");
        ORDER.forEach(s -> b.append(s.value()).append(" | "));
        b.append("total | accepted | change |\n|---|");
        ORDER.forEach(s -> b.append("---:|"));
        b.append("---:|---:|---:|\n");
        for (PostureReport.Section s : r.sections()) {
            b.append("| ")
                    .append(md(s.id()))
                    .append(' ')
                    .append(md(shortTitle(s)))
                    .append(" | ");
            ORDER.forEach(sev -> b.append(s.counts().get(sev)).append(" | "));
            b.append(s.total())
                    .append(" | ")
                    .append(s.accepted())
                    .append(" | ")
                    .append(change(s.change()))
                    .append(" |\n");
        }
        for (PostureReport.Section s : r.sections()) {
            b.append("\n## ")
                    .append(md(s.id()))
                    .append(": ")
                    .append(md(s.title()))
                    .append("\n\n");
            b.append("Checks: ")
                    .append(s.checks().isEmpty() ? "none" : md(String.join(", ", s.checks())))
                    .append(". ");
            b.append(s.total())
                    .append(" current findings")
                    .append(
                            s.previousTotal() == null
                                    ? ""
                                    : " (" + s.previousTotal() + " before, " + change(s.change()) + ")")
                    .append(".\n\n");
            if (s.topIdentities().isEmpty()) {
                b.append("No identity has a finding here.\n");
                continue;
            }
            b.append("| identity | kind | source | findings | worst |\n|---|---|---|---:|---|\n");
            for (PostureReport.TopIdentity t : s.topIdentities()) {
                b.append("| ")
                        .append(md(t.name()))
                        .append(" (")
                        .append(md(t.externalId()))
                        .append(") | ")
                        .append(md(t.kind()))
                        .append(" | ")
                        .append(md(t.source()))
                        .append(" | ")
                        .append(t.findings())
                        .append(" | ")
                        .append(t.worst().value())
                        .append(" |\n");
            }
        }
        return b.toString();
    }

    static String html(PostureReport r) {
        StringBuilder b = new StringBuilder(16_384);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append(
                        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Warden posture report: ")
                .append(html(r.title()))
                .append("</title>\n<style>\n")
                .append(
                        "body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem;color:#1b1f24;max-width:72rem}\n")
                .append(
                        "table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border:1px solid #ccd;padding:.3rem .6rem;text-align:left}\n")
                .append("td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f0f2f5}\n")
                .append(
                        ".critical{color:#8b0000;font-weight:bold}.high{color:#b22222}.medium{color:#a0522d}.up{color:#b22222}.down{color:#2e7d32}\n")
                .append("code{font-size:.9em;word-break:break-all}\n</style>\n</head>\n<body>\n");
        b.append("<h1>Warden posture report: ").append(html(r.title())).append("</h1>\n<ul>\n");
        b.append("<li>Generated ").append(html(r.generatedAt().toString())).append("</li>\n");
        b.append("<li>Evaluation <code>")
                .append(html(r.latest().id()))
                .append("</code> at ")
                .append(html(r.latest().at().toString()))
                .append(", ")
                .append(r.latest().evaluated())
                .append(" machine identities evaluated</li>\n");
        b.append("<li>Previous evaluation: ")
                .append(
                        r.previous() == null
                                ? "none (no trend yet)"
                                : html(r.previous().at().toString()))
                .append("</li>\n");
        b.append("<li>")
                .append(r.latest().open())
                .append(" open findings, ")
                .append(r.latest().accepted())
                .append(" accepted under an exception; ")
                .append(r.latest().newFindings())
                .append(" new and ")
                .append(r.latest().resolved())
                .append(" resolved since the previous evaluation</li>\n</ul>\n");
        b.append("<table>\n<tr><th>")
                .append(r.framework().equals("owasp-nhi") ? "Risk" : "Subcategory")
                .append("</th>");
        ORDER.forEach(s -> b.append("<th>").append(s.value()).append("</th>"));
        b.append("<th>total</th><th>accepted</th><th>change</th></tr>\n");
        for (PostureReport.Section s : r.sections()) {
            b.append("<tr><td><a href=\"#")
                    .append(anchor(s.id()))
                    .append("\">")
                    .append(html(s.id()))
                    .append("</a> ")
                    .append(html(shortTitle(s)))
                    .append("</td>");
            ORDER.forEach(sev -> b.append("<td class=\"n ")
                    .append(s.counts().get(sev) > 0 ? sev.value() : "")
                    .append("\">")
                    .append(s.counts().get(sev))
                    .append("</td>"));
            b.append("<td class=\"n\">")
                    .append(s.total())
                    .append("</td><td class=\"n\">")
                    .append(s.accepted())
                    .append("</td><td class=\"n ")
                    .append(s.change() == null ? "" : s.change() > 0 ? "up" : s.change() < 0 ? "down" : "")
                    .append("\">")
                    .append(html(change(s.change())))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n");
        for (PostureReport.Section s : r.sections()) {
            b.append("<h2 id=\"")
                    .append(anchor(s.id()))
                    .append("\">")
                    .append(html(s.id()))
                    .append(": ")
                    .append(html(s.title()))
                    .append("</h2>\n<p>Checks: ")
                    .append(s.checks().isEmpty() ? "none" : html(String.join(", ", s.checks())))
                    .append(". ")
                    .append(s.total())
                    .append(" current findings")
                    .append(
                            s.previousTotal() == null
                                    ? ""
                                    : " (" + s.previousTotal() + " before, " + html(change(s.change())) + ")")
                    .append(".</p>\n");
            if (s.topIdentities().isEmpty()) {
                b.append("<p>No identity has a finding here.</p>\n");
                continue;
            }
            b.append(
                    "<table>\n<tr><th>identity</th><th>kind</th><th>source</th><th>findings</th><th>worst</th></tr>\n");
            for (PostureReport.TopIdentity t : s.topIdentities()) {
                b.append("<tr><td>")
                        .append(html(t.name()))
                        .append("<br><code>")
                        .append(html(t.externalId()))
                        .append("</code></td><td>")
                        .append(html(t.kind()))
                        .append("</td><td>")
                        .append(html(t.source()))
                        .append("</td><td class=\"n\">")
                        .append(t.findings())
                        .append("</td><td class=\"")
                        .append(t.worst().value())
                        .append("\">")
                        .append(t.worst().value())
                        .append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
        b.append("</body>\n</html>\n");
        return b.toString();
    }

    private static String shortTitle(PostureReport.Section s) {
        String t = s.title();
        return t.length() > 60 ? t.substring(0, 59) + "…" : t;
    }

    private static String change(Long c) {
        if (c == null) {
            return "n/a";
        }
        return c > 0 ? "+" + c : Long.toString(c);
    }

    private static String anchor(String id) {
        return "s-" + id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "-");
    }

    /** HTML text and attribute escaping. */
    static String html(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(Character.isISOControl(c) ? '?' : c);
            }
        }
        return b.toString();
    }

    /** Markdown escaping: every character Markdown or a table would read as syntax, and raw HTML. */
    static String md(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("\\`*_{}[]()#+-.!|<>~&".indexOf(c) >= 0) {
                b.append('\\').append(c);
            } else {
                b.append(Character.isISOControl(c) ? ' ' : c);
            }
        }
        return b.toString();
    }
}
