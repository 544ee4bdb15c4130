/**
 * The {@code warden} command line (picocli), a thin adapter like the API: each command parses and
 * checks its options before the store is opened, calls one service of the composition root ({@code
 * app.Warden}) and prints the result. Options shared by commands are mixins ({@code StoreOptions},
 * {@code PolicyOptions}, {@code ListenOptions}, and {@code FormatOption} for {@code --format} and
 * JSON printing). {@link dev.warden.cli.Main} maps outcomes to exit codes: 0 ok, 1 a check failed,
 * 2 usage or input error, with one line on stderr. Nothing else in Warden imports this package.
 */
package dev.warden.cli;
