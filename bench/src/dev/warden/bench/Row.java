package dev.warden.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of a benchmark's results table: its cells in column order. A driver collects rows,
 * prints them under its header with {@link #table}, and keeps them as tab-separated lines
 * ({@code results.tsv}) that its runner script appends to and that a later {@code --report} or
 * {@code report} call reads back with {@link #read} and prints the same way.
 */
public record Row(List<String> cells) {
    public Row {
        cells = List.copyOf(cells);
    }

    public static Row of(String... cells) {
        return new Row(List.of(cells));
    }

    /** A row read back from its {@link #tsv} form (empty cells kept). */
    public static Row parse(String tsv) {
        return new Row(List.of(tsv.split("\t", -1)));
    }

    public String tsv() {
        return String.join("\t", cells);
    }

    /** The rows of a results file; none when it does not exist (no run wrote one). */
    public static List<Row> read(Path tsv) throws IOException {
        List<Row> rows = new ArrayList<>();
        if (Files.exists(tsv)) {
            for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
                if (!line.isEmpty()) {
                    rows.add(parse(line));
                }
            }
        }
        return rows;
    }

    /** Appends {@code rows} to a results file, creating it and its directory when missing. */
    public static void append(Path tsv, List<Row> rows) throws IOException {
        Path parent = tsv.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        StringBuilder b = new StringBuilder();
        for (Row r : rows) {
            b.append(r.tsv()).append('\n');
        }
        Files.writeString(
                tsv, b.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * The rows under {@code header} in left-aligned columns two spaces apart, with a rule under the
     * header; a row with fewer cells than the header leaves the rest empty.
     */
    public static String table(List<String> header, List<Row> rows) {
        int columns = header.size();
        for (Row r : rows) {
            columns = Math.max(columns, r.cells.size());
        }
        int[] w = new int[columns];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        for (Row r : rows) {
            all.add(r.cells);
        }
        for (List<String> cells : all) {
            for (int i = 0; i < cells.size(); i++) {
                w[i] = Math.max(w[i], cells.get(i).length());
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
            line(b, r.cells, w);
        }
        return b.toString();
    }

    private static void line(StringBuilder b, List<String> cells, int[] w) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            String c = i < cells.size() ? cells.get(i) : "";
            l.append(c).append(" ".repeat(w[i] - c.length())).append("  ");
        }
        b.append(l.toString().stripTrailing()).append('\n');
    }
}
