package dev.warden.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.input.Input;
import dev.warden.testing.TestClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link UsageParser} keeps; each parser's test class extends this and supplies a
 * small valid sample and a file of only unusable records, both in the format's native shape. It
 * checks: the parser is registered; the sample gives events of the parser's source type and no
 * skips; the same input gives the same events; gzip is recognised by content, not name; garbage and
 * corrupt gzip are refused with a {@link UsageException} naming the file; a file of only unusable
 * records gives no events and a skip per record with its position; and hostile mutations of the
 * sample end in events, skips or a {@link UsageException}, never another exception.
 */
public abstract class UsageParserContract {
    /** The instant the parsers under test believe it is. */
    protected static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private static final Pattern POSITION = Pattern.compile("(:\\d+| Records\\[\\d+\\]): \\S.*");

    protected final Clock clock = new TestClock(NOW);

    /** The parser under test, judging time by {@link #clock}. */
    protected abstract UsageParser parser();

    /** A small valid sample in the format's native shape. */
    protected abstract Input sample();

    /** A file in the format whose every record is unusable. */
    protected abstract Input onlyUnusableRecords();

    /** How many records {@link #onlyUnusableRecords()} holds. */
    protected abstract int unusableRecords();

    /** The source type of the format's events. */
    protected abstract String sourceType();

    /** Options the sample needs. */
    protected UsageOptions options() {
        return UsageOptions.NONE;
    }

    /** What one parse gave. */
    protected record Parsed(List<UsageEvent> events, Skips skips) {}

    protected final Parsed parse(Input in) {
        List<UsageEvent> events = new ArrayList<>();
        Skips skips = new Skips();
        parser().parse(in, options(), events::add, skips);
        return new Parsed(events, skips);
    }

    protected static byte[] bytes(Input in) {
        try (InputStream s = in.open()) {
            return s.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Test
    void is_registered_as_a_built_in() {
        UsageParser registered =
                UsageParsers.builtIn(clock).get(parser().name()).orElseThrow();
        assertThat(registered.getClass()).isEqualTo(parser().getClass());
        assertThat(parser().name()).matches("[a-z0-9-]+");
        assertThat(parser().description()).isNotBlank();
    }

    @Test
    void a_sample_gives_events_of_its_source_type_and_no_skips() {
        Parsed p = parse(sample());
        assertThat(p.skips().examples()).isEmpty();
        assertThat(p.events()).isNotEmpty().allSatisfy(e -> {
            assertThat(e.sourceType()).isEqualTo(sourceType());
            assertThat(e.scope()).isNotBlank();
            assertThat(e.at()).isBefore(NOW);
        });
    }

    @Test
    void the_same_input_gives_the_same_events() {
        assertThat(parse(sample()).events()).isEqualTo(parse(sample()).events());
    }

    @Test
    void gzip_is_recognised_by_its_content_whatever_the_name() {
        Input plain = sample();
        Input compressed = Input.content(plain.name(), gzip(bytes(plain)));
        assertThat(parse(compressed).events()).isEqualTo(parse(plain).events());
    }

    @Test
    void garbage_is_refused_naming_the_file() {
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);
        for (Input bad : List.of(
                Input.content("garbage.bin", noise),
                Input.content("garbage.bin.gz", gzip(noise)),
                Input.content(
                        "text.log",
                        "Jun  1 12:00:00 host sshd[42]: Accepted publickey\n".getBytes(StandardCharsets.UTF_8)))) {
            assertThatThrownBy(() -> parse(bad))
                    .isInstanceOf(UsageException.class)
                    .hasMessageStartingWith(bad.name());
        }
    }

    @Test
    void corrupt_gzip_is_refused_naming_the_file() {
        byte[] good = gzip(bytes(sample()));
        byte[] flipped = good.clone();
        for (int i = 20; i < flipped.length - 8; i += 7) {
            flipped[i] ^= 0x5a;
        }
        byte[] cut = Arrays.copyOf(good, good.length / 2);
        byte[] badCrc = good.clone();
        badCrc[badCrc.length - 6] ^= 0x01;
        for (Input bad : List.of(
                Input.content("flipped.gz", flipped),
                Input.content("cut.gz", cut),
                Input.content("bad-crc.gz", badCrc))) {
            assertThatThrownBy(() -> parse(bad))
                    .isInstanceOf(UsageException.class)
                    .hasMessageStartingWith(bad.name() + ": corrupt gzip");
        }
    }

    @Test
    void a_file_of_only_unusable_records_gives_no_events_and_a_skip_per_record_with_its_position() {
        Input bad = onlyUnusableRecords();
        Parsed p = parse(bad);
        assertThat(p.events()).isEmpty();
        assertThat(p.skips().count()).isEqualTo(unusableRecords());
        assertThat(p.skips().examples()).hasSize(unusableRecords()).allSatisfy(x -> {
            assertThat(x).startsWith(bad.name());
            assertThat(POSITION.matcher(x.substring(bad.name().length())).matches())
                    .as("'%s' names a position and a reason", x)
                    .isTrue();
        });
    }

    @Test
    void hostile_mutations_end_in_events_skips_or_a_refusal_never_another_exception() {
        byte[] good = bytes(sample());
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            byte[] b;
            switch (round % 3) {
                case 0 -> b = Arrays.copyOf(good, random.nextInt(good.length));
                case 1 -> {
                    b = good.clone();
                    for (int i = 0; i < 1 + random.nextInt(8); i++) {
                        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                    }
                }
                default -> {
                    int at = random.nextInt(good.length);
                    byte[] insert = new byte[1 + random.nextInt(64)];
                    random.nextBytes(insert);
                    b = new byte[good.length + insert.length];
                    System.arraycopy(good, 0, b, 0, at);
                    System.arraycopy(insert, 0, b, at, insert.length);
                    System.arraycopy(good, at, b, at + insert.length, good.length - at);
                }
            }
            Input mutated = Input.content("mutated-" + round + ".log", b);
            try {
                Parsed p = parse(mutated);
                assertThat(p.skips().examples()).allSatisfy(x -> assertThat(x).startsWith(mutated.name()));
            } catch (UsageException e) {
                assertThat(e.getMessage()).startsWith(mutated.name());
            }
        }
    }
}
