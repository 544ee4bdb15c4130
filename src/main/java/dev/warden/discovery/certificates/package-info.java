/**
 * The certificates connector: X.509 certificates from PEM, DER, PKCS#7, PKCS#12 and JKS files and
 * from live TLS endpoints ({@code tls://host:port}). Private keys are never read or stored.
 * Implements {@link dev.warden.discovery.Connector}.
 */
package dev.warden.discovery.certificates;
