/**
 * The AWS CloudTrail parser: log files as CloudTrail delivers them ({@code .json} or
 * {@code .json.gz}, one {@code Records} array each, or an {@code AWSLogs/} tree), streamed record by
 * record. Implements {@link dev.warden.usage.UsageParser}; see docs/usage/cloudtrail.md.
 */
package dev.warden.usage.cloudtrail;
