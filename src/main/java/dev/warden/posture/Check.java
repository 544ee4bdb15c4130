package dev.warden.posture;

import java.util.List;
import java.util.function.Consumer;

/**
 * The posture seam: one check turns what Warden knows about one identity (its record, its usage
 * summary, leaks linked to it, the estate-wide facts that concern it, the policy's thresholds) into
 * zero or more {@link Detection}s, each becoming a {@link Finding} mapped to an OWASP NHI Top 10
 * risk and NIST CSF 2.0 subcategories.
 *
 * <p>Contract. {@link #evaluate} is a pure function of its {@link Subject}: it reads no store, no
 * clock and no environment, and judges time only against {@link Subject#asOf()}, so an evaluation
 * as of a past instant is reproducible. It never throws on a well-formed record, however sparse
 * (missing dates, owners, attributes mean "not known", never "bad"). The same problem gives the same
 * detection every time: same credential, same discriminator, so the same finding id; evidence
 * lists the facts and thresholds that fired, in a stable order, and never secret material.
 * Thresholds come from {@link Subject#policy()}, never from constants. Its {@link #id()} is stable
 * forever (finding ids derive from it). Every check has tests that fire and tests that must stay
 * silent ({@code CheckContract}); built-ins live in {@code posture/checks/}, package-private,
 * and are listed in its {@code BuiltInChecks}, which makes them a {@link Checks}.
 */
public interface Check {
    /** Stable lower-case id, {@code nhiN-...} or {@code lifecycle-...}. */
    String id();

    Risk risk();

    /** The NIST CSF 2.0 subcategories (see {@link Nist}) a finding of this check bears on. */
    List<String> nist();

    /** What the check looks for, one line. */
    String title();

    /** What to do about a finding, in general terms. */
    String remediation();

    void evaluate(Subject subject, Consumer<Detection> out);
}
