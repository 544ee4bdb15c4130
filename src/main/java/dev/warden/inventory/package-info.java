/**
 * The inventory: every non-human identity with its credentials, entitlements and trusts, as
 * immutable records ({@link dev.warden.inventory.Identity}, {@link dev.warden.inventory.Credential},
 * {@link dev.warden.inventory.Entitlement}, {@link dev.warden.inventory.Trust}, grouped in an
 * {@link dev.warden.inventory.IdentityRecord}) validated in their constructors, and the one facade
 * other capabilities use, {@link dev.warden.inventory.Inventory}: loads reconciled in one
 * transaction with their audit entry, listing, showing, counting, the broker's keep-current write and
 * the posture evaluation's pages. It offers no seam; its SQL (writes, queries, row mapping) is
 * package-private behind the facade.
 */
package dev.warden.inventory;
