package dev.warden.broker.issue.svid;

import dev.warden.broker.SpiffeId;
import dev.warden.broker.ca.CertificateAuthority;
import dev.warden.broker.ca.Csr;
import dev.warden.broker.ca.Pem;
import dev.warden.broker.issue.IssueException;
import dev.warden.broker.issue.IssueRequest;
import dev.warden.broker.issue.Issued;
import dev.warden.broker.issue.Issuer;
import dev.warden.broker.lease.Lease;
import dev.warden.inventory.CredentialKind;
import dev.warden.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code x509-svid} {@link Issuer}: signs a lease's CSR with Warden's {@link CertificateAuthority}
 * and records the certificate in {@code x509_svids} under the handle {@code svid-LEASE_ID}. A
 * certificate cannot be taken back before it expires, so {@link #revoke} marks it revoked (the lease
 * says so too) and relies on the lifetime of at most one hour; renewal is refused (ask for a new
 * SVID, with a new key). {@link #managed} lists the certificates that are neither revoked nor
 * expired.
 *
 * <p>The request's payload is the CSR's DER and its attributes carry {@code spiffe_id} (decided by
 * policy) and optionally {@code dns_names} (space-separated, allowed by policy). The CSR's signature
 * is <em>not</em> verified again here: {@code X509Svids} verified it before the policy decided, and
 * verifying costs as much as signing.
 */
public final class SvidIssuer implements Issuer {
    public static final String KIND = "x509-svid";
    static final String PREFIX = "svid-";

    private final CertificateAuthority ca;
    private final Database db;
    private final Clock clock;

    public SvidIssuer(CertificateAuthority ca, Database db, Clock clock) {
        this.ca = ca;
        this.db = db;
        this.clock = clock;
    }

    CertificateAuthority ca() {
        return ca;
    }

    @Override
    public String name() {
        return KIND;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public CredentialKind credentialKind() {
        return CredentialKind.CERTIFICATE;
    }

    @Override
    public Optional<Terms> terms(String role) {
        if (role != null) {
            return Optional.empty();
        }
        return Optional.of(new Terms(ca.config().defaultTtl(), ca.config().maxTtl()));
    }

    @Override
    public String prefix() {
        return PREFIX;
    }

    @Override
    public String handle(String leaseId, IssueRequest request) {
        return PREFIX + leaseId;
    }

    @Override
    public Issued issue(Lease pending, IssueRequest request) throws IssueException {
        String spiffeId = request.attributes().get("spiffe_id");
        SpiffeId id = SpiffeId.parse(spiffeId).orElse(null);
        if (id == null || !id.trustDomain().equals(ca.trustDomain())) {
            throw IssueException.badRequest("spiffe_id must be a SPIFFE ID in trust domain " + ca.trustDomain());
        }
        Csr csr;
        try {
            csr = Csr.parse(request.payload(), false);
        } catch (Csr.Rejected e) {
            throw IssueException.badRequest(e.getMessage());
        }
        String dns = request.attributes().getOrDefault("dns_names", "");
        List<String> dnsNames =
                dns.isBlank() ? List.of() : Arrays.asList(dns.strip().split(" +"));
        if (!csr.dnsNames().containsAll(dnsNames) || !dnsNames.containsAll(csr.dnsNames())) {
            throw IssueException.badRequest("the csr's DNS names are not the ones allowed");
        }
        Instant now = clock.instant();
        Duration ttl = Duration.between(now, pending.expiresAt());
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw IssueException.badRequest("the lease has already expired");
        }
        CertificateAuthority.Issued issued = ca.issue(csr.publicKey(), spiffeId, dnsNames, ttl);
        String serial = issued.leaf().getSerialNumber().toString(16);
        try {
            db.inTransaction(h -> {
                h.createUpdate("DELETE FROM x509_svids WHERE handle = :h")
                        .bind("h", pending.handle())
                        .execute();
                return h.createUpdate(
                                "INSERT INTO x509_svids (handle, lease_id, ca_id, spiffe_id, serial, fingerprint,"
                                        + " issued_at, not_after) VALUES (:h, :lease, :ca, :sid, :serial, :fp, :issued, :notAfter)")
                        .bind("h", pending.handle())
                        .bind("lease", pending.id())
                        .bind("ca", issued.caId())
                        .bind("sid", spiffeId)
                        .bind("serial", serial)
                        .bind("fp", issued.fingerprint())
                        .bind("issued", now.toEpochMilli())
                        .bind(
                                "notAfter",
                                issued.leaf().getNotAfter().toInstant().toEpochMilli())
                        .execute();
            });
        } catch (RuntimeException e) {
            throw IssueException.unavailable("the certificate could not be recorded", e);
        }
        Map<String, String> material = new LinkedHashMap<>();
        material.put("certificate_chain", Pem.pem(issued.chain()));
        material.put("not_after", issued.leaf().getNotAfter().toInstant().toString());
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("type", KIND);
        attrs.put("spiffe_id", spiffeId);
        attrs.put("serial", serial);
        attrs.put("fingerprint_sha256", issued.fingerprint());
        attrs.put("key", csr.keyDescription());
        attrs.put("ca", issued.caId());
        attrs.put("not_after", issued.leaf().getNotAfter().toInstant().toString());
        if (!dnsNames.isEmpty()) {
            attrs.put("dns_names", String.join(" ", dnsNames));
        }
        return new Issued(material, null, issued.fingerprint(), attrs);
    }

    @Override
    public void renew(Lease lease, Instant expiresAt) throws IssueException {
        throw IssueException.badRequest(
                "an X.509-SVID cannot be extended; request a new one (POST /v1/svid/x509) before it expires");
    }

    @Override
    public void revoke(Lease lease) throws IssueException {
        markRevoked(lease.handle());
    }

    @Override
    public List<String> managed() throws IssueException {
        try {
            return db.withHandle(h -> h.createQuery(
                            "SELECT handle FROM x509_svids WHERE revoked_at IS NULL AND not_after > :now ORDER BY handle")
                    .bind("now", clock.instant().toEpochMilli())
                    .mapTo(String.class)
                    .list());
        } catch (RuntimeException e) {
            throw IssueException.unavailable("the issued certificates could not be listed", e);
        }
    }

    @Override
    public void dropOrphan(String handle) throws IssueException {
        markRevoked(handle);
    }

    /** True when the certificate of {@code handle} is recorded, not revoked and not expired. */
    boolean live(String handle) {
        return db.withHandle(h -> h.createQuery(
                                "SELECT COUNT(*) FROM x509_svids WHERE handle = :h AND revoked_at IS NULL AND not_after > :now")
                        .bind("h", handle)
                        .bind("now", clock.instant().toEpochMilli())
                        .mapTo(Integer.class)
                        .one())
                > 0;
    }

    private void markRevoked(String handle) throws IssueException {
        try {
            db.inTransaction(h -> h.createUpdate(
                            "UPDATE x509_svids SET revoked_at = :now WHERE handle = :h AND revoked_at IS NULL")
                    .bind("now", clock.instant().toEpochMilli())
                    .bind("h", handle)
                    .execute());
        } catch (RuntimeException e) {
            throw IssueException.unavailable("the certificate could not be marked revoked", e);
        }
    }
}
