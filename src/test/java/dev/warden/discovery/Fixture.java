package dev.warden.discovery;

import dev.warden.input.Input;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of fixture files under src/test/resources. */
public final class Fixture {
    private Fixture() {}

    public static Path path(String resource) {
        try {
            var url = Fixture.class.getResource("/" + resource);
            if (url == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Input input(String resource) {
        return Input.path(path(resource));
    }

    public static String text(String resource) {
        try {
            return Files.readString(path(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
