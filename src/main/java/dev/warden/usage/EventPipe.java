package dev.warden.usage;

import dev.warden.discovery.Input;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a parser on a reader thread and hands its events to the calling thread in file order, in
 * batches through a bounded queue (memory: {@link #QUEUE} × {@link #BATCH} events). {@code prepare}
 * turns each event into what the calling thread consumes, on the reader thread (work moved off the
 * writing thread). What the parser throws is rethrown on the calling thread after the events
 * before it; if the calling thread fails, the reader is stopped.
 */
final class EventPipe {
    static final int BATCH = 1_000;
    static final int QUEUE = 8;

    private EventPipe() {}

    /** Thrown on the reader thread when the calling thread gave up. */
    private static final class Abandoned extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abandoned() {
            super("abandoned", null, false, false);
        }
    }

    static <T> void run(
            ExecutorService reader,
            UsageParser parser,
            Input file,
            UsageOptions options,
            Skips skips,
            Function<UsageEvent, T> prepare,
            Consumer<T> sink) {
        BlockingQueue<List<T>> queue = new ArrayBlockingQueue<>(QUEUE);
        List<T> end = new ArrayList<>(0);
        AtomicBoolean abandoned = new AtomicBoolean();
        Future<?> reading = reader.submit(() -> {
            List<List<T>> batch = new ArrayList<>(1);
            batch.add(new ArrayList<>(BATCH));
            try {
                parser.parse(
                        file,
                        options,
                        e -> {
                            List<T> b = batch.get(0);
                            b.add(prepare.apply(e));
                            if (b.size() == BATCH) {
                                hand(queue, b, abandoned);
                                batch.set(0, new ArrayList<>(BATCH));
                            }
                        },
                        skips);
                if (!batch.get(0).isEmpty()) {
                    hand(queue, batch.get(0), abandoned);
                }
            } finally {
                if (!abandoned.get()) {
                    hand(queue, end, abandoned);
                }
            }
            return null;
        });
        boolean drained = false;
        try {
            for (List<T> b = queue.take(); b != end; b = queue.take()) {
                b.forEach(sink);
            }
            drained = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while ingesting " + file.name(), e);
        } finally {
            if (!drained) {
                abandoned.set(true);
                reading.cancel(true);
                queue.clear();
            }
        }
        try {
            reading.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(file.name() + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while ingesting " + file.name(), e);
        }
    }

    private static <T> void hand(BlockingQueue<List<T>> queue, List<T> batch, AtomicBoolean abandoned) {
        try {
            while (!queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                if (abandoned.get()) {
                    throw new Abandoned();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Abandoned();
        }
    }
}
