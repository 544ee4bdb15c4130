package dev.warden.cli;

import dev.warden.app.Warden;
import dev.warden.app.WardenConfig;
import dev.warden.auth.TokenService;
import dev.warden.config.Version;
import dev.warden.http.HttpServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Run the Warden server: REST API, broker (token exchange), metrics and OpenAPI document.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Mixin
    ListenOptions listen;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Configuration file (broker, TLS; see docs/broker.md). Default: $WARDEN_CONFIG, else none.")
    Path config;

    @Mixin
    PolicyOptions policy;

    @Override
    public Integer call() throws InterruptedException {
        listen.validate();
        WardenConfig cfg = loadConfig(config);
        Warden w = Warden.open(store.location(), Clock.systemUTC(), cfg, policy.load());
        try {
            Optional<TokenService.Issued> bootstrap = w.tokens().bootstrap();
            HttpServer http = w.serve(listen.bind, listen.port);
            w.installSignalHandlers();
            PrintWriter out = spec.commandLine().getOut();
            out.println("warden " + Version.current() + " serving http://" + listen.hostForUrl() + ":"
                    + http.port() + (http.tlsPort() > 0 ? " and https port " + http.tlsPort() : "") + " (store: "
                    + w.db().url() + ")");
            if (w.broker() != null) {
                out.println("broker: issuer " + w.broker().config().issuer() + ", "
                        + w.broker().attestors().all().size() + " attestors, "
                        + w.broker().policies().current().policies().size() + " policies from "
                        + w.broker().policies().dir());
            }
            bootstrap.ifPresent(b -> printBootstrap(out, b));
            out.flush();
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
        awaitShutdown(w);
        return Main.OK;
    }

    /** {@code --config}, else {@code WARDEN_CONFIG}, else no file. */
    static WardenConfig loadConfig(Path flag) {
        if (flag != null) {
            return WardenConfig.load(flag);
        }
        String env = System.getenv("WARDEN_CONFIG");
        return env == null || env.isBlank() ? WardenConfig.none() : WardenConfig.load(Path.of(env));
    }

    static void printBootstrap(PrintWriter out, TokenService.Issued b) {
        out.println();
        out.println("Bootstrap admin token (shown once; store it in a secret manager):");
        out.println("  " + b.token());
        out.println();
    }

    /** Blocks until the JVM is asked to stop, then closes the server and the store. */
    static void awaitShutdown(Warden w) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            w.close();
                            stopped.countDown();
                        },
                        "warden-shutdown"));
        stopped.await();
    }
}
