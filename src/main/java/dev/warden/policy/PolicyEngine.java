package dev.warden.policy;

import dev.warden.audit.AuditLog;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active policy set: compiled once at start and again on reload ({@code SIGHUP} or
 * {@code POST /v1/policies/reload}). A reload that fails leaves the old set active and reports
 * every problem with its file and position. Both outcomes are audited.
 */
public final class PolicyEngine {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyEngine.class);

    private final Path dir;
    private final AuditLog audit;
    private final AtomicReference<PolicySet> current;

    /** Loads the policies in {@code dir}; throws {@link PolicyException} when they do not compile. */
    public PolicyEngine(Path dir, AuditLog audit) {
        this.dir = dir;
        this.audit = audit;
        this.current = new AtomicReference<>(PolicyLoader.load(dir));
        LOG.info(
                "event=policies_loaded dir={} policies={} digest={}",
                dir,
                current.get().policies().size(),
                current.get().digest());
    }

    public PolicySet current() {
        return current.get();
    }

    public Path dir() {
        return dir;
    }

    public Decision decide(PolicyInput in) {
        return current.get().decide(in);
    }

    /** Decides an X.509-SVID request asking for {@code dnsNames} (see {@link PolicySet#decideSvid}). */
    public Decision decideSvid(PolicyInput in, List<String> dnsNames) {
        return current.get().decideSvid(in, dnsNames);
    }

    /** Recompiles the directory; on failure the old set stays active and the exception says why. */
    public synchronized PolicySet reload(String actor) {
        PolicySet old = current.get();
        try {
            PolicySet next = PolicyLoader.load(dir);
            current.set(next);
            Map<String, String> d = new LinkedHashMap<>();
            d.put("policies", Integer.toString(next.policies().size()));
            d.put("digest", next.digest());
            d.put("previousDigest", old.digest());
            audit.append(actor, "policy.reload", "policy_set", dir.toString(), d);
            LOG.info(
                    "event=policies_reloaded policies={} digest={}",
                    next.policies().size(),
                    next.digest());
            return next;
        } catch (PolicyException e) {
            Map<String, String> d = new LinkedHashMap<>();
            d.put("activeDigest", old.digest());
            d.put("problems", String.join("; ", e.problems()));
            audit.append(actor, "policy.reload_failed", "policy_set", dir.toString(), d);
            LOG.warn(
                    "event=policy_reload_failed problems={} kept_digest={}",
                    e.problems().size(),
                    old.digest());
            throw e;
        }
    }
}
