package dev.warden.usage.cloudtrail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StringCapTest {
    private static final String[] PIECES = {
        "a", "Z", "0", " ", "é", "€", "😀", "\\\"", "\\\\", "\\n", "\\u00e9", "\\ud83d\\ude00", "/"
    };

    private static byte[] through(byte[] in, int cap, int chunk) throws IOException {
        InputStream chunked = new java.io.FilterInputStream(new ByteArrayInputStream(in)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
        try (InputStream s = new StringCap(chunked, cap)) {
            return s.readAllBytes();
        }
    }

    private static String randomString(Random r, int pieces) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            b.append(PIECES[r.nextInt(PIECES.length)]);
        }
        return b.toString();
    }

    @Test
    void json_passes_unchanged_while_its_strings_are_within_the_cap() throws IOException {
        Random r = new Random(3);
        for (int round = 0; round < 500; round++) {
            String doc = "{\"k" + randomString(r, 3) + "\":[\"" + randomString(r, r.nextInt(40)) + "\",1,{\"x\":\""
                    + randomString(r, r.nextInt(40)) + "\"}]}";
            byte[] in = doc.getBytes(StandardCharsets.UTF_8);
            assertThat(through(in, 1000, 1 + r.nextInt(20))).isEqualTo(in);
        }
    }

    @Test
    void longer_strings_are_cut_at_whole_characters_and_the_json_stays_well_formed() throws IOException {
        Random r = new Random(5);
        ObjectMapper json = new ObjectMapper();
        for (int round = 0; round < 500; round++) {
            int cap = 6 + r.nextInt(30);
            String value = randomString(r, 10 + r.nextInt(60));
            String doc = "{\"a\":\"" + value + "\",\"b\":\"short\",\"" + value + "\":2}";
            byte[] out = through(doc.getBytes(StandardCharsets.UTF_8), cap, 1 + r.nextInt(16));
            JsonNode n = json.readTree(out);
            String a = n.get("a").textValue();
            assertThat(json.writeValueAsString(a).getBytes(StandardCharsets.UTF_8).length - 2)
                    .as("cut string holds at most the cap plus one escape")
                    .isLessThanOrEqualTo(cap + 12);
            assertThat(n.get("b").textValue()).isEqualTo("short");
            assertThat(n.size()).isEqualTo(3);
        }
    }

    @Test
    void the_scan_finds_the_first_quote_or_backslash_anywhere_in_a_word() {
        for (int len = 0; len < 40; len++) {
            for (int at = 0; at <= len; at++) {
                byte[] b = new byte[len];
                java.util.Arrays.fill(b, (byte) 'x');
                if (at < len) {
                    b[at] = (byte) (at % 2 == 0 ? '"' : '\\');
                }
                assertThat(StringCap.scan(b, 0, len, true)).isEqualTo(at);
                assertThat(StringCap.scan(b, 0, len, false)).isEqualTo(at < len && at % 2 == 0 ? at : len);
            }
        }
    }
}
