package dev.warden.discovery.github;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.discovery.Connector;
import dev.warden.discovery.Coverage;
import dev.warden.discovery.Discovery;
import dev.warden.discovery.ImportOptions;
import dev.warden.input.Input;
import dev.warden.input.InputException;
import dev.warden.input.SafeParsers;
import dev.warden.input.TreeReader;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityRecord;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * GitHub Actions workflows of a repository checkout (or its {@code .github/workflows/} directory,
 * or single workflow files): each workflow that authenticates to a cloud becomes a CI integration
 * identity, with how it authenticates (static secrets or OIDC federation), the secrets it
 * references as credentials (names only) and the cloud roles it assumes as entitlements. See
 * {@link Workflow} for what is recognised and {@link WorkflowRecords} for what becomes what.
 *
 * <p>Coverage: for a directory input, CI integrations of that repository ({@code
 * github:OWNER/REPO:}) — a workflow deleted or no longer using cloud credentials is removed on
 * re-import. A single file or content declares none.
 */
public final class GithubConnector implements Connector {
    private final Clock clock;

    public GithubConnector(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return "github";
    }

    @Override
    public String description() {
        return "GitHub Actions workflows that use cloud credentials (static secrets or OIDC), from a repository"
                + " checkout or its .github/workflows directory";
    }

    @Override
    public Discovery discover(List<Input> inputs, ImportOptions options) {
        if (inputs.isEmpty()) {
            throw new InputException("github: no repository checkout or workflow file given");
        }
        Map<String, IdentityRecord> records = new TreeMap<>();
        Set<Coverage> coverage = new LinkedHashSet<>();
        List<String> notes = new ArrayList<>();
        String environment = options == null ? null : options.environment();
        for (Input in : inputs) {
            Repository repo = Repository.of(in);
            if (repo.workflows().isEmpty()) {
                notes.add(in.name() + ": " + repo.slug() + " has no workflows");
            }
            Map<String, Workflow> read = new TreeMap<>();
            for (Input file : repo.workflows()) {
                String path = repo.pathOf(file, fileName(file));
                JsonNode root;
                try {
                    root = parse(file, repo.whole() || repo.folder() != null);
                } catch (InputException e) {
                    if (repo.folder() == null
                            || !e.getMessage().contains("a workflow is one document")
                                    && !e.getMessage().contains("expected a mapping")) {
                        throw e;
                    }
                    // a plain folder holds other YAML too (manifests, multi-document files): not workflows
                    root = null;
                }
                if (root == null) {
                    notes.add(file.name() + ": not a workflow (no 'jobs' mapping); skipped");
                    continue;
                }
                Workflow w = Workflow.read(root);
                read.put(path, w);
            }
            // reusable workflows of this repository called by others are linked to their callers
            Map<String, Set<String>> callers = new TreeMap<>();
            read.forEach((path, w) -> w.calls.forEach((job, call) -> {
                if (call.startsWith("./")) {
                    String callee =
                            call.substring(2).replaceFirst(" \\(.*$", "").replaceFirst("@.*$", "");
                    callers.computeIfAbsent(callee, k -> new TreeSet<>()).add(path + "#" + job + " " + call);
                }
            }));
            for (Map.Entry<String, Workflow> e : read.entrySet()) {
                String path = e.getKey();
                Workflow w = e.getValue();
                Input file = null;
                for (Input f : repo.workflows()) {
                    if (repo.pathOf(f, fileName(f)).equals(path)) {
                        file = f;
                    }
                }
                String fileLabel = file == null ? path : file.name();
                w.calledBy.addAll(callers.getOrDefault(path, Set.of()));
                if (!w.usesCloud()) {
                    if (!w.calls.isEmpty()) {
                        notes.add(fileLabel + ": holds no credentials itself; calls "
                                + String.join(", ", w.calls.values()));
                        continue;
                    }
                    notes.add(fileLabel + ": holds no credentials; not an identity");
                    continue;
                }
                IdentityRecord r;
                try {
                    r = new WorkflowRecords(repo, path, w, environment, clock.instant()).record();
                } catch (IllegalArgumentException ex) {
                    throw new InputException(fileLabel + ": " + ex.getMessage(), ex);
                }
                records.putIfAbsent(r.identity().externalId(), r);
                notes.addAll(WorkflowRecords.notes(fileLabel, w));
            }
            if (repo.whole()) {
                coverage.add(new Coverage(
                        "github", repo.owner(), IdentityKind.CI_INTEGRATION, "github:" + repo.slug() + ":"));
            }
        }
        return new Discovery(new ArrayList<>(records.values()), new ArrayList<>(coverage), notes);
    }

    private static String fileName(Input file) {
        if (file.isPath()) {
            return file.path().getFileName().toString();
        }
        String n = file.name().replace('\\', '/');
        String base = n.substring(n.lastIndexOf('/') + 1);
        return base.isBlank() ? "workflow.yml" : base;
    }

    /**
     * The workflow's one YAML document; null (with no error) when a file found in a directory is a
     * mapping without {@code jobs}, which is not a workflow.
     */
    private static JsonNode parse(Input file, boolean inDirectory) {
        JsonParser p = null;
        try (InputStream raw = file.open();
                BufferedInputStream in = new BufferedInputStream(raw)) {
            SafeParsers.Format format = SafeParsers.sniff(in);
            if (format == SafeParsers.Format.BINARY) {
                throw new InputException(file.name() + ": binary content, not a YAML workflow");
            }
            if (format == SafeParsers.Format.EMPTY) {
                throw new InputException(file.name() + ": empty, not a workflow");
            }
            p = SafeParsers.yaml(in);
            TreeReader reader = new TreeReader(p, false, false);
            if (p.nextToken() == null) {
                throw new InputException(file.name() + ": empty, not a workflow");
            }
            long line = p.currentTokenLocation().getLineNr();
            JsonNode root = reader.readRoot();
            if (p.nextToken() != null) {
                throw InputException.at(
                        file.name(),
                        p.currentTokenLocation().getLineNr(),
                        "a second YAML document; a workflow is one document");
            }
            if (!root.isObject()) {
                throw InputException.at(file.name(), line, "not a workflow: expected a mapping with 'on' and 'jobs'");
            }
            if (!root.path("jobs").isObject()) {
                if (inDirectory && !root.has("jobs")) {
                    return null;
                }
                throw InputException.at(file.name(), line, "not a workflow: 'jobs' is missing or not a mapping");
            }
            return root;
        } catch (IOException | RuntimeException e) {
            throw SafeParsers.error(file.name(), p, e);
        } finally {
            if (p != null) {
                try {
                    p.close();
                } catch (IOException e) {
                    // the stream is closed with its owner
                }
            }
        }
    }
}
