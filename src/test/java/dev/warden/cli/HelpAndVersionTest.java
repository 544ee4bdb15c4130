package dev.warden.cli;

import static dev.warden.cli.Cli.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** {@code --help} on every command and {@code warden version}: exit 0, text on stdout, nothing else. */
class HelpAndVersionTest {
    /** The commands the documentation promises; {@link #commands()} must contain at least these. */
    private static final List<List<String>> DOCUMENTED = List.of(
            List.of(),
            List.of("serve"),
            List.of("demo"),
            List.of("identities"),
            List.of("identities", "list"),
            List.of("identities", "show"),
            List.of("token"),
            List.of("token", "create"),
            List.of("token", "list"),
            List.of("token", "revoke"),
            List.of("audit"),
            List.of("audit", "verify"),
            List.of("version"));

    /** Every command and subcommand in the tree, so a new command gets these tests too. */
    static Stream<List<String>> commands() {
        List<List<String>> all = new ArrayList<>();
        collect(new CommandLine(new WardenCommand()), List.of(), all);
        return all.stream();
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> into) {
        into.add(path);
        command.getSubcommands().forEach((name, sub) -> {
            List<String> p = new ArrayList<>(path);
            p.add(name);
            collect(sub, List.copyOf(p), into);
        });
    }

    static Stream<List<String>> storeCommands() {
        return Stream.of(
                List.of("serve"),
                List.of("demo"),
                List.of("identities", "list"),
                List.of("identities", "show"),
                List.of("token", "create"),
                List.of("token", "list"),
                List.of("token", "revoke"),
                List.of("audit", "verify"));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void help_prints_the_commands_usage_and_exits_0(List<String> command) {
        for (String flag : List.of("--help", "-h")) {
            List<String> args = new ArrayList<>(command);
            args.add(flag);
            Cli.Result r = assertOk(Cli.run(args.toArray(new String[0])));

            String name = String.join(" ", command);
            assertThat(r.out())
                    .as("%s", r)
                    .startsWith("Usage: warden" + (name.isEmpty() ? "" : " " + name) + " ")
                    .contains("-h, --help");
        }
    }

    @ParameterizedTest
    @MethodSource("storeCommands")
    void help_of_a_command_that_opens_the_store_documents_data_dir_and_db(List<String> command) {
        List<String> args = new ArrayList<>(command);
        args.add("--help");
        Cli.Result r = assertOk(Cli.run(args.toArray(new String[0])));

        assertThat(r.out()).contains("--data-dir=DIR", "--db=URL", "--verbose");
    }

    @Test
    void every_documented_command_exists() {
        assertThat(commands().toList()).containsAll(DOCUMENTED);
    }

    @Test
    void top_level_help_lists_every_command_and_the_exit_codes() {
        Cli.Result r = assertOk(Cli.run("--help"));

        assertThat(r.out())
                .contains("Commands:")
                .containsPattern("(?m)^  serve ")
                .containsPattern("(?m)^  demo ")
                .containsPattern("(?m)^  identities ")
                .containsPattern("(?m)^  token ")
                .containsPattern("(?m)^  audit ")
                .containsPattern("(?m)^  version ")
                .contains("Exit codes: 0 ok, 1 a check failed, 2 usage or input error.");
    }

    @Test
    void help_of_commands_with_subcommands_lists_them() {
        assertThat(assertOk(Cli.run("identities", "--help")).out())
                .containsPattern("(?m)^  list ")
                .containsPattern("(?m)^  show ");
        assertThat(assertOk(Cli.run("token", "--help")).out())
                .containsPattern("(?m)^  create ")
                .containsPattern("(?m)^  list ")
                .containsPattern("(?m)^  revoke ");
        assertThat(assertOk(Cli.run("audit", "--help")).out()).containsPattern("(?m)^  verify ");
    }

    @Test
    void help_of_list_names_the_identity_kinds_and_formats() {
        Cli.Result r = assertOk(Cli.run("identities", "list", "--help"));

        assertThat(r.out())
                .contains("--kind=KIND", "KUBERNETES_SERVICE_ACCOUNT")
                .contains("--format=FORMAT", "table or json")
                .contains("--unowned", "--owner=OWNER", "--source=TYPE[:SCOPE]", "--environment=ENV", "--q=TEXT");
    }

    @Test
    void version_prints_warden_and_java_versions_on_one_line() {
        Cli.Result r = assertOk(Cli.run("version"));

        assertThat(r.outLines()).singleElement().asString().matches("warden \\S+ \\(java \\S+\\)");
    }

    @Test
    void version_flag_prints_the_version() {
        Cli.Result r = assertOk(Cli.run("--version"));

        assertThat(r.outLines()).singleElement().asString().matches("warden \\S+");
    }
}
