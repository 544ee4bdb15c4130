package dev.warden.cli;

/** How a command prints data. */
enum Format {
    table,
    json
}
