package dev.warden.discovery.aws;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.warden.discovery.Skips;
import dev.warden.input.ParseErrors;
import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the IAM credential report CSV ({@code aws iam get-credential-report}, decoded): columns by
 * header name, in any order; {@code N/A}, {@code no_information} and {@code not_supported} read as
 * unknown; the {@code <root_account>} row is the account's root user.
 */
final class CredentialReportReader {
    static final List<String> COLUMNS = List.of(
            "user",
            "arn",
            "user_creation_time",
            "password_enabled",
            "password_last_used",
            "password_last_changed",
            "password_next_rotation",
            "mfa_active",
            "access_key_1_active",
            "access_key_1_last_rotated",
            "access_key_1_last_used_date",
            "access_key_1_last_used_region",
            "access_key_1_last_used_service",
            "access_key_2_active",
            "access_key_2_last_rotated",
            "access_key_2_last_used_date",
            "access_key_2_last_used_region",
            "access_key_2_last_used_service",
            "cert_1_active",
            "cert_1_last_rotated",
            "cert_2_active",
            "cert_2_last_rotated");
    private static final Set<String> UNKNOWN = Set.of("N/A", "n/a", "no_information", "not_supported", "");
    private static final int MAX_ROWS = 1_000_000;

    private final AwsEstate estate;
    private final String name;
    private final Skips skips;

    CredentialReportReader(AwsEstate estate, String name, Skips skips) {
        this.estate = estate;
        this.name = name;
        this.skips = skips;
    }

    void read(Reader in) throws IOException {
        CsvMapper csv = ParseErrors.quiet(new CsvMapper());
        CsvSchema schema = CsvSchema.emptySchema().withHeader().withStrictHeaders(false);
        try (MappingIterator<Map<String, String>> rows =
                csv.readerForMapOf(String.class).with(schema).readValues(in)) {
            CsvSchema header = (CsvSchema) rows.getParser().getSchema();
            Set<String> present = new LinkedHashSet<>();
            header.forEach(c -> present.add(c.getName()));
            if (!present.contains("user") || !present.contains("arn")) {
                throw new IllegalArgumentException("line 1: credential report lacks the user or arn column");
            }
            List<String> missing = new ArrayList<>();
            for (String c : COLUMNS) {
                if (!present.contains(c)) {
                    missing.add(c);
                }
            }
            if (!missing.isEmpty()) {
                estate.notes.add(name + ": the credential report has no column(s) " + String.join(", ", missing)
                        + " (an older or trimmed report); those values are unknown");
            }
            Set<String> accounts = new LinkedHashSet<>();
            int count = 0;
            while (true) {
                Map<String, String> row;
                long line;
                try {
                    if (!rows.hasNextValue()) {
                        break;
                    }
                    line = rows.getParser().getCurrentLocation().getLineNr();
                    row = rows.nextValue();
                } catch (RuntimeJsonMappingException e) {
                    throw new IllegalArgumentException("malformed CSV row: " + ParseErrors.describe(e));
                }
                if (++count > MAX_ROWS) {
                    throw new IllegalArgumentException("more than " + MAX_ROWS + " rows");
                }
                try {
                    AwsEstate.ReportRow r = row(row);
                    accounts.add(r.account);
                    estate.report.put(r.arn, r);
                } catch (IllegalArgumentException e) {
                    skips.skip(name, "line " + line, e.getMessage());
                }
            }
            if (count == 0) {
                throw new IllegalArgumentException("credential report has a header but no rows");
            }
            estate.reportedAccounts.addAll(accounts);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("malformed CSV: " + ParseErrors.describe(e));
        }
    }

    private static AwsEstate.ReportRow row(Map<String, String> c) {
        AwsEstate.ReportRow r = new AwsEstate.ReportRow();
        r.user = c.get("user");
        r.arn = c.get("arn");
        if (r.user == null || r.user.isBlank() || r.arn == null || r.arn.isBlank()) {
            throw new IllegalArgumentException("user and arn are required");
        }
        r.account = AwsEstate.accountOf(r.arn, "arn");
        r.root = r.user.equals("<root_account>");
        r.created = time(c, "user_creation_time");
        r.passwordEnabled = bool(c, "password_enabled");
        r.passwordLastUsed = time(c, "password_last_used");
        r.passwordLastChanged = time(c, "password_last_changed");
        r.passwordNextRotation = time(c, "password_next_rotation");
        r.mfaActive = bool(c, "mfa_active");
        for (int i = 0; i < 2; i++) {
            String k = "access_key_" + (i + 1);
            AwsEstate.KeySlot s = r.keys[i];
            s.active = Boolean.TRUE.equals(bool(c, k + "_active"));
            s.lastRotated = time(c, k + "_last_rotated");
            s.lastUsed = time(c, k + "_last_used_date");
            s.lastUsedRegion = text(c, k + "_last_used_region");
            s.lastUsedService = text(c, k + "_last_used_service");
            String cert = "cert_" + (i + 1);
            r.certs[i].active = Boolean.TRUE.equals(bool(c, cert + "_active"));
            r.certs[i].lastRotated = time(c, cert + "_last_rotated");
        }
        return r;
    }

    private static String text(Map<String, String> c, String column) {
        String v = c.get(column);
        return v == null || UNKNOWN.contains(v.strip()) ? null : v.strip();
    }

    private static Instant time(Map<String, String> c, String column) {
        String v = text(c, column);
        return v == null ? null : AuthorizationDetailsReader.parseInstant(v, column);
    }

    private static Boolean bool(Map<String, String> c, String column) {
        String v = text(c, column);
        if (v == null) {
            return null;
        }
        if (v.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (v.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException(column + " must be true, false or N/A");
    }
}
