package dev.warden.cli;

import dev.warden.app.Warden;
import dev.warden.auth.TokenService;
import dev.warden.http.HttpServer;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Run the Warden server: REST API, metrics and OpenAPI document.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Mixin
    ListenOptions listen;

    @Mixin
    PolicyOptions policy;

    @Override
    public Integer call() throws InterruptedException {
        listen.validate();
        Warden w = store.open(policy.load());
        try {
            Optional<TokenService.Issued> bootstrap = w.tokens().bootstrap();
            HttpServer http = w.serve(listen.bind, listen.port);
            PrintWriter out = spec.commandLine().getOut();
            out.println("warden " + dev.warden.app.Version.current() + " serving http://" + listen.hostForUrl() + ":"
                    + http.port() + " (store: " + w.db().url() + ")");
            bootstrap.ifPresent(b -> printBootstrap(out, b));
            out.flush();
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
        awaitShutdown(w);
        return Main.OK;
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
