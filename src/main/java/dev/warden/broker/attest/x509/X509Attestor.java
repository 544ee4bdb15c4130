package dev.warden.broker.attest.x509;

import dev.warden.broker.SpiffeId;
import dev.warden.broker.attest.Attestation;
import dev.warden.broker.attest.AttestationException;
import dev.warden.broker.attest.Attestor;
import dev.warden.broker.attest.Proof;
import dev.warden.config.ConfigNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * mTLS client certificates that chain to the configured CAs (PKIX, at the injected clock's time).
 * The leaf must be an end-entity certificate fit for TLS client authentication. When a trust
 * domain is configured the leaf must carry exactly one URI SAN, a SPIFFE ID in that domain, and it
 * is the workload id (an X.509-SVID); otherwise the workload id is {@code x509:} and the subject DN.
 */
public final class X509Attestor implements Attestor {
    public static final String KIND = "x509";
    private static final Set<String> KEYS = Set.of("name", "kind", "caFile", "trustDomain");
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final int URI_SAN = 6;

    private final String name;
    private final Set<TrustAnchor> anchors;
    private final String trustDomain;
    private final Clock clock;

    X509Attestor(String name, List<X509Certificate> cas, String trustDomain, Clock clock) {
        this.name = name;
        Set<TrustAnchor> a = new HashSet<>();
        for (X509Certificate ca : cas) {
            a.add(new TrustAnchor(ca, null));
        }
        if (a.isEmpty()) {
            throw new IllegalArgumentException("at least one CA certificate is required");
        }
        this.anchors = Set.copyOf(a);
        this.trustDomain = trustDomain;
        this.clock = clock;
    }

    public static X509Attestor fromConfig(String name, ConfigNode c, Clock clock) {
        c.allowOnly(KEYS);
        Path file = c.path("caFile");
        if (file == null) {
            throw c.error("caFile", "is required");
        }
        String td = c.optString("trustDomain", null);
        if (td != null && !SpiffeId.isTrustDomain(td)) {
            throw c.error("trustDomain", "must be a trust domain name such as example.org");
        }
        try {
            List<X509Certificate> cas = readPem(file);
            if (cas.isEmpty()) {
                throw c.error("caFile", "holds no certificate");
            }
            return new X509Attestor(name, cas, td, clock);
        } catch (IOException | GeneralSecurityException e) {
            throw c.error("caFile", "cannot read CA certificates from " + file + ": " + e.getMessage());
        }
    }

    /** Reads every certificate in a PEM (or DER) file. */
    static List<X509Certificate> readPem(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate cert : certs) {
                out.add((X509Certificate) cert);
            }
            return out;
        }
    }

    /** The CA certificates, for a TLS trust store. */
    @Override
    public List<X509Certificate> clientCas() {
        return anchors.stream().map(TrustAnchor::getTrustedCert).toList();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public boolean handles(Proof proof) {
        return proof instanceof Proof.Certificate;
    }

    @Override
    public Attestation attest(Proof proof) throws AttestationException {
        if (!(proof instanceof Proof.Certificate cert)) {
            throw new AttestationException("wrong_proof", "attestor " + name + " accepts only client certificates");
        }
        List<X509Certificate> chain = cert.chain();
        if (chain.size() > 5) {
            throw new AttestationException("malformed", "certificate chain is longer than 5");
        }
        Instant now = clock.instant();
        try {
            CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(chain);
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(path, params);
        } catch (CertPathValidatorException e) {
            String reason =
                    e.getReason() == null ? "" : e.getReason().toString().toLowerCase(Locale.ROOT);
            if (reason.contains("expired") || reason.contains("not_yet_valid")) {
                throw new AttestationException("expired", "client certificate is expired or not yet valid");
            }
            throw new AttestationException("untrusted", "client certificate does not chain to a configured CA");
        } catch (GeneralSecurityException e) {
            throw new AttestationException("untrusted", "client certificate chain cannot be validated");
        }
        X509Certificate leaf = chain.get(0);
        if (leaf.getBasicConstraints() >= 0) {
            throw new AttestationException("untrusted", "client certificate is a CA certificate");
        }
        boolean[] ku = leaf.getKeyUsage();
        if (ku != null && !ku[0]) {
            throw new AttestationException("untrusted", "client certificate key usage lacks digitalSignature");
        }
        try {
            List<String> eku = leaf.getExtendedKeyUsage();
            if (eku != null && !eku.contains(CLIENT_AUTH)) {
                throw new AttestationException("untrusted", "client certificate is not for TLS client authentication");
            }
        } catch (CertificateParsingException e) {
            throw new AttestationException("malformed", "client certificate extended key usage is malformed");
        }
        List<String> uris = uriSans(leaf);
        String spiffe = null;
        if (trustDomain != null) {
            if (uris.size() != 1) {
                throw new AttestationException("malformed", "client certificate must carry exactly one URI SAN");
            }
            spiffe = SpiffeId.parse(uris.get(0))
                    .filter(s -> s.trustDomain().equals(trustDomain))
                    .map(SpiffeId::toString)
                    .orElseThrow(() -> new AttestationException(
                            "malformed", "client certificate URI SAN is not a SPIFFE ID in " + trustDomain));
        } else if (uris.size() == 1) {
            spiffe = SpiffeId.parse(uris.get(0)).map(SpiffeId::toString).orElse(null);
        }
        String subject = leaf.getSubjectX500Principal().getName();
        String workload = spiffe != null ? spiffe : "x509:" + subject;
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("subject", subject);
        claims.put("issuer", leaf.getIssuerX500Principal().getName());
        claims.put("serial", leaf.getSerialNumber().toString(16));
        claims.put("uris", uris);
        claims.put("not_after", leaf.getNotAfter().toInstant().getEpochSecond());
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("subject", subject);
        if (spiffe != null) {
            attrs.put("trust_domain", SpiffeId.parse(spiffe).orElseThrow().trustDomain());
        }
        return new Attestation(
                workload,
                name,
                KIND,
                leaf.getIssuerX500Principal().getName(),
                spiffe,
                claims,
                attrs,
                null,
                leaf.getNotAfter().toInstant(),
                cert.thumbprint());
    }

    private static List<String> uriSans(X509Certificate c) throws AttestationException {
        try {
            Collection<List<?>> sans = c.getSubjectAlternativeNames();
            List<String> out = new ArrayList<>();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2
                            && Integer.valueOf(URI_SAN).equals(san.get(0))
                            && san.get(1) instanceof String s) {
                        out.add(s);
                    }
                }
            }
            return out;
        } catch (CertificateParsingException e) {
            throw new AttestationException("malformed", "client certificate subject alternative names are malformed");
        }
    }
}
