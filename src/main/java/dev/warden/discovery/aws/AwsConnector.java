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
        for (Input in : InputFiles.expand(inputs, EXTENSIONS)) {
            try (InputStream raw = new BufferedInputStream(in.open())) {
                read(in.name(), raw, estate);
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
        AwsRecords records = new AwsRecords(estate, options, clock.instant());
        return new Discovery(records.records(), records.coverage(), estate.notes);
    }

    private void read(String name, InputStream raw, AwsEstate estate) throws IOException {
        raw.mark(8192);
        String head = new String(raw.readNBytes(8192), StandardCharsets.UTF_8);
        raw.reset();
        String trimmed = head.replace("\uFEFF", "").stripLeading();
        if (trimmed.isEmpty()) {
            throw new InputException(name + ": empty file");
        }
        if (trimmed.startsWith("{")) {
            readJson(name, raw, estate);
        } else if (looksLikeCredentialReport(trimmed)) {
            new CredentialReportReader(estate).read(new InputStreamReader(raw, StandardCharsets.UTF_8));
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

    private void readJson(String name, InputStream raw, AwsEstate estate) throws IOException {
        raw.mark(4096);
        byte[] head = raw.readNBytes(4096);
        raw.reset();
        String start = new String(head, StandardCharsets.UTF_8);
        if (start.contains("\"ReportFormat\"") || start.contains("\"Content\"") && !start.contains("DetailList")) {
            JsonNode report = mapper.readTree(raw);
            if (report.path("Content").isTextual()) {
                byte[] csv;
                try {
                    csv = Base64.getMimeDecoder().decode(report.get("Content").asText());
                } catch (IllegalArgumentException e) {
                    throw new InputException(name + ": Content is not base64");
                }
                new CredentialReportReader(estate).read(new StringReader(new String(csv, StandardCharsets.UTF_8)));
                return;
            }
        }
        try (JsonParser p = mapper.createParser(raw)) {
            if (!new AuthorizationDetailsReader(mapper, estate).read(p, name)) {
                throw new InputException(name + ": JSON has none of UserDetailList, RoleDetailList, GroupDetailList,"
                        + " Policies or AccessKeyMetadata (is it AWS CLI output?)");
            }
        }
    }
}
