package dev.warden.cli;

/** How a command prints data; each command prints some of these ({@link FormatOption}). */
enum Format {
    table,
    json,
    csv,
    sarif,
    md,
    html
}
