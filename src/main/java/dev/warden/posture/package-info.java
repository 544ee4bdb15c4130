/**
 * Posture: the {@link dev.warden.posture.Check} seam (what Warden knows about one identity, a
 * {@link dev.warden.posture.Subject} → {@link dev.warden.posture.Detection}s), the validated set of
 * checks {@link dev.warden.posture.Checks}, and {@link dev.warden.posture.Posture}, which evaluates
 * every check over the inventory and usage (persisting findings, or as of a past instant), keeps
 * findings with their exceptions, and writes the OWASP NHI and NIST CSF reports. Leaks and broker
 * signals arrive through the {@link dev.warden.posture.LeakSource} and {@link
 * dev.warden.posture.SignalSource} lambdas the composition root wires, so posture imports neither
 * scan nor broker. The built-in checks live in {@code posture.checks}; see docs/posture.md.
 */
package dev.warden.posture;
