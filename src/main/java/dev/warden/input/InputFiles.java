package dev.warden.input;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Expands inputs into the files a connector reads: a file as given, a directory walked (symbolic
 * links not followed, so no loops; hidden directories skipped; sorted for reproducible imports),
 * content as is. Files over {@link #MAX_FILE} are refused.
 */
public final class InputFiles {
    /** The largest single file or request body a connector reads. */
    public static final long MAX_FILE = 2L * 1024 * 1024 * 1024;

    private static final int MAX_FILES = 100_000;

    private InputFiles() {}

    /** Files under {@code inputs} whose names end with one of {@code extensions} (lower case, with dot); files named directly are always taken. */
    public static List<Input> expand(List<Input> inputs, Set<String> extensions) {
        List<Input> out = new ArrayList<>();
        for (Input in : inputs) {
            if (in.isUrl()) {
                throw new InputException(in.name() + ": this source reads files, not URLs");
            }
            if (in.isContent()) {
                out.add(in);
                continue;
            }
            Path p = in.path();
            if (!Files.exists(p)) {
                throw new InputException(in.name() + ": no such file or directory");
            }
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p, 64, new FileVisitOption[0])) {
                    walk.filter(f -> !hiddenBelow(p, f))
                            .filter(Files::isRegularFile)
                            .filter(f -> extensions.stream()
                                    .anyMatch(e -> f.getFileName()
                                            .toString()
                                            .toLowerCase(Locale.ROOT)
                                            .endsWith(e)))
                            .sorted()
                            .forEach(f -> {
                                if (out.size() >= MAX_FILES) {
                                    throw new InputException(in.name() + ": more than " + MAX_FILES + " files");
                                }
                                out.add(Input.path(f));
                            });
                } catch (IOException | UncheckedIOException e) {
                    throw new InputException(in.name() + ": cannot read directory: " + e.getMessage(), e);
                }
            } else if (!Files.isReadable(p)) {
                throw new InputException(in.name() + ": not readable");
            } else {
                out.add(in);
            }
        }
        for (Input f : out) {
            try {
                if (f.size() > MAX_FILE) {
                    throw new InputException(f.name() + ": larger than " + MAX_FILE / (1024 * 1024) + " MiB");
                }
            } catch (IOException e) {
                throw new InputException(f.name() + ": cannot read: " + e.getMessage(), e);
            }
        }
        if (out.isEmpty()) {
            throw new InputException("no input files found (looked for "
                    + String.join(", ", extensions.stream().sorted().toList()) + ")");
        }
        return out;
    }

    private static boolean hiddenBelow(Path root, Path f) {
        Path rel = root.relativize(f);
        for (Path part : rel) {
            if (part.toString().startsWith(".") && !part.toString().equals(".github")) {
                return true;
            }
        }
        return false;
    }
}
