package dev.warden.cli;

import dev.warden.posture.Finding;
import java.io.PrintWriter;
import java.util.List;

/**
 * Findings as CSV (RFC 4180): quoted where needed, and cells that a spreadsheet would run as a
 * formula ({@code = + - @}, tab, carriage return at the start) prefixed with a quote mark, since
 * identity names come from the sources.
 */
final class FindingsCsv {
    private FindingsCsv() {}

    static void write(PrintWriter out, List<Finding> findings) {
        out.print(line(
                "id",
                "severity",
                "risk",
                "check",
                "status",
                "nist",
                "identity_id",
                "identity_kind",
                "identity_name",
                "identity_external_id",
                "source",
                "credential",
                "summary",
                "first_seen",
                "last_seen"));
        for (Finding f : findings) {
            Finding.IdentityRef i = f.identity();
            out.print(line(
                    f.id(),
                    f.severity().value(),
                    f.risk().value(),
                    f.checkId(),
                    f.status().value(),
                    String.join(" ", f.nist()),
                    i == null ? "" : i.id(),
                    i == null || i.kind() == null ? "" : i.kind().value(),
                    i == null ? "" : i.name(),
                    i == null ? "" : i.externalId(),
                    i == null || i.source() == null ? "" : i.source().toString(),
                    f.credential() == null
                            ? ""
                            : f.credential().externalId() != null
                                    ? f.credential().externalId()
                                    : f.credential().fingerprint(),
                    f.summary(),
                    String.valueOf(f.firstSeen()),
                    String.valueOf(f.lastSeen())));
        }
        out.flush();
    }

    private static String line(String... cells) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(cell(cells[i]));
        }
        return b.append("\r\n").toString();
    }

    static String cell(String value) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            v = "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
