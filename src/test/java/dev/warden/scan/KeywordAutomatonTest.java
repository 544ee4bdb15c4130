package dev.warden.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The keyword automaton reports exactly what a naive case-insensitive search finds. */
class KeywordAutomatonTest {
    @Test
    void finds_every_occurrence_including_overlaps_and_suffixes_case_insensitively() {
        Map<String, int[]> kw = new LinkedHashMap<>();
        List<String> words = List.of("pass", "password", "word", "key", "key-", "-----begin", "aa", "a", "ghp_", "é");
        for (int i = 0; i < words.size(); i++) {
            kw.put(words.get(i), new int[] {i});
        }
        KeywordAutomaton a = new KeywordAutomaton(kw);
        Random r = new Random(7);
        String alphabet = "aAPpSsWwOoRrDdKkEeYy-_gh BEGIN\n\u00c3\u00a9";
        for (int round = 0; round < 300; round++) {
            StringBuilder b = new StringBuilder();
            for (int i = 0, n = r.nextInt(200); i < n; i++) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String text = b.toString();
            List<String> got = new ArrayList<>();
            a.scan(text, (s, e, p) -> got.add(s + ":" + e + ":" + p[0]));
            List<String> want = new ArrayList<>();
            String lower = text.toLowerCase(Locale.ROOT);
            for (int end = 1; end <= text.length(); end++) {
                for (int w = 0; w < words.size(); w++) {
                    String word = new String(
                            words.get(w).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            java.nio.charset.StandardCharsets.ISO_8859_1);
                    int start = end - word.length();
                    if (start >= 0 && asciiLower(text.substring(start, end)).equals(word)) {
                        want.add(start + ":" + end + ":" + w);
                    }
                }
            }
            assertThat(got).as(text + " / " + lower).containsExactlyInAnyOrderElementsOf(want);
        }
    }

    private static String asciiLower(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return b.toString();
    }
}
