package dev.warden.broker.ca;

import dev.warden.input.Echo;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * A PKCS#10 certificate signing request, parsed and checked as hostile input: at most
 * {@link #MAX_CHARS} characters of PEM or base64 DER, a signature that verifies (a plain JCA
 * {@link Signature}, SHA-256 or stronger), an EC P-256/P-384 or RSA 2048–8192 key, and a subject
 * alternative name of URI and DNS entries only. Nothing else in the request is used: the CA decides
 * the certificate's subject and extensions.
 *
 * @param uris the URI SANs the request asks for (a SPIFFE ID, or none)
 * @param dnsNames the DNS SANs the request asks for, lower case
 */
public record Csr(PublicKey publicKey, String keyDescription, List<String> uris, List<String> dnsNames) {
    /** Largest CSR accepted, in characters of PEM or base64. */
    static final int MAX_CHARS = 16 * 1024;
    /** Most DNS SANs one SVID may carry. */
    static final int MAX_DNS_NAMES = 32;

    private static final Pattern DNS =
            Pattern.compile("(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Map<ASN1ObjectIdentifier, String> SIGNATURES = Map.of(
            X9ObjectIdentifiers.ecdsa_with_SHA256, "SHA256withECDSA",
            X9ObjectIdentifiers.ecdsa_with_SHA384, "SHA384withECDSA",
            X9ObjectIdentifiers.ecdsa_with_SHA512, "SHA512withECDSA",
            PKCSObjectIdentifiers.sha256WithRSAEncryption, "SHA256withRSA",
            PKCSObjectIdentifiers.sha384WithRSAEncryption, "SHA384withRSA",
            PKCSObjectIdentifiers.sha512WithRSAEncryption, "SHA512withRSA");

    public Csr {
        uris = List.copyOf(uris);
        dnsNames = List.copyOf(dnsNames);
    }

    /** A CSR that cannot be used, with the HTTP status it answers (400, or 413 when too large). */
    public static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        Rejected(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** Parses and checks {@code text}: PEM ({@code CERTIFICATE REQUEST}) or base64 of the DER. */
    public static Csr parse(String text) throws Rejected {
        if (text == null || text.isBlank()) {
            throw new Rejected(400, "csr is required (PEM or base64 DER of a PKCS#10 request)");
        }
        if (text.length() > MAX_CHARS) {
            throw new Rejected(413, "csr is larger than " + MAX_CHARS + " characters");
        }
        return parse(decode(text), true);
    }

    /**
     * Parses and checks DER; {@code verify} false skips the signature check, for a request whose
     * signature the caller has already verified (the SVID issuer behind {@code X509Svids}).
     */
    public static Csr parse(byte[] der, boolean verify) throws Rejected {
        if (der == null || der.length == 0 || der.length > MAX_CHARS) {
            throw new Rejected(400, "csr is empty or larger than " + MAX_CHARS + " bytes");
        }
        PKCS10CertificationRequest req;
        try {
            req = new PKCS10CertificationRequest(der);
        } catch (IOException | RuntimeException e) {
            throw new Rejected(400, "csr is not a DER-encoded PKCS#10 certification request");
        }
        SubjectPublicKeyInfo spki = req.getSubjectPublicKeyInfo();
        PublicKey key;
        String description;
        try {
            ASN1ObjectIdentifier keyAlg = spki.getAlgorithm().getAlgorithm();
            if (keyAlg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
                Object params = spki.getAlgorithm().getParameters();
                if (X9ObjectIdentifiers.prime256v1.equals(params)) {
                    description = "EC P-256";
                } else if (SECObjectIdentifiers.secp384r1.equals(params)) {
                    description = "EC P-384";
                } else {
                    throw new Rejected(400, "csr key: EC keys must use curve P-256 or P-384");
                }
                key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
            } else if (keyAlg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
                key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
                BigInteger n = ((RSAPublicKey) key).getModulus();
                if (n.bitLength() < 2048) {
                    throw new Rejected(
                            400, "csr key: RSA keys must be at least 2048 bits (this one has " + n.bitLength() + ")");
                }
                if (n.bitLength() > 8192) {
                    throw new Rejected(400, "csr key: RSA keys must be at most 8192 bits");
                }
                description = "RSA " + n.bitLength();
            } else {
                throw new Rejected(400, "csr key must be EC (P-256, P-384) or RSA (2048 bits or more)");
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new Rejected(400, "csr key cannot be read");
        }
        if (verify) {
            verify(req, key);
        }
        List<String> uris = new ArrayList<>();
        List<String> dns = new ArrayList<>();
        sans(req, uris, dns);
        return new Csr(key, description, uris, dns);
    }

    /** The DER of a CSR given as PEM or base64, at most {@link #MAX_CHARS} characters. */
    public static byte[] decode(String text) throws Rejected {
        if (text == null || text.isBlank()) {
            throw new Rejected(400, "csr is required (PEM or base64 DER of a PKCS#10 request)");
        }
        if (text.length() > MAX_CHARS) {
            throw new Rejected(413, "csr is larger than " + MAX_CHARS + " characters");
        }
        String t = text.strip();
        if (t.startsWith("-----BEGIN")) {
            int start = t.indexOf('\n');
            int end = t.indexOf("-----END");
            String header = start < 0 ? "" : t.substring(0, start).strip();
            if (start < 0
                    || end < start
                    || !(header.equals("-----BEGIN CERTIFICATE REQUEST-----")
                            || header.equals("-----BEGIN NEW CERTIFICATE REQUEST-----"))) {
                throw new Rejected(400, "csr is not a PEM CERTIFICATE REQUEST");
            }
            t = t.substring(start + 1, end);
        }
        t = t.replaceAll("\\s", "");
        try {
            return (t.indexOf('-') >= 0 || t.indexOf('_') >= 0)
                    ? Base64.getUrlDecoder().decode(t)
                    : Base64.getDecoder().decode(t);
        } catch (IllegalArgumentException e) {
            throw new Rejected(
                    400, "csr is neither PEM nor base64: " + e.getMessage().toLowerCase(Locale.ROOT));
        }
    }

    private static void verify(PKCS10CertificationRequest req, PublicKey key) throws Rejected {
        AlgorithmIdentifier sigAlg = req.getSignatureAlgorithm();
        String alg = SIGNATURES.get(sigAlg.getAlgorithm());
        if (alg == null) {
            throw new Rejected(
                    400,
                    "csr signature algorithm " + sigAlg.getAlgorithm().getId()
                            + " is not accepted (ECDSA or RSA PKCS#1 v1.5 with SHA-256, -384 or -512)");
        }
        if (alg.endsWith("ECDSA") != key.getAlgorithm().equals("EC")) {
            throw new Rejected(400, "csr signature algorithm does not match its key");
        }
        try {
            Signature s = Signature.getInstance(alg);
            s.initVerify(key);
            s.update(req.toASN1Structure().getCertificationRequestInfo().getEncoded());
            if (!s.verify(req.getSignature())) {
                throw new Rejected(
                        400, "csr signature does not verify (the request was altered or signed with another" + " key)");
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new Rejected(400, "csr signature does not verify (malformed signature)");
        }
    }

    private static void sans(PKCS10CertificationRequest req, List<String> uris, List<String> dns) throws Rejected {
        Attribute[] attrs;
        try {
            attrs = req.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
        } catch (RuntimeException e) {
            throw new Rejected(400, "csr attributes are malformed");
        }
        for (Attribute a : attrs) {
            GeneralNames names;
            try {
                if (a.getAttrValues().size() != 1) {
                    throw new Rejected(400, "csr extension request must hold one set of extensions");
                }
                Extensions exts = Extensions.getInstance(a.getAttrValues().getObjectAt(0));
                names = GeneralNames.fromExtensions(exts, Extension.subjectAlternativeName);
            } catch (RuntimeException e) {
                throw new Rejected(400, "csr extension request is malformed");
            }
            if (names == null) {
                continue;
            }
            for (GeneralName n : names.getNames()) {
                switch (n.getTagNo()) {
                    case GeneralName.uniformResourceIdentifier -> uris.add(((ASN1String) n.getName()).getString());
                    case GeneralName.dNSName -> {
                        String d = ((ASN1String) n.getName()).getString().toLowerCase(Locale.ROOT);
                        if (d.length() > 253 || !DNS.matcher(d).matches()) {
                            throw new Rejected(400, "csr DNS name '" + Echo.shown(d) + "' is not a valid host name");
                        }
                        dns.add(d);
                    }
                    default ->
                        throw new Rejected(
                                400, "csr subject alternative names may only be URIs (the SPIFFE ID) and DNS names");
                }
            }
        }
        if (uris.size() > 1) {
            throw new Rejected(400, "csr has more than one URI SAN (an X.509-SVID carries exactly one SPIFFE ID)");
        }
        if (dns.size() > MAX_DNS_NAMES) {
            throw new Rejected(400, "csr has more than " + MAX_DNS_NAMES + " DNS names");
        }
    }
}
