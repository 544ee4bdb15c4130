package dev.warden.discovery.certificates;

import dev.warden.discovery.Connector;
import dev.warden.discovery.Coverage;
import dev.warden.discovery.Discovery;
import dev.warden.discovery.ImportOptions;
import dev.warden.discovery.certificates.CertificateFiles.Found;
import dev.warden.input.Input;
import dev.warden.input.InputException;
import dev.warden.input.InputFiles;
import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.CredentialStatus;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.Nature;
import dev.warden.inventory.Source;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads X.509 certificates from files and directories (PEM, DER, PKCS#7, PKCS#12, JKS; see
 * {@link CertificateFiles}) and from live TLS endpoints ({@code tls://host:port}; see
 * {@link TlsEndpoint}). Each certificate is an identity of kind {@code certificate} whose external
 * id is the SHA-256 of its DER, in source {@code certificate} with the file's directory or the
 * endpoint's {@code host:port} as scope, and carries one CERTIFICATE credential (notBefore,
 * notAfter, fingerprint). Private keys are never read or stored.
 *
 * <p>Coverage: an endpoint's presented chain is seen whole, and so is each directory walked (every
 * certificate file in it was read, or the import failed), so certificates that left them are marked
 * removed; a file named on its own or uploaded content covers nothing.
 */
public final class CertificateConnector implements Connector {
    static final String SOURCE = "certificate";

    private static final String SMIME_REASON =
            "S/MIME certificate of a mailbox (e-mail SAN and emailProtection, no host or workload name)";

    /** File names a directory walk reads; files named directly are read whatever their name. */
    static final Set<String> EXTENSIONS =
            Set.of(".pem", ".crt", ".cer", ".cert", ".der", ".p7b", ".p7c", ".p12", ".pfx", ".jks", ".jceks");

    private final Clock clock;
    private final Duration connectTimeout;
    private final Duration handshakeTimeout;

    public CertificateConnector(Clock clock) {
        this(clock, Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    /** For tests: shorter network timeouts. */
    CertificateConnector(Clock clock, Duration connectTimeout, Duration handshakeTimeout) {
        this.clock = clock;
        this.connectTimeout = connectTimeout;
        this.handshakeTimeout = handshakeTimeout;
    }

    @Override
    public String name() {
        return "certificates";
    }

    @Override
    public String description() {
        return "X.509 certificates in PEM, DER, PKCS#7, PKCS#12 and JKS files or directories (key store password via"
                + " --password-env), and the chains of live tls://host:port endpoints";
    }

    /** One sighting of a certificate: where it was, and what the place says about it. */
    private record Sighting(
            X509Certificate cert,
            String scope,
            String file,
            String alias,
            Integer position,
            String endpoint,
            String sni,
            boolean keyInFile) {}

    @Override
    public Discovery discover(List<Input> inputs, ImportOptions options) {
        if (inputs.isEmpty()) {
            throw new InputException("no certificate files or tls:// endpoints given");
        }
        List<Input> files = new ArrayList<>();
        List<TlsEndpoint.Target> endpoints = new ArrayList<>();
        for (Input in : inputs) {
            if (in.isUrl()) {
                TlsEndpoint.Target t = TlsEndpoint.parse(in);
                if (endpoints.stream().noneMatch(e -> e.scope().equals(t.scope()))) {
                    endpoints.add(t);
                }
            } else {
                files.add(in);
            }
        }
        List<Sighting> sightings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<String> coveredScopes = new LinkedHashSet<>();
        if (!files.isEmpty()) {
            for (Input in : files) {
                if (in.isPath() && Files.isDirectory(in.path())) {
                    coveredScopes.addAll(directories(in));
                }
            }
            for (Input file : InputFiles.expand(files, EXTENSIONS)) {
                readFile(file, options.password(), sightings, notes);
            }
        }
        for (TlsEndpoint.Target t : endpoints) {
            List<X509Certificate> chain = TlsEndpoint.chain(t, connectTimeout, handshakeTimeout);
            for (int i = 0; i < chain.size(); i++) {
                sightings.add(new Sighting(
                        chain.get(i), t.scope(), null, null, i, t.host() + ":" + t.port(), t.sni(), false));
            }
            coveredScopes.add(t.scope());
        }
        if (sightings.isEmpty() && coveredScopes.isEmpty()) {
            throw new InputException("no certificates found in "
                    + String.join(", ", inputs.stream().map(Input::name).toList()));
        }
        List<IdentityRecord> records = records(sightings, options.environment(), clock.instant());
        List<Coverage> coverage = coveredScopes.stream()
                .map(s -> new Coverage(SOURCE, s, IdentityKind.CERTIFICATE, ""))
                .toList();
        return new Discovery(records, coverage, notes);
    }

    private static void readFile(Input file, char[] password, List<Sighting> out, List<String> notes) {
        CertificateFiles.Read read = CertificateFiles.read(file, password);
        String scope = "";
        String fileName = file.name();
        if (file.isPath()) {
            Path abs = file.path().toAbsolutePath().normalize();
            scope = abs.getParent() == null ? "" : abs.getParent().toString();
            fileName = abs.getFileName().toString();
        }
        for (Found f : read.certificates()) {
            out.add(new Sighting(
                    f.cert(), scope, fileName, f.alias(), f.position(), null, null, read.privateKeys() > 0));
        }
        if (read.privateKeys() > 0) {
            notes.add(file.name() + ": " + read.privateKeys() + " private key" + (read.privateKeys() == 1 ? "" : "s")
                    + " present, not read or stored");
        }
        if (!read.skipped().isEmpty()) {
            notes.add(file.name() + ": skipped " + String.join(", ", read.skipped()));
        }
        if (read.certificates().isEmpty()) {
            notes.add(file.name() + ": no certificates");
        }
    }

    /** The directories a walk of {@code in} reads (as {@link InputFiles} walks: no links, no hidden ones). */
    private static List<String> directories(Input in) {
        Path root = in.path().toAbsolutePath().normalize();
        try (Stream<Path> walk = Files.walk(root, 64)) {
            return walk.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> root.relativize(p).toString().isEmpty() || !hidden(root.relativize(p)))
                    .map(Path::toString)
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new InputException(in.name() + ": cannot read directory: " + e.getMessage(), e);
        }
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".") && !part.toString().equals(".github")) {
                return true;
            }
        }
        return false;
    }

    /** One record per certificate and scope; a certificate seen twice in one place is merged. */
    private static List<IdentityRecord> records(List<Sighting> sightings, String environment, Instant now) {
        Map<String, List<Sighting>> byKey = new LinkedHashMap<>();
        Map<String, CertificateFacts> facts = new LinkedHashMap<>();
        for (Sighting s : sightings) {
            CertificateFacts f;
            try {
                f = CertificateFacts.of(s.cert());
            } catch (CertificateEncodingException | RuntimeException e) {
                throw new InputException(
                        (s.file() != null ? s.file() : s.endpoint()) + ": unreadable certificate: "
                                + CertificateFiles.reason(e),
                        e);
            }
            String key = s.scope() + "\u0000" + f.sha256();
            facts.putIfAbsent(key, f);
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
        }
        List<IdentityRecord> out = new ArrayList<>();
        byKey.forEach((key, seen) -> {
            try {
                out.add(record(facts.get(key), seen, environment, now));
            } catch (IllegalArgumentException e) {
                Sighting s = seen.get(0);
                throw new InputException(
                        (s.file() != null ? s.file() : s.endpoint()) + ": certificate "
                                + facts.get(key).sha256() + ": " + e.getMessage(),
                        e);
            }
        });
        return out;
    }

    private static IdentityRecord record(CertificateFacts f, List<Sighting> seen, String environment, Instant now) {
        Sighting first = seen.get(0);
        Map<String, String> attributes = new TreeMap<>(f.attributes());
        Set<String> files = new TreeSet<>();
        Set<String> aliases = new TreeSet<>();
        Integer position = null;
        boolean keyInFile = false;
        for (Sighting s : seen) {
            if (s.file() != null) {
                files.add(s.file());
            }
            if (s.alias() != null) {
                aliases.add(s.alias());
            }
            if (s.position() != null && (position == null || s.position() < position)) {
                position = s.position();
            }
            keyInFile |= s.keyInFile();
        }
        putJoined(attributes, "files", files);
        putJoined(attributes, "keystore_alias", aliases);
        if (position != null) {
            attributes.put("chain_position", position.toString());
        }
        if (first.endpoint() != null) {
            attributes.put("endpoint", first.endpoint());
            if (first.sni() != null) {
                attributes.put("sni", first.sni());
            }
        }
        if (keyInFile) {
            attributes.put("private_key_in_file", "true");
        }
        String spiffe = f.spiffeId();
        String owner = spiffe == null ? null : SpiffeIds.owner(spiffe);
        boolean smime = f.extendedKeyUsage().contains("emailProtection")
                && !f.emails().isEmpty()
                && f.dns().isEmpty()
                && f.uris().isEmpty()
                && f.ips().isEmpty()
                && !f.ca();
        Identity identity = Identity.builder(
                        IdentityKind.CERTIFICATE, f.name(), f.sha256(), Source.of(SOURCE, first.scope()))
                .environment(environment)
                .owners(null, owner, owner == null ? null : "spiffe id path")
                .workload(spiffe)
                .createdAt(f.notBefore())
                .seen(now)
                .nature(smime ? Nature.HUMAN : Nature.MACHINE, smime ? SMIME_REASON : null)
                .attributes(attributes)
                .build();
        CredentialStatus status = f.notAfter().isBefore(now)
                ? CredentialStatus.EXPIRED
                : f.notBefore().isAfter(now) ? CredentialStatus.INACTIVE : CredentialStatus.ACTIVE;
        Credential credential = new Credential(
                null,
                null,
                CredentialKind.CERTIFICATE,
                null,
                f.sha256(),
                f.notBefore(),
                null,
                f.notAfter(),
                null,
                status,
                Map.of("serial", f.serial(), "spki_sha256", f.spkiSha256()));
        return IdentityRecord.whole(identity, List.of(credential), List.of(), List.of());
    }

    private static void putJoined(Map<String, String> attributes, String key, Set<String> values) {
        if (values.isEmpty()) {
            return;
        }
        String joined = String.join(", ", values);
        String clean = CertificateFacts.clean(joined.length() > 1000 ? joined.substring(0, 1000) + "…" : joined);
        if (clean != null) {
            attributes.put(key, clean);
        }
    }
}
