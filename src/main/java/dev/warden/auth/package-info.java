/**
 * API tokens ({@code wdn_...}, stored as SHA-256 only) and the roles they carry (admin, operator,
 * auditor, optionally scoped to a team). The HTTP adapter authenticates callers with it; workloads
 * never use these tokens (they prove who they are to the broker).
 */
package dev.warden.auth;
