package dev.warden.discovery.kubernetes;

import dev.warden.discovery.Connector;
import dev.warden.discovery.Discovery;
import dev.warden.discovery.ImportOptions;
import dev.warden.discovery.Skips;
import dev.warden.input.Input;
import dev.warden.input.InputException;
import dev.warden.input.InputFiles;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Kubernetes service accounts from the files {@code kubectl} writes or applies: YAML manifests (any
 * number of documents), JSON objects, {@code kubectl get ... -o json|yaml} {@code List}s, and
 * directories of them. Reads ServiceAccounts; Secrets of type
 * {@code kubernetes.io/service-account-token} (legacy tokens, never their data); Roles,
 * ClusterRoles, RoleBindings and ClusterRoleBindings (resolved into entitlements per account, see
 * {@link Rbac}); Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Jobs,
 * CronJobs and Pods (which account each runs as); Namespaces (owner labels). The cluster is named
 * by {@link ImportOptions#cluster()}, which is required.
 *
 * <p>Coverage: every namespace in which the input declares at least one ServiceAccount (a
 * {@code kubectl get serviceaccounts -A} lists every namespace, each has {@code default}); service
 * accounts of such a namespace that an earlier import saw and this one does not are removed.
 */
public final class KubernetesConnector implements Connector {
    private static final Set<String> EXTENSIONS = Set.of(".yaml", ".yml", ".json");

    private final Clock clock;

    public KubernetesConnector(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public String description() {
        return "Kubernetes service accounts, legacy tokens, RBAC and workloads from YAML/JSON manifests and"
                + " kubectl get -o json|yaml output (needs --cluster)";
    }

    @Override
    public Discovery discover(List<Input> inputs, ImportOptions options) {
        if (options == null || options.cluster() == null) {
            throw new InputException("kubernetes: name the cluster these objects come from (--cluster NAME)");
        }
        if (inputs.isEmpty()) {
            throw new InputException("kubernetes: no input files given");
        }
        Notes notes = new Notes();
        Skips skips = new Skips(options);
        ClusterObjects objects = new ClusterObjects(notes, skips);
        for (Input in : inputs) {
            boolean directory = in.isPath() && Files.isDirectory(in.path());
            List<Input> files;
            try {
                files = InputFiles.expand(List.of(in), EXTENSIONS);
            } catch (InputException e) {
                throw e.getMessage().startsWith(in.name())
                        ? e
                        : new InputException(in.name() + ": " + e.getMessage(), e);
            }
            for (Input file : files) {
                ManifestReader.read(file, directory, objects::add, notes);
            }
        }
        Discovery d = new ClusterRecords(objects, options.cluster(), options.environment(), clock.instant(), notes)
                .discovery();
        return new Discovery(d.records(), d.coverage(), d.notes(), skips);
    }
}
