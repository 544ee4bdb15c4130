package dev.warden.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.input.Input;
import dev.warden.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reader thread's hand-over: file order, per-file failures, and stopping when the writer gives up. */
class EventPipeTest {
    private final ExecutorService reader = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        reader.shutdownNow();
        assertThat(reader.awaitTermination(10, TimeUnit.SECONDS))
                .as("the reader thread ends")
                .isTrue();
    }

    /** Each file's content is its event count; "bad" after its events means the file breaks off. */
    private static final class CountingParser implements UsageParser {
        final AtomicInteger emitted = new AtomicInteger();

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public String description() {
            return "test";
        }

        @Override
        public void parse(Input input, UsageOptions options, Consumer<UsageEvent> sink, Skips skips) {
            String[] spec;
            try (var in = input.open()) {
                spec = new String(in.readAllBytes(), StandardCharsets.UTF_8).split(" ");
            } catch (java.io.IOException e) {
                throw new UsageException(input.name() + ": " + e.getMessage(), e);
            }
            int n = Integer.parseInt(spec[0]);
            for (int i = 0; i < n; i++) {
                emitted.incrementAndGet();
                sink.accept(new UsageEvent(
                        Fixtures.T0,
                        "aws",
                        "1",
                        input.name() + "#" + i,
                        null,
                        "s3:GetObject",
                        null,
                        null,
                        null,
                        null,
                        null));
            }
            skips.skip(input.name(), "one skipped");
            if (spec.length > 1) {
                throw new UsageException(input.name() + ": breaks off");
            }
        }
    }

    private static Input file(String name, String spec) {
        return Input.content(name, spec.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void files_are_handed_over_in_order_with_their_skips_and_a_failure_after_the_events_before_it() {
        List<Input> files = List.of(file("a", "2500"), file("b", "1200 bad"), file("c", "3"));
        try (EventPipe<String> pipe =
                EventPipe.start(reader, new CountingParser(), files, UsageOptions.NONE, UsageEvent::principal)) {
            List<String> a = new ArrayList<>();
            EventPipe.Done doneA = pipe.next(files.get(0), a::add);
            assertThat(a).hasSize(2500).startsWith("a#0", "a#1").endsWith("a#2499");
            assertThat(doneA.failure()).isNull();
            assertThat(doneA.skips().count()).isEqualTo(1);

            List<String> b = new ArrayList<>();
            EventPipe.Done doneB = pipe.next(files.get(1), b::add);
            assertThat(b)
                    .as("whole batches before the failure; the file is refused anyway")
                    .hasSize(1000);
            assertThat(doneB.failure()).isInstanceOf(UsageException.class).hasMessage("b: breaks off");

            List<String> c = new ArrayList<>();
            assertThat(pipe.next(files.get(2), c::add).failure()).isNull();
            assertThat(c).containsExactly("c#0", "c#1", "c#2");
        }
    }

    @Test
    void when_the_writing_thread_fails_the_reader_stops_within_a_bounded_queue() throws InterruptedException {
        CountingParser parser = new CountingParser();
        List<Input> files = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            files.add(file("f" + i, "10000"));
        }
        EventPipe<String> pipe = EventPipe.start(reader, parser, files, UsageOptions.NONE, UsageEvent::principal);
        assertThatThrownBy(() -> {
                    try (pipe) {
                        pipe.next(files.get(0), e -> {
                            if (e.equals("f0#10")) {
                                throw new IllegalStateException("disk full");
                            }
                        });
                    }
                })
                .hasMessage("disk full");
        reader.shutdown();
        assertThat(reader.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        // the reader ran ahead by at most the queue and the batch it was filling, then stopped
        assertThat(parser.emitted.get()).isLessThanOrEqualTo((EventPipe.QUEUE + 2) * EventPipe.BATCH);
    }
}
