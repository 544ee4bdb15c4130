/**
 * The GitHub Actions connector: workflows of a checkout become CI integration identities, with how
 * they authenticate (static secrets or OIDC), the secrets they reference (names only) and the cloud
 * roles they assume. Implements {@link dev.warden.discovery.Connector}.
 */
package dev.warden.discovery.github;
