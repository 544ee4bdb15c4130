package dev.warden.policy;

import dev.cel.runtime.CelEvaluationException;
import dev.warden.input.Echo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An immutable, compiled set of policies, in a fixed order (file name, then position in the file).
 * Deny by default: the first policy that matches the workload, grants every requested target,
 * scope and actor, and whose condition holds, allows; otherwise the request is denied with the
 * reason of the candidate that got furthest.
 */
public final class PolicySet {
    private final List<Policy> policies;
    private final String digest;

    PolicySet(List<Policy> policies, String digest) {
        this.policies = List.copyOf(policies);
        this.digest = digest;
    }

    public static PolicySet empty() {
        return new PolicySet(List.of(), "empty");
    }

    public List<Policy> policies() {
        return policies;
    }

    /** A SHA-256 over the policy files' contents: which policy set decided, for audit. */
    public String digest() {
        return digest;
    }

    public Decision decide(PolicyInput in) {
        return decide(in, false);
    }

    /** Decides; with {@code explain} the decision carries one trace line per policy. */
    public Decision decide(PolicyInput in, boolean explain) {
        List<String> trace = explain ? new ArrayList<>() : null;
        PolicyCompiler.Bindings bindings = null;
        Decision.Outcome best = Decision.Outcome.NO_MATCHING_POLICY;
        String bestReason =
                "no policy matches workload '" + Echo.shown(in.subject().id()) + "' from attestor '"
                        + Echo.shown(in.subject().attestor()) + "'";
        String bestPolicy = null;
        List<String> targets = in.request().targets();
        for (Policy p : policies) {
            if (!p.matches(in.subject())) {
                note(trace, p, "does not match the workload");
                continue;
            }
            String missingTarget = null;
            for (String t : targets) {
                if (!p.grantsTarget(t)) {
                    missingTarget = t;
                    break;
                }
            }
            if (missingTarget != null) {
                if (rank(Decision.Outcome.TARGET_NOT_GRANTED) > rank(best)) {
                    best = Decision.Outcome.TARGET_NOT_GRANTED;
                    bestPolicy = p.id();
                    bestReason = "policy " + p.name() + " does not grant target '" + Echo.shown(missingTarget) + "'";
                }
                note(trace, p, "matches, but does not grant target '" + Echo.shown(missingTarget) + "'");
                continue;
            }
            List<String> scopes = in.request().scopes().isEmpty()
                    ? p.defaultScopes()
                    : in.request().scopes();
            String missingScope = null;
            for (String s : scopes) {
                if (!p.scopes().contains(s)) {
                    missingScope = s;
                    break;
                }
            }
            if (missingScope != null) {
                if (rank(Decision.Outcome.SCOPE_NOT_GRANTED) > rank(best)) {
                    best = Decision.Outcome.SCOPE_NOT_GRANTED;
                    bestPolicy = p.id();
                    bestReason = "policy " + p.name() + " does not grant scope '" + Echo.shown(missingScope) + "'";
                }
                note(trace, p, "matches and grants the target, but not scope '" + Echo.shown(missingScope) + "'");
                continue;
            }
            String actor = in.request().actor();
            if (!actor.isEmpty() && !p.grantsActor(actor)) {
                if (rank(Decision.Outcome.ACTOR_NOT_GRANTED) > rank(best)) {
                    best = Decision.Outcome.ACTOR_NOT_GRANTED;
                    bestPolicy = p.id();
                    bestReason =
                            "policy " + p.name() + " does not let '" + Echo.shown(actor) + "' act for this workload";
                }
                note(trace, p, "grants target and scopes, but not delegation to actor '" + Echo.shown(actor) + "'");
                continue;
            }
            Duration ttl =
                    in.request().ttl() == null ? p.defaultTtl() : in.request().ttl();
            if (ttl.compareTo(p.maxTtl()) > 0) {
                ttl = p.maxTtl();
            }
            if (p.program() != null) {
                if (bindings == null) {
                    bindings = new PolicyCompiler.Bindings(in);
                }
                bindings.ttl(ttl);
                String failure;
                try {
                    failure = PolicyCompiler.eval(p.program(), bindings) ? null : "condition is false";
                } catch (CelEvaluationException | RuntimeException e) {
                    failure = "condition failed: " + Echo.shown(firstLine(e.getMessage()));
                }
                if (failure != null) {
                    if (rank(Decision.Outcome.CONDITION_FALSE) > rank(best)) {
                        best = Decision.Outcome.CONDITION_FALSE;
                        bestPolicy = p.id();
                        bestReason = "policy " + p.name() + ": " + failure;
                    }
                    note(trace, p, "grants the request, but its " + failure);
                    continue;
                }
            }
            note(trace, p, "ALLOWS (ttl " + ttl.toSeconds() + "s, scopes " + scopes + ")");
            return new Decision(
                    true,
                    Decision.Outcome.ALLOWED,
                    p.id(),
                    "allowed by policy " + p.name(),
                    ttl,
                    scopes,
                    p.owner(),
                    p.technicalOwner(),
                    trace);
        }
        return new Decision(false, best, bestPolicy, bestReason, null, List.of(), null, null, trace);
    }

    /**
     * Decides an X.509-SVID request: the first policy that matches the workload, grants an SVID
     * ({@code spiffeId}) and every DNS name in {@code dnsNames}, and whose condition holds, allows
     * with its rendered SPIFFE ID. {@code in.request()} should be {@link PolicyInput.Request#x509Svid}.
     */
    public Decision decideSvid(PolicyInput in, List<String> dnsNames) {
        PolicyCompiler.Bindings bindings = null;
        Decision.Outcome best = Decision.Outcome.NO_MATCHING_POLICY;
        String bestReason =
                "no policy matches workload '" + Echo.shown(in.subject().id()) + "' from attestor '"
                        + Echo.shown(in.subject().attestor()) + "'";
        String bestPolicy = null;
        for (Policy p : policies) {
            if (!p.matches(in.subject())) {
                continue;
            }
            if (!p.grantsSvid()) {
                if (rank(Decision.Outcome.SVID_NOT_GRANTED) > rank(best)) {
                    best = Decision.Outcome.SVID_NOT_GRANTED;
                    bestPolicy = p.id();
                    bestReason = "policy " + p.name() + " grants no X.509-SVID (it has no spiffeId)";
                }
                continue;
            }
            String missing = null;
            for (String d : dnsNames) {
                if (!p.grantsDnsName(d)) {
                    missing = d;
                    break;
                }
            }
            if (missing != null) {
                if (rank(Decision.Outcome.DNS_NOT_GRANTED) > rank(best)) {
                    best = Decision.Outcome.DNS_NOT_GRANTED;
                    bestPolicy = p.id();
                    bestReason = "policy " + p.name() + " does not allow DNS name '" + Echo.shown(missing) + "'";
                }
                continue;
            }
            Duration ttl =
                    in.request().ttl() == null ? p.defaultTtl() : in.request().ttl();
            if (ttl.compareTo(p.maxTtl()) > 0) {
                ttl = p.maxTtl();
            }
            if (bindings == null) {
                bindings = new PolicyCompiler.Bindings(in);
            }
            bindings.ttl(ttl);
            String failure = null;
            String spiffeId = null;
            try {
                if (p.program() != null && !PolicyCompiler.eval(p.program(), bindings)) {
                    failure = "condition is false";
                } else {
                    spiffeId = p.spiffeId().render(bindings);
                }
            } catch (CelEvaluationException | RuntimeException e) {
                failure = "condition or spiffeId failed: " + Echo.shown(firstLine(e.getMessage()));
            }
            if (failure != null) {
                if (rank(Decision.Outcome.CONDITION_FALSE) > rank(best)) {
                    best = Decision.Outcome.CONDITION_FALSE;
                    bestPolicy = p.id();
                    bestReason = "policy " + p.name() + ": " + failure;
                }
                continue;
            }
            return new Decision(
                    true,
                    Decision.Outcome.ALLOWED,
                    p.id(),
                    "allowed by policy " + p.name(),
                    ttl,
                    List.of(),
                    p.owner(),
                    p.technicalOwner(),
                    List.of(),
                    spiffeId,
                    dnsNames);
        }
        return new Decision(false, best, bestPolicy, bestReason, null, List.of(), null, null, List.of());
    }

    private static int rank(Decision.Outcome o) {
        return o.ordinal();
    }

    private static void note(List<String> trace, Policy p, String what) {
        if (trace != null) {
            trace.add(p.id() + " (" + p.file() + ":" + p.line() + "): " + what);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
