package dev.warden.usage;

import dev.warden.input.Input;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a parser over the files of one ingestion on a reader thread and hands their events to the
 * calling thread in file order, in batches through a bounded queue (memory: {@link #QUEUE} ×
 * {@link #BATCH} events). The reader runs ahead across files: while the calling thread finishes a
 * file (its last raw events, its savepoint, a group's aggregates) the reader is already parsing the
 * next ones, so the two threads overlap for the whole run, not within each file only.
 * {@code prepare} turns each event into what the calling thread consumes, on the reader thread
 * (work moved off the writing thread). What the parser throws for a file is reported by
 * {@link #next} after the whole batches read before it (the rest is dropped: such a file is
 * refused, nothing of it applies); the reader goes on with the next file. If the
 * calling thread gives up ({@link #close}), the reader stops.
 */
final class EventPipe<T> implements AutoCloseable {
    static final int BATCH = 1_000;
    static final int QUEUE = 16;

    /** How a file's reading ended: its skipped records, and what the parser threw (or null). */
    record Done(Skips skips, Throwable failure) {}

    /** A batch of events, or the end of a file. */
    private record Item<T>(List<T> batch, Input file, Done done) {}

    /** Thrown on the reader thread when the calling thread gave up. */
    private static final class Abandoned extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abandoned() {
            super("abandoned", null, false, false);
        }
    }

    private final BlockingQueue<Item<T>> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicBoolean abandoned = new AtomicBoolean();
    private final Future<?> reading;

    private EventPipe(
            ExecutorService reader,
            UsageParser parser,
            List<Input> files,
            UsageOptions options,
            Function<UsageEvent, T> prepare) {
        this.reading = reader.submit(() -> {
            for (Input file : files) {
                if (abandoned.get()) {
                    return;
                }
                read(parser, file, options, prepare);
            }
        });
    }

    /** Starts reading {@code files}, in order, on {@code reader}. */
    static <T> EventPipe<T> start(
            ExecutorService reader,
            UsageParser parser,
            List<Input> files,
            UsageOptions options,
            Function<UsageEvent, T> prepare) {
        return new EventPipe<>(reader, parser, List.copyOf(files), options, prepare);
    }

    private void read(UsageParser parser, Input file, UsageOptions options, Function<UsageEvent, T> prepare) {
        Skips skips = new Skips();
        List<List<T>> batch = new ArrayList<>(1);
        batch.add(new ArrayList<>(BATCH));
        Throwable failure = null;
        try {
            parser.parse(
                    file,
                    options,
                    e -> {
                        List<T> b = batch.get(0);
                        b.add(prepare.apply(e));
                        if (b.size() == BATCH) {
                            hand(new Item<>(b, file, null));
                            batch.set(0, new ArrayList<>(BATCH));
                        }
                    },
                    skips);
            if (!batch.get(0).isEmpty()) {
                hand(new Item<>(batch.get(0), file, null));
            }
        } catch (Abandoned a) {
            throw a;
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        hand(new Item<>(null, file, new Done(skips, failure)));
    }

    /**
     * Hands {@code file}'s events to {@code sink}, on this thread, and says how its reading ended.
     * Files must be asked for in the order given to {@link #start}. What {@code sink} throws is
     * thrown here (call {@link #close} then).
     */
    Done next(Input file, Consumer<T> sink) {
        while (true) {
            Item<T> item;
            try {
                item = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while ingesting " + file.name(), e);
            }
            if (item == null) {
                if (reading.isDone()) {
                    // the reader ended without handing this file over: it died outside a parser
                    throw new IllegalStateException("the reader stopped before " + file.name() + ": " + cause());
                }
                continue;
            }
            if (item.file() != file) {
                throw new IllegalStateException("events of " + item.file().name() + " while ingesting " + file.name());
            }
            if (item.done() != null) {
                return item.done();
            }
            item.batch().forEach(sink);
        }
    }

    private String cause() {
        try {
            reading.get();
            return "it had no more files";
        } catch (ExecutionException e) {
            return String.valueOf(e.getCause());
        } catch (CancellationException e) {
            return "cancelled";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Stops the reader (when the calling thread gives up or is done). */
    @Override
    public void close() {
        abandoned.set(true);
        reading.cancel(true);
        queue.clear();
    }

    private void hand(Item<T> item) {
        try {
            while (!abandoned.get()) {
                if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
            throw new Abandoned();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Abandoned();
        }
    }
}
