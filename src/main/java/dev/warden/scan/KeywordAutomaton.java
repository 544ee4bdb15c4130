package dev.warden.scan;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The keyword prefilter: an Aho-Corasick automaton compiled to a dense transition table over
 * character classes, case-insensitive for ASCII letters, reporting every keyword occurrence in one
 * pass with one table lookup per character. Text is ISO-8859-1 (one char per byte); a keyword is
 * matched by its UTF-8 bytes, so non-ASCII keywords match what the engine sees.
 *
 * <p>Warden first used the org.ahocorasick library here; its transitions are boxed-character hash
 * maps, which measured 25-30 MB/s per core on the benchmark corpus and capped the whole scanner
 * below its throughput target. This table runs an order of magnitude faster.
 */
final class KeywordAutomaton {
    /** Receives each occurrence: start (inclusive), end (exclusive), and the payload of the keyword. */
    @FunctionalInterface
    interface Sink {
        void hit(int start, int end, int[] payload);
    }

    private final int[] classOf = new int[256];
    private final int classes;
    private final int[] delta;
    /** Per state: the keywords ending there (own and through failure links), as indexes; null when none. */
    private final int[][] outputs;

    private final int[] lengths;
    private final int[][] payloads;

    KeywordAutomaton(Map<String, int[]> keywords) {
        List<byte[]> words = new ArrayList<>();
        lengths = new int[keywords.size()];
        payloads = new int[keywords.size()][];
        int k = 0;
        for (Map.Entry<String, int[]> e : keywords.entrySet()) {
            byte[] w = e.getKey().getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < w.length; i++) {
                w[i] = (byte) fold(w[i] & 0xff);
            }
            words.add(w);
            lengths[k] = w.length;
            payloads[k] = e.getValue();
            k++;
        }
        // character classes: one per distinct keyword character, 0 for all others
        int next = 1;
        for (byte[] w : words) {
            for (byte b : w) {
                int c = b & 0xff;
                if (classOf[c] == 0) {
                    classOf[c] = next++;
                }
            }
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            classOf[c] = classOf[c + 32];
        }
        classes = next;
        // trie
        int maxStates = 1;
        for (byte[] w : words) {
            maxStates += w.length;
        }
        int[] go = new int[maxStates * classes];
        Arrays.fill(go, -1);
        List<List<Integer>> own = new ArrayList<>();
        own.add(new ArrayList<>());
        int states = 1;
        for (int w = 0; w < words.size(); w++) {
            int s = 0;
            for (byte b : words.get(w)) {
                int c = classOf[b & 0xff];
                if (go[s * classes + c] < 0) {
                    go[s * classes + c] = states++;
                    own.add(new ArrayList<>());
                }
                s = go[s * classes + c];
            }
            own.get(s).add(w);
        }
        // failure links by breadth-first search, folded into a full transition table
        delta = new int[states * classes];
        int[] fail = new int[states];
        List<List<Integer>> out = new ArrayList<>(own);
        Deque<Integer> queue = new ArrayDeque<>();
        for (int c = 0; c < classes; c++) {
            int t = go[c];
            delta[c] = t < 0 ? 0 : t;
            if (t > 0) {
                fail[t] = 0;
                queue.add(t);
            }
        }
        while (!queue.isEmpty()) {
            int s = queue.poll();
            List<Integer> merged = new ArrayList<>(own.get(s));
            merged.addAll(out.get(fail[s]));
            out.set(s, merged);
            for (int c = 0; c < classes; c++) {
                int t = go[s * classes + c];
                if (t < 0) {
                    delta[s * classes + c] = delta[fail[s] * classes + c];
                } else {
                    delta[s * classes + c] = t;
                    fail[t] = delta[fail[s] * classes + c];
                    queue.add(t);
                }
            }
        }
        outputs = new int[states][];
        for (int s = 0; s < states; s++) {
            if (!out.get(s).isEmpty()) {
                outputs[s] = out.get(s).stream().mapToInt(Integer::intValue).toArray();
            }
        }
    }

    private static int fold(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    /** Reports every keyword occurrence in {@code text} (chars 0-255), in order of end position. */
    void scan(String text, Sink sink) {
        int[] cls = classOf;
        int[] d = delta;
        int[][] out = outputs;
        int n = classes;
        int s = 0;
        for (int i = 0, len = text.length(); i < len; i++) {
            s = d[s * n + cls[text.charAt(i) & 0xff]];
            int[] o = out[s];
            if (o != null) {
                for (int w : o) {
                    sink.hit(i + 1 - lengths[w], i + 1, payloads[w]);
                }
            }
        }
    }
}
