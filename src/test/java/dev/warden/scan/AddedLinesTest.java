package dev.warden.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The lines a new version of a file adds, against the plain definition, on random edits. */
class AddedLinesTest {
    /** Line number to line of what {@link GitScanner.AddedLines} reports. */
    private static Map<Integer, String> added(String before, String now) {
        GitScanner.AddedLines a = GitScanner.AddedLines.of(
                before == null ? null : before.getBytes(StandardCharsets.ISO_8859_1),
                now.getBytes(StandardCharsets.ISO_8859_1));
        Map<Integer, String> out = new LinkedHashMap<>();
        String[] lines = a.text().split("\n", -1);
        for (int i = 0; i + 1 < lines.length || (i < lines.length && !lines[i].isEmpty()); i++) {
            out.put(a.numbers() == null ? i + 1 : a.numbers().lineNumber(i), lines[i]);
        }
        return out;
    }

    /** A line without its trailing CR: CRLF and LF versions of a line are the same line. */
    private static String bare(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static Set<String> bareLines(String text) {
        Set<String> out = new HashSet<>();
        for (String l : text.split("\n", -1)) {
            out.add(bare(l));
        }
        return out;
    }

    /** The definition: lines of {@code now} that are no line of {@code before}, by line number. */
    private static Map<Integer, String> reference(String before, String now) {
        Set<String> old = bareLines(before);
        Map<Integer, String> out = new LinkedHashMap<>();
        String[] lines = now.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            boolean trailingEmpty = i == lines.length - 1 && lines[i].isEmpty();
            if (!trailingEmpty && !old.contains(bare(lines[i]))) {
                out.put(i + 1, lines[i]);
            }
        }
        return out;
    }

    @Test
    void appends_and_local_edits_report_the_new_lines_with_their_numbers() {
        assertThat(added("a\nb\n", "a\nb\nsecret\n")).containsExactly(Map.entry(3, "secret"));
        assertThat(added("a\nb\nc\n", "a\nB\nc\n")).containsExactly(Map.entry(2, "B"));
        assertThat(added("a\nb", "a\nbc\n")).containsExactly(Map.entry(2, "bc"));
        assertThat(added("AAAxyz\n", "AAA\nxyz\n")).containsExactly(Map.entry(1, "AAA"), Map.entry(2, "xyz"));
        assertThat(added("a\nb\n", "a\nb\n")).isEmpty();
        assertThat(added("a\nb\nc\n", "a\n")).isEmpty();
        assertThat(added(null, "x\ny\n")).containsExactly(Map.entry(1, "x"), Map.entry(2, "y"));
    }

    @Test
    void random_edits_report_every_new_line_and_otherwise_only_lines_moved_within_the_file() {
        Random r = new Random(42);
        String[] alphabet = {"a", "b", "c", "key=1", "pw=x", "", "}", "a\r"};
        for (int round = 0; round < 5000; round++) {
            List<String> lines = new ArrayList<>();
            for (int i = r.nextInt(12); i > 0; i--) {
                lines.add(alphabet[r.nextInt(alphabet.length)]);
            }
            String before = String.join("\n", lines) + (r.nextBoolean() ? "\n" : "");
            List<String> edited = new ArrayList<>(lines);
            for (int e = r.nextInt(4); e > 0; e--) {
                int at = edited.isEmpty() ? 0 : r.nextInt(edited.size() + 1);
                switch (r.nextInt(3)) {
                    case 0 -> edited.add(at, alphabet[r.nextInt(alphabet.length)] + (r.nextBoolean() ? "" : "z"));
                    case 1 -> {
                        if (at < edited.size()) {
                            edited.remove(at);
                        }
                    }
                    default -> {
                        if (at < edited.size()) {
                            edited.set(at, edited.get(at) + "q");
                        }
                    }
                }
            }
            String now = String.join("\n", edited) + (r.nextBoolean() ? "\n" : "");
            Map<Integer, String> got = added(before, now);
            Map<Integer, String> want = reference(before, now);
            Set<String> beforeLines = bareLines(before);
            assertThat(got).as("before %s now %s", before, now).containsAllEntriesOf(want);
            got.forEach((line, text) -> {
                if (!want.containsKey(line)) {
                    assertThat(beforeLines)
                            .as("before %s now %s line %d", before, now, line)
                            .contains(bare(text));
                }
            });
        }
    }
}
