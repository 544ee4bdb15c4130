/**
 * The built-in posture checks, one package-private class each, and their registry {@link
 * dev.warden.posture.checks.BuiltInChecks}, the only public type: adding a check adds its class and
 * a line there. Implements {@link dev.warden.posture.Check}; every check's test extends the shared
 * {@code CheckContract}.
 */
package dev.warden.posture.checks;
