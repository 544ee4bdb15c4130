package dev.warden.http;

import io.javalin.http.Context;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/** Prometheus metrics: JVM and process, plus one timer per route, method and status. */
final class Metrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentMap<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    /** Routes are the registered paths (not request paths), so these keys are few. */
    private record TimerKey(String method, String route, int status) {}

    Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    void recordRequest(Context ctx, float millis) {
        String route;
        try {
            route = ctx.endpoint().path;
        } catch (RuntimeException e) {
            route = "unmatched";
        }
        String method = ctx.method().name();
        int status = ctx.statusCode();
        // The timer is looked up by its tags once, not built and registered on every request.
        Timer timer = timers.computeIfAbsent(
                new TimerKey(method, route, status),
                k -> Timer.builder("warden.http.requests")
                        .description("HTTP requests served")
                        .tag("method", k.method())
                        .tag("route", k.route())
                        .tag("status", Integer.toString(k.status()))
                        .register(registry));
        timer.record((long) (millis * 1_000_000L), TimeUnit.NANOSECONDS);
    }

    String scrape() {
        return registry.scrape();
    }
}
