package dev.warden.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.warden.config.Json;
import dev.warden.input.Echo;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --format}, declared once for every command that prints data, and the JSON printing they
 * share. A command names the formats it prints, its default first:
 * {@code @Mixin FormatOption format = FormatOption.of(Format.table, Format.json);}. Its help then
 * lists exactly those ({@code table or json (default table).}), values are case-insensitive, and any
 * other value is a usage error (exit 2) before the command runs.
 */
final class FormatOption {
    private final List<Format> allowed;
    private Format value;
    private CommandSpec command;

    private FormatOption(List<Format> allowed) {
        this.allowed = List.copyOf(allowed);
        this.value = allowed.get(0);
    }

    /** The formats a command prints, {@code first} being its default. */
    static FormatOption of(Format first, Format... more) {
        return new FormatOption(Stream.concat(Stream.of(first), Stream.of(more)).toList());
    }

    /**
     * Picocli hands over the command this mixin is part of once its options are in place; the one
     * {@code --format} declared below is then described with this command's formats and default.
     */
    @Spec(Spec.Target.MIXEE)
    void describeIn(CommandSpec mixee) {
        this.command = mixee;
        OptionSpec declared = mixee.findOption("--format");
        List<String> names = allowed.stream().map(Format::name).toList();
        mixee.remove(declared);
        mixee.addOption(declared.toBuilder()
                .description(choices(names) + " (default " + names.get(0) + ").")
                .defaultValue(names.get(0))
                .completionCandidates(names)
                .build());
    }

    @Option(names = "--format", paramLabel = "FORMAT", description = "How to print.")
    void set(String text) {
        String key = text.strip().toLowerCase(Locale.ROOT);
        value = allowed.stream()
                .filter(f -> f.name().equals(key))
                .findFirst()
                .orElseThrow(() -> new ParameterException(
                        command.commandLine(),
                        "unknown format '" + Echo.shown(text) + "' (expected "
                                + choices(allowed.stream().map(Format::name).toList()) + ")"));
    }

    /** The format asked for (the command's default when none was). */
    Format value() {
        return value;
    }

    boolean is(Format format) {
        return value == format;
    }

    /**
     * Prints {@code data} as indented JSON with {@code --format json}, else as {@code text} prints it
     * (the command's table or summary).
     */
    void print(PrintWriter out, Object data, Consumer<PrintWriter> text) throws JsonProcessingException {
        if (value == Format.json) {
            json(out, data);
        } else {
            text.accept(out);
        }
    }

    /** Prints {@code data} as indented JSON, as every command's {@code --format json} does. */
    static void json(PrintWriter out, Object data) throws JsonProcessingException {
        out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(data));
    }

    /** "table or json", "table, json or csv". */
    private static String choices(List<String> names) {
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }
}
