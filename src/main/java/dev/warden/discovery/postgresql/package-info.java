/**
 * The live PostgreSQL connector: login roles with their attributes, password expiry, memberships
 * and privileges, read in a read-only session from catalogs every role may read. Implements
 * {@link dev.warden.discovery.Connector}.
 */
package dev.warden.discovery.postgresql;
