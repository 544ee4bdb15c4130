package dev.warden.bench;

import java.util.List;
import java.util.Locale;

/** One line of the results table. */
record Row(String store, String what, String size, String value, String target, String verdict) {
    static Row info(String store, String what, String size, String value) {
        return new Row(store, what, size, value, "", "");
    }

    static Row latency(String store, LatencyDriver.Shape s, double targetP99Ms) {
        double p50 = s.percentile(50) / 1e6;
        double p99 = s.percentile(99) / 1e6;
        double max = s.max() / 1e6;
        String rows = s.rows >= 0 ? ", " + s.rows + " items" : "";
        return new Row(
                store,
                "GET " + s.group + ": " + s.label,
                "",
                String.format(
                        Locale.ROOT,
                        "p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms  (n=%d%s)",
                        p50,
                        p99,
                        max,
                        s.count,
                        rows),
                String.format(Locale.ROOT, "p99 <= %.0f ms", targetP99Ms),
                p99 <= targetP99Ms ? "met" : "MISSED");
    }

    String tsv() {
        return String.join("\t", store, what, size, value, target, verdict);
    }

    static String table(List<Row> rows) {
        String[] header = {"store", "what", "identities", "figure", "target", ""};
        int[] w = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            w[i] = header[i].length();
        }
        for (Row r : rows) {
            String[] c = r.cells();
            for (int i = 0; i < c.length; i++) {
                w[i] = Math.max(w[i], c[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        line(b, header, w);
        StringBuilder rule = new StringBuilder();
        for (int width : w) {
            rule.append("-".repeat(width)).append("  ");
        }
        b.append(rule.toString().strip()).append('\n');
        for (Row r : rows) {
            line(b, r.cells(), w);
        }
        return b.toString();
    }

    private String[] cells() {
        return new String[] {store, what, size, value, target, verdict};
    }

    private static void line(StringBuilder b, String[] cells, int[] w) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            l.append(cells[i]).append(" ".repeat(w[i] - cells[i].length())).append("  ");
        }
        b.append(l.toString().stripTrailing()).append('\n');
    }
}
