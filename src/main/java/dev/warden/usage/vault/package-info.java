/**
 * The Vault / OpenBao audit device log parser. Implements {@link dev.warden.usage.UsageParser}; see
 * docs/usage/vault-audit.md.
 */
package dev.warden.usage.vault;
