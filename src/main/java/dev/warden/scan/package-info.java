/**
 * Secret scanning: finding credentials in files, archives, git history, staged changes and
 * submitted contents, fast and with few false positives. It offers the {@link
 * dev.warden.scan.Rule} seam (built-ins in {@link dev.warden.scan.BuiltinRules}, gitleaks rule
 * files through {@link dev.warden.scan.GitleaksConfig}) run by the {@link dev.warden.scan.Engine};
 * {@link dev.warden.scan.Scans} is the one scan flow the CLI, the API and the demo call (rules,
 * baseline, scanner, report), and with a store {@link dev.warden.scan.ScanLedger} links each hit to
 * the inventory by fingerprint and records it, never the secret. Posture reads the recorded leaks
 * through the composition root, not through an import.
 */
package dev.warden.scan;
