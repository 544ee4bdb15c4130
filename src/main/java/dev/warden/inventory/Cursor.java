package dev.warden.inventory;

import dev.warden.store.Ids;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque pagination cursors: the last id seen, base64url-encoded with a version tag. */
final class Cursor {
    private static final String PREFIX = "i1:";

    private Cursor() {}

    static String encode(String lastId) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((PREFIX + lastId).getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when the cursor was not made by {@link #encode}. */
    static String decode(String cursor) {
        if (cursor.length() > 100) {
            throw new IllegalArgumentException("invalid cursor");
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid cursor", e);
        }
        if (!text.startsWith(PREFIX) || !Ids.isValid(text.substring(PREFIX.length()))) {
            throw new IllegalArgumentException("invalid cursor");
        }
        return text.substring(PREFIX.length());
    }
}
