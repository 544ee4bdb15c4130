package dev.warden.usage;

import dev.warden.input.Input;
import java.util.function.Consumer;

/**
 * The usage seam: reads one activity-log format and emits {@link UsageEvent}s.
 *
 * <p>Contract. {@link #parse} streams one file (memory bounded by one record, never by the file):
 * each well-formed record becomes zero or more events passed to {@code sink} in file order; a
 * record it cannot use (malformed, missing fields, absurd timestamp, oversized) is counted in
 * {@code skips} with its position and reason, and parsing goes on. Only an unreadable file (not
 * this format at all, corrupt compression, JSON that breaks off) throws {@link UsageException},
 * naming the file; the ingester then applies nothing from that file. Parsers never touch the store.
 *
 * <p>{@code options} carries what a format needs beyond the file (the Kubernetes cluster an audit
 * log comes from); a format missing an option it needs throws {@link IllegalArgumentException} (a
 * usage error, not a bad file) before reading anything. Parsers that judge timestamps are given a
 * {@link java.time.Clock}. Implementations live in {@code usage/<format>/} and are listed in
 * {@link UsageParsers}; each test class extends the shared {@code UsageParserContract}.
 */
public interface UsageParser {
    /** The format name on the command line and in {@code /v1/usage/{format}}. */
    String name();

    String description();

    void parse(Input input, UsageOptions options, Consumer<UsageEvent> sink, Skips skips);
}
