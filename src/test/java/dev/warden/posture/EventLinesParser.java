package dev.warden.posture;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.config.Json;
import dev.warden.input.Input;
import dev.warden.usage.Skips;
import dev.warden.usage.UsageEvent;
import dev.warden.usage.UsageException;
import dev.warden.usage.UsageParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A test-only usage format: one {@link UsageEvent} as JSON per line. The real log parsers
 * (CloudTrail, Kubernetes audit) are another part of the issue; posture tests feed usage through the
 * real ingester and store with this.
 */
final class EventLinesParser implements UsageParser {
    static final String NAME = "event-lines";
    private static final ObjectMapper MAPPER = Json.mapper();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "usage events as JSON lines (tests)";
    }

    @Override
    public void parse(Input input, dev.warden.usage.UsageOptions options, Consumer<UsageEvent> sink, Skips skips) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(input.open(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    sink.accept(MAPPER.readValue(line, UsageEvent.class));
                }
            }
        } catch (IOException e) {
            throw new UsageException(input.name() + ": " + e.getMessage(), e);
        }
    }
}
