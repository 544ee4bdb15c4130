/**
 * Discovery: the {@link dev.warden.discovery.Connector} seam (a source in its native format →
 * identities, credentials, entitlements), its registry {@link dev.warden.discovery.Connectors},
 * and the {@link dev.warden.discovery.Importer} that loads one connector's result in one
 * transaction, reconciles what disappeared and records the run. One implementation per source
 * lives in a sub-package ({@code aws}, {@code kubernetes}, {@code github}, {@code postgresql},
 * {@code certificates}); none imports another, and all run the shared connector contract test.
 */
package dev.warden.discovery;
