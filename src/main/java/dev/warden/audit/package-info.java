/**
 * The tamper-evident audit log: every change and every issued credential, appended inside the
 * transaction that makes the change, hash-chained so that {@code warden audit verify} finds the
 * first edited, deleted or reordered entry.
 */
package dev.warden.audit;
