package dev.warden.policy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads policies on {@code SIGHUP}, where the JVM lets a program handle it ({@code sun.misc.Signal}
 * from the jdk.unsupported module). Optional: where it is unavailable, {@code POST
 * /v1/policies/reload} still works, and {@link #install} says so in the log.
 */
public final class SighupReload {
    private static final Logger LOG = LoggerFactory.getLogger(SighupReload.class);

    private SighupReload() {}

    /** Installs the handler; returns false when this JVM does not allow it. */
    public static boolean install(PolicyEngine engine) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> {
                try {
                    engine.reload("system:sighup");
                } catch (PolicyException e) {
                    LOG.warn(
                            "event=sighup_reload_failed detail=\"{}\"",
                            e.getMessage().replace('\n', ' '));
                } catch (RuntimeException e) {
                    LOG.error("event=sighup_reload_error", e);
                }
            });
            return true;
        } catch (IllegalArgumentException | LinkageError | SecurityException e) {
            LOG.info("event=sighup_unavailable detail=\"{}\" hint=\"use POST /v1/policies/reload\"", e.getMessage());
            return false;
        }
    }
}
