package dev.warden.cli;

import dev.warden.app.Warden;
import dev.warden.app.WardenConfig;
import dev.warden.auth.Role;
import dev.warden.auth.TokenService;
import dev.warden.demo.DemoEstate;
import dev.warden.discovery.ImportRun;
import dev.warden.http.HttpServer;
import dev.warden.posture.Evaluation;
import dev.warden.posture.Severity;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Load the built-in demo estate (a few hundred identities of every kind) into the store and run the server.",
            "Re-running updates the same identities in place. Prints the URL and a new admin token."
        })
final class DemoCommand implements Callable<Integer> {
    private static final String ACTOR = "cli:demo";

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Mixin
    ListenOptions listen;

    @Option(names = "--no-serve", description = "Load the demo estate and exit without starting the server.")
    boolean noServe;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Configuration file, e.g. a broker to try against the demo estate (docs/broker.md)."
                    + " Its refusals tell callers why unless broker.verboseErrors is false.")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        listen.validate();
        PrintWriter out = spec.commandLine().getOut();
        Warden w = Warden.open(store.location(), Clock.systemUTC(), demoConfig(config));
        try {
            Path sources = store.location().dataDir().resolve("demo-sources");
            DemoEstate.write(sources, w.clock().instant());
            int added = 0;
            int updated = 0;
            int unchanged = 0;
            for (ImportRun run : DemoEstate.load(w.importer(), sources, ACTOR)) {
                added += run.added();
                updated += run.updated();
                unchanged += run.unchanged();
            }
            out.println("demo estate: " + added + " identities added, " + updated + " updated, " + unchanged
                    + " unchanged (" + w.inventory().count() + " in store " + w.db().url() + ")");
            // Usage adds up, so the demo's activity is ingested (and its checkout scanned) once per store.
            if (w.ingester().runs(1_000).stream().noneMatch(r -> ACTOR.equals(r.actor()))) {
                DemoEstate.Activity a = DemoEstate.loadActivity(w.ingester(), w.scans(), sources, ACTOR);
                out.println("demo activity: " + a.ingest().events() + " CloudTrail events ingested; "
                        + a.scan().report().hits().size() + " leaked secrets found in a checkout, "
                        + a.scan().linked()
                        + " linked to identities");
            }
            Evaluation e = w.posture().evaluate(ACTOR);
            Map<Severity, Long> bySeverity = e.bySeverity(w.posture().checks().ids());
            StringBuilder counts = new StringBuilder();
            bySeverity.entrySet().stream()
                    .sorted(Map.Entry.<Severity, Long>comparingByKey().reversed())
                    .filter(x -> x.getValue() > 0)
                    .forEach(x -> counts.append(counts.length() == 0 ? "" : ", ")
                            .append(x.getValue())
                            .append(' ')
                            .append(x.getKey().value()));
            out.println("posture: " + (e.open() + e.accepted()) + " findings (" + counts + ") over " + e.evaluated()
                    + " machine identities — ./warden findings, ./warden report owasp-nhi");
            out.println("its source files (AWS CLI output, Kubernetes manifests, GitHub workflows, certificates,"
                    + " CloudTrail logs, a service checkout) are in " + sources);
            if (noServe) {
                w.close();
                return Main.OK;
            }
            TokenService.Issued token = w.tokens().create(Role.ADMIN, null, "demo session", "cli:demo");
            HttpServer http = w.serve(listen.bind, listen.port);
            String url = "http://" + listen.hostForUrl() + ":" + http.port();
            out.println();
            out.println("Warden is running at " + url);
            out.println("Admin token (shown once): " + token.token());
            out.println();
            out.println("Try:");
            out.println("  curl -s -H 'Authorization: Bearer " + token.token() + "' " + url + "/v1/stats");
            out.println("  ./warden identities list --unowned");
            out.println("Stop with Ctrl-C.");
            out.flush();
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
        ServeCommand.awaitShutdown(w);
        return Main.OK;
    }

    /** {@code --config} (or none), with the broker's verbose errors on unless the file turns them off. */
    static WardenConfig demoConfig(Path file) {
        if (file == null) {
            return WardenConfig.none();
        }
        WardenConfig c = WardenConfig.load(file);
        return c.broker() == null ? c : new WardenConfig(c.file(), c.broker().withVerboseErrorsDefault(true), c.tls());
    }
}
