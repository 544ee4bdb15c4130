/**
 * Secret material Warden must keep: {@link dev.warden.keys.SecretBox} seals it with AES-256-GCM
 * envelope encryption under the key-encryption key ({@code WARDEN_MASTER_KEY} or a 0600 key file),
 * bound to the row it belongs to, and derives the keyed fingerprints used for secrets that must be
 * recognised but never stored.
 */
package dev.warden.keys;
