package dev.warden.cli;

import dev.warden.app.Warden;
import dev.warden.auth.ApiToken;
import dev.warden.auth.Role;
import dev.warden.auth.TokenService;
import dev.warden.input.Echo;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Create, list and revoke API tokens (works on the store directly).",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required (create, list, revoke)");
    }

    static String actor() {
        return "cli:" + System.getProperty("user.name", "unknown");
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create an API token; it is printed once and stored only hashed.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions store;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "admin, operator or auditor.")
        String role;

        @Option(names = "--team", paramLabel = "TEAM", description = "Limit the token to identities this team owns.")
        String team;

        @Option(names = "--description", paramLabel = "TEXT", description = "What the token is for.")
        String description;

        @Mixin
        FormatOption format = FormatOption.of(Format.table, Format.json);

        @Override
        public Integer call() throws Exception {
            Role r = Role.parse(role);
            PrintWriter out = spec.commandLine().getOut();
            try (Warden w = store.open()) {
                TokenService.Issued issued = w.tokens().create(r, team, description, actor());
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("token", issued.token());
                body.put("meta", issued.meta());
                format.print(out, body, o -> {
                    o.println(issued.token());
                    spec.commandLine()
                            .getErr()
                            .println("created " + r.value() + " token "
                                    + issued.meta().id() + (team != null ? " for team " + team : "")
                                    + "; it is shown only now");
                });
            }
            return Main.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List API tokens (metadata only).")
    static final class ListTokens implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions store;

        @Mixin
        FormatOption format = FormatOption.of(Format.table, Format.json);

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (Warden w = store.open()) {
                var tokens = w.tokens().list();
                format.print(out, tokens, o -> {
                    Table t =
                            new Table("ID", "ROLE", "TEAM", "HINT", "CREATED", "CREATED BY", "REVOKED", "DESCRIPTION");
                    for (ApiToken a : tokens) {
                        t.row(
                                a.id(),
                                a.role().value(),
                                a.team(),
                                "…" + a.hint(),
                                a.createdAt(),
                                a.createdBy(),
                                a.revokedAt(),
                                a.description());
                    }
                    t.print(o);
                });
            }
            return Main.OK;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke an API token by id.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions store;

        @Parameters(paramLabel = "ID", description = "The token's id (from 'warden token list').")
        String id;

        @Override
        public Integer call() {
            try (Warden w = store.open()) {
                if (!w.tokens().revoke(id, actor())) {
                    throw new IllegalArgumentException("no active token with id '" + Echo.shown(id) + "'");
                }
                spec.commandLine().getOut().println("revoked " + id);
            }
            return Main.OK;
        }
    }
}
