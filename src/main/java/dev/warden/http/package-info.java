/**
 * The REST API over loopback or TLS, a thin adapter over the capabilities' services: {@link
 * dev.warden.http.HttpServer} serves the {@link dev.warden.http.Route}s each {@code *Routes} class
 * lists, checks the caller's token and permission before a handler runs (who calls — bearer token,
 * API token, client certificate, address — is read in one place, {@code Callers}), and answers every error
 * as {@code application/problem+json} ({@link dev.warden.http.Problem}, titled from its status).
 * A handler parses its request, calls one service and renders the answer; decisions live in the
 * capabilities, where the CLI reaches the same ones. The OpenAPI document served at
 * {@code /openapi.json} describes exactly these routes.
 */
package dev.warden.http;
