package dev.warden.discovery.aws;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.discovery.Connector;
import dev.warden.discovery.Discovery;
import dev.warden.discovery.ImportOptions;
import dev.warden.discovery.Skips;
import dev.warden.input.Input;
import dev.warden.input.InputException;
import dev.warden.input.InputFiles;
import dev.warden.input.ParseErrors;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * AWS IAM, from the files the AWS CLI writes, recognised by content and in any mix:
 * {@code get-account-authorization-details} (users, groups, roles, policies), the credential report
 * (CSV, or the JSON of {@code get-credential-report} with its base64 content) and
 * {@code list-access-keys}. Users and roles become identities with effective entitlements; access
 * keys, console passwords and signing certificates become credentials; role trust policies are kept.
 */
public final class AwsConnector implements Connector {
    private static final Set<String> EXTENSIONS = Set.of(".json", ".csv");
    private final ObjectMapper mapper = new ObjectMapper(JsonFactory.builder()
            .errorReportConfiguration(ParseErrors.QUIET)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(200)
                    .maxStringLength(20_000_000)
                    .build())
            .build());
    private final Clock clock;

    public AwsConnector(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "aws";
    }

    @Override
    public String description() {
        return "AWS IAM: get-account-authorization-details JSON, credential report (CSV or get-credential-report JSON),"
                + " list-access-keys JSON";
    }

    @Override
    public Discovery discover(List<Input> inputs, ImportOptions options) {
        AwsEstate estate = new AwsEstate();
        Skips skips = new Skips(options);
        for (Input in : InputFiles.expand(inputs, EXTENSIONS)) {
            try (InputStream raw = new BufferedInputStream(in.open())) {
                read(in.name(), raw, estate, skips);
            } catch (IllegalArgumentException e) {
                throw e instanceof InputException ? e : new InputException(in.name() + ": " + e.getMessage(), e);
            } catch (JsonProcessingException e) {
                String at = ParseErrors.location(e);
                throw new InputException(
                        in.name() + ": malformed JSON" + (at.isEmpty() ? "" : " at " + at) + ": "
                                + ParseErrors.description(e),
                        e);
            } catch (IOException e) {
                throw new InputException(in.name() + ": cannot read: " + e.getMessage(), e);
            }
        }
        estate.detailedAccounts.removeAll(estate.truncatedAccounts);
        for (String account : estate.pagedAccounts) {
            if (!estate.detailedAccounts.contains(account)) {
                estate.notes.add("account " + account + ": the authorization details are truncated (IsTruncated or"
                        + " NextToken, and no last page); identities missing from them are not marked removed");
            }
        }
        AwsRecords records = new AwsRecords(estate, options, clock.instant());
        return new Discovery(records.records(), records.coverage(), estate.notes, skips);
    }

    private void read(String name, InputStream raw, AwsEstate estate, Skips skips) throws IOException {
        raw.mark(8192);
        String head = new String(raw.readNBytes(8192), StandardCharsets.UTF_8);
        raw.reset();
        String trimmed = head.replace("\uFEFF", "").stripLeading();
        if (trimmed.isEmpty()) {
            throw new InputException(name + ": empty file");
        }
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            readJson(name, raw, estate, skips);
        } else if (looksLikeCredentialReport(trimmed)) {
            new CredentialReportReader(estate, name, skips).read(new InputStreamReader(raw, StandardCharsets.UTF_8));
        } else {
            throw new InputException(name + ": not an AWS CLI output (expected get-account-authorization-details or"
                    + " list-access-keys JSON, or a credential report)");
        }
    }

    /** A CSV whose header names both the {@code user} and {@code arn} columns. */
    private static boolean looksLikeCredentialReport(String head) {
        String header = head.lines().findFirst().orElse("");
        List<String> columns = java.util.Arrays.stream(header.split(","))
                .map(c -> c.strip().replace("\"", ""))
                .toList();
        return columns.contains("user") && columns.contains("arn");
    }

    private void readJson(String name, InputStream raw, AwsEstate estate, Skips skips) throws IOException {
        raw.mark(4096);
        byte[] head = raw.readNBytes(4096);
        raw.reset();
        String start = new String(head, StandardCharsets.UTF_8);
        if (start.contains("\"ReportFormat\"")
                || start.contains("\"Content\"") && start.contains("\"GeneratedTime\"")
                || start.contains("\"Content\"") && !start.contains("DetailList")) {
            JsonNode report = mapper.readTree(raw);
            if (report.path("Content").isTextual()) {
                JsonNode format = report.get("ReportFormat");
                if (format != null && !format.asText().equals("text/csv")) {
                    throw new InputException(name + ": /ReportFormat: only text/csv credential reports are read");
                }
                String csv = reportContent(name, report.get("Content").asText());
                new CredentialReportReader(estate, name, skips).read(new StringReader(csv));
                return;
            }
        }
        try (JsonParser p = mapper.createParser(raw)) {
            if (!new AuthorizationDetailsReader(mapper, estate).read(p, name, skips)) {
                throw new InputException(name + ": JSON has none of UserDetailList, RoleDetailList, GroupDetailList,"
                        + " Policies or AccessKeyMetadata (is it AWS CLI output?)");
            }
        }
    }

    /**
     * The CSV of a {@code get-credential-report} {@code Content}: base64 as the AWS CLI leaves it
     * (possibly wrapped at 76 columns), the raw CSV (tools that decode first), or a Python bytes
     * literal {@code b'...'} ({@code json.dumps(boto3 response, default=str)}; boto3 docs: Content
     * is bytes).
     */
    static String reportContent(String name, String content) {
        String c = content.strip();
        if (c.length() >= 3
                && c.charAt(0) == 'b'
                && (c.charAt(1) == '\'' || c.charAt(1) == '"')
                && c.charAt(c.length() - 1) == c.charAt(1)) {
            c = pythonBytes(c.substring(2, c.length() - 1));
        }
        String bare = c.replace("\uFEFF", "").replace("\"", "").stripLeading();
        if (bare.startsWith("user,")) {
            return c;
        }
        try {
            return new String(Base64.getMimeDecoder().decode(c), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InputException(name + ": /Content is neither base64 nor a credential report CSV");
        }
    }

    /** Decodes the escapes of a Python bytes literal's body ({@code \\n}, {@code \\xNN}, ...). */
    private static String pythonBytes(String body) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(body.length());
        for (int i = 0; i < body.length(); i++) {
            char ch = body.charAt(i);
            if (ch != '\\' || i + 1 == body.length()) {
                out.write(ch);
                continue;
            }
            char next = body.charAt(++i);
            switch (next) {
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'x' -> {
                    if (i + 2 < body.length() && body.substring(i + 1, i + 3).matches("[0-9a-fA-F]{2}")) {
                        out.write(Integer.parseInt(body.substring(i + 1, i + 3), 16));
                        i += 2;
                    } else {
                        out.write('x');
                    }
                }
                default -> out.write(next);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
