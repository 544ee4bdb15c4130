package dev.warden.cli;

import picocli.CommandLine.Option;

/** {@code --bind} and {@code --port} for commands that run the server. */
final class ListenOptions {
    @Option(
            names = "--bind",
            paramLabel = "ADDR",
            defaultValue = "127.0.0.1",
            description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(
            names = "--port",
            paramLabel = "N",
            defaultValue = "8080",
            description = "Port to listen on; 0 picks a free one (default ${DEFAULT-VALUE}).")
    int port;

    String hostForUrl() {
        return bind.contains(":") ? "[" + bind + "]" : bind;
    }

    void validate() {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535");
        }
    }
}
