/**
 * The broker's policy-as-code: policy files compiled into a {@link dev.warden.policy.PolicySet}
 * (globs and CEL conditions), the active set in {@link dev.warden.policy.PolicyEngine} (reloaded
 * on {@code SIGHUP} or by the API, the old set kept on error), and the test runner behind
 * {@code warden policy test}. A decision is a pure function of {@link
 * dev.warden.policy.PolicyInput}.
 */
package dev.warden.policy;
