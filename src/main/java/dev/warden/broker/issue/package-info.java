/**
 * The {@link dev.warden.broker.issue.Issuer} seam: a lease becomes a credential outside Warden, and
 * is taken back. {@link dev.warden.broker.issue.Issuers} is its registry: {@code builtIn(...)} builds
 * the built-in kinds ({@code postgresql}, {@code x509-svid}) from their configuration, and the
 * lease service and {@link dev.warden.broker.issue.StaticRoles} (rotation of the standing accounts
 * of issuers that keep some, {@code Issuer.Rotating}) reach issuers only through it. One
 * implementation per kind lives in a sub-package; none imports another, and all run the shared
 * issuer contract test.
 */
package dev.warden.broker.issue;
