package dev.warden.cli;

import static dev.warden.cli.Cli.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad command lines: exit 2, one error line on stderr, no stack trace, and the store left untouched. */
class UsageErrorTest {
    private static final Set<String> STORE_COMMANDS = Set.of(
            "serve",
            "demo",
            "identities list",
            "identities show",
            "token create",
            "token list",
            "token revoke",
            "audit verify");

    @TempDir
    Path dir;

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                Arguments.of(List.of(), "a command is required"),
                Arguments.of(List.of("frobnicate"), "'frobnicate'"),
                Arguments.of(List.of("--frobnicate"), "'--frobnicate'"),
                Arguments.of(List.of("version", "--frobnicate"), "'--frobnicate'"),
                Arguments.of(List.of("identities", "list", "--frobnicate"), "'--frobnicate'"),
                Arguments.of(List.of("identities"), "a subcommand is required"),
                Arguments.of(List.of("identities", "frobnicate"), "'frobnicate'"),
                Arguments.of(List.of("token"), "a subcommand is required"),
                Arguments.of(List.of("audit"), "a subcommand is required"),
                Arguments.of(List.of("identities", "list", "--kind", "nonsense"), "'nonsense'"),
                Arguments.of(List.of("identities", "list", "--status", "nonsense"), "'nonsense'"),
                Arguments.of(List.of("identities", "list", "--format", "xml"), "'xml'"),
                Arguments.of(List.of("identities", "show", "x", "--format", "xml"), "'xml'"),
                Arguments.of(List.of("audit", "verify", "--format", "xml"), "'xml'"),
                Arguments.of(List.of("token", "list", "--format", "xml"), "'xml'"),
                Arguments.of(List.of("identities", "list", "--limit", "-1"), "--limit must be between 1 and 1000000"),
                Arguments.of(List.of("identities", "list", "--limit", "0"), "--limit must be between 1 and 1000000"),
                Arguments.of(
                        List.of("identities", "list", "--limit", "1000001"), "--limit must be between 1 and 1000000"),
                Arguments.of(List.of("identities", "list", "--limit", "lots"), "'lots'"),
                Arguments.of(List.of("identities", "list", "--kind"), "--kind"),
                Arguments.of(List.of("identities", "show"), "ID|EXTERNAL_ID"),
                Arguments.of(List.of("identities", "show", "a", "b"), "'b'"),
                Arguments.of(List.of("token", "create"), "--role"),
                Arguments.of(List.of("token", "create", "--role", "root"), "unknown role"),
                Arguments.of(List.of("token", "create", "--role", ""), "unknown role"),
                Arguments.of(List.of("token", "revoke"), "ID"),
                Arguments.of(List.of("serve", "--port", "70000"), "--port must be between 0 and 65535"),
                Arguments.of(List.of("serve", "--port", "-1"), "--port must be between 0 and 65535"),
                Arguments.of(List.of("demo", "--port", "http"), "'http'"));
    }

    @ParameterizedTest
    @MethodSource("badCommandLines")
    void bad_command_line_exits_2_with_one_error_line_and_no_stack_trace(List<String> command, String fragment) {
        Path dataDir = dir.resolve("data");
        List<String> args = new ArrayList<>(command);
        if (opensStore(command)) {
            args.addAll(List.of("--data-dir", dataDir.toString()));
        }

        Cli.Result r = Cli.run(args.toArray(new String[0]));

        assertError(r, 2, fragment);
        assertThat(dataDir).as("the store is not opened for a bad command line").doesNotExist();
    }

    private static boolean opensStore(List<String> command) {
        String first = command.isEmpty() ? "" : command.get(0);
        String two = command.size() < 2 ? first : first + " " + command.get(1);
        return STORE_COMMANDS.contains(first) || STORE_COMMANDS.contains(two);
    }

    @Test
    void an_unknown_role_is_rejected_before_anything_is_written() {
        Cli.Store store = Cli.Store.dataDir(dir.resolve("data"));
        Cli.assertOk(store.run("token", "list"));

        Cli.Result r = store.run("token", "create", "--role", "root");

        assertError(r, 2, "unknown role (expected one of admin, operator, auditor)");
        assertThat(Cli.assertOk(store.run("token", "list", "--format", "json")).json())
                .isEmpty();
    }

    @Test
    void a_bad_team_name_is_an_input_error_and_creates_no_token() {
        Cli.Store store = Cli.Store.dataDir(dir.resolve("data"));

        Cli.Result r = store.run("token", "create", "--role", "operator", "--team", "pay ments; drop table");

        assertError(r, 2, "team must be");
        assertThat(Cli.assertOk(store.run("token", "list", "--format", "json")).json())
                .isEmpty();
    }

    @Test
    void verbose_keeps_the_error_line_first_and_adds_the_stack_trace() {
        Cli.Result r = Cli.run("identities", "list", "--limit", "-1", "--verbose", "--data-dir", dir.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines().get(0)).isEqualTo("warden: error: --limit must be between 1 and 1000000");
        assertThat(r.err()).contains("IllegalArgumentException");
    }
}
