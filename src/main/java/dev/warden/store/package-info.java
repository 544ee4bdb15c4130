/**
 * The store: one connection pool, JDBI access and Flyway migrations for SQLite (embedded default)
 * or PostgreSQL (production), the small {@link dev.warden.store.Dialect} seam where their SQL
 * differs, JSON columns, and Warden's time-ordered record ids ({@link dev.warden.store.Ids},
 * UUIDv7). Every failure to open becomes a one-line {@link dev.warden.store.StoreException}.
 */
package dev.warden.store;
