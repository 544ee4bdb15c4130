/**
 * Usage: the {@link dev.warden.usage.UsageParser} seam (an activity log → {@link
 * dev.warden.usage.UsageEvent}s), its registry {@link dev.warden.usage.UsageParsers}, and the
 * {@link dev.warden.usage.Ingester} that streams files through a parser, folds events into daily
 * aggregates per identity and writes them (with raw events for the retention period) in bounded
 * memory, one transaction per group of files. {@link dev.warden.usage.UsageStore} is the read side
 * posture and the API use: an identity's {@link dev.warden.usage.UsageSummary} as of any instant.
 * One parser per format lives in a sub-package ({@code cloudtrail}, {@code k8saudit}); none imports
 * another, and all run the shared parser contract test.
 */
package dev.warden.usage;
