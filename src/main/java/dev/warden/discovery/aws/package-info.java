/**
 * The AWS IAM connector: {@code get-account-authorization-details}, the credential report (CSV or
 * the JSON of {@code get-credential-report}) and {@code list-access-keys}, recognised by content.
 * Implements {@link dev.warden.discovery.Connector}; see docs/discovery.md.
 */
package dev.warden.discovery.aws;
