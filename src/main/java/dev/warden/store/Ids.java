package dev.warden.store;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import dev.warden.input.Echo;
import java.util.regex.Pattern;

/** Warden's record ids: UUIDv7 (RFC 9562), time-ordered so that inserts append to indexes. */
public final class Ids {
    private static final TimeBasedEpochGenerator GENERATOR = Generators.timeBasedEpochGenerator();
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private Ids() {}

    public static String next() {
        return GENERATOR.generate().toString();
    }

    public static boolean isValid(String id) {
        return id != null && UUID.matcher(id).matches();
    }

    public static void requireValid(String field, String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException(field + " '" + Echo.shown(id) + "' is not a valid id");
        }
    }
}
