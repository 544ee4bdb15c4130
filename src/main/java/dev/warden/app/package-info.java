/**
 * The composition root. {@link dev.warden.app.Warden} builds every component with plain
 * constructors in dependency order (store, audit, tokens, inventory, importer, ingester, broker,
 * leases, scans, posture), wires the places where two capabilities meet without importing each
 * other (the {@code LeakSource} and {@code SignalSource} lambdas, the leak and finding lookups
 * {@code IdentityDetails} joins), starts the background tasks
 * (HTTP, lease reaper) and owns their shutdown. {@link dev.warden.app.WardenConfig} reads and
 * freezes {@code warden.yaml}; {@link dev.warden.app.StoreLocation} resolves where the store is.
 * Only the CLI imports this package.
 */
package dev.warden.app;
