package dev.warden.discovery.certificates;

import dev.warden.inventory.ExternalIds;
import dev.warden.inventory.InventoryText;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.DSAParameter;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;

/**
 * What Warden records about one certificate, read from its DER and nothing else: no signature is
 * checked and no chain is built (a certificate is evidence, not a credential Warden relies on).
 * {@code selfSigned} means self-issued: subject equals issuer and the key identifiers, when both are
 * present, agree.
 */
record CertificateFacts(
        String sha256,
        String name,
        String subject,
        String issuer,
        String serial,
        Instant notBefore,
        Instant notAfter,
        List<String> dns,
        List<String> ips,
        List<String> uris,
        List<String> emails,
        String keyAlgorithm,
        String keySize,
        String keyCurve,
        String signatureAlgorithm,
        boolean ca,
        boolean selfSigned,
        String spkiSha256,
        List<String> keyUsage,
        List<String> extendedKeyUsage,
        boolean sanUnreadable) {

    private static final String[] KEY_USAGE = {
        "digitalSignature",
        "nonRepudiation",
        "keyEncipherment",
        "dataEncipherment",
        "keyAgreement",
        "keyCertSign",
        "cRLSign",
        "encipherOnly",
        "decipherOnly"
    };
    private static final Map<String, String> EKU = Map.of(
            "1.3.6.1.5.5.7.3.1", "serverAuth",
            "1.3.6.1.5.5.7.3.2", "clientAuth",
            "1.3.6.1.5.5.7.3.3", "codeSigning",
            "1.3.6.1.5.5.7.3.4", "emailProtection",
            "1.3.6.1.5.5.7.3.8", "timeStamping",
            "1.3.6.1.5.5.7.3.9", "OCSPSigning",
            "2.5.29.37.0", "anyExtendedKeyUsage");
    private static final Map<String, String> CURVES = Map.of(
            "secp256r1", "P-256",
            "prime256v1", "P-256",
            "secp384r1", "P-384",
            "secp521r1", "P-521",
            "secp224r1", "P-224",
            "prime192v1", "P-192",
            "secp192r1", "P-192");

    /** The SPIFFE ID among the URI SANs, or null. */
    String spiffeId() {
        return uris.stream().filter(u -> u.startsWith("spiffe://")).findFirst().orElse(null);
    }

    static CertificateFacts of(X509Certificate cert) throws CertificateEncodingException {
        byte[] der = cert.getEncoded();
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        boolean sanUnreadable = false;
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() < 2
                            || !(san.get(0) instanceof Integer type)
                            || !(san.get(1) instanceof String value)) {
                        continue;
                    }
                    switch (type) {
                        case 1 -> emails.add(value);
                        case 2 -> dns.add(value);
                        case 6 -> uris.add(value);
                        case 7 -> ips.add(value);
                        default -> {}
                    }
                }
            }
        } catch (CertificateParsingException | RuntimeException e) {
            sanUnreadable = true;
        }
        String cn = commonName(cert);
        String subject = clean(cert.getSubjectX500Principal().getName());
        String issuer = clean(cert.getIssuerX500Principal().getName());
        String name = cn;
        if (name == null) {
            name = first(dns, uris, ips, emails);
        }
        if (name == null) {
            name = subject;
        }
        name = clean(name);
        if (name == null) {
            name = "serial " + hexSerial(cert.getSerialNumber());
        }
        SubjectPublicKeyInfo spki =
                org.bouncycastle.asn1.x509.Certificate.getInstance(der).getSubjectPublicKeyInfo();
        String[] key = key(spki);
        return new CertificateFacts(
                ExternalIds.certificate(der),
                name,
                subject == null ? "" : subject,
                issuer == null ? "" : issuer,
                hexSerial(cert.getSerialNumber()),
                cert.getNotBefore().toInstant(),
                cert.getNotAfter().toInstant(),
                List.copyOf(dns),
                List.copyOf(ips),
                List.copyOf(uris),
                List.copyOf(emails),
                key[0],
                key[1],
                key[2],
                cert.getSigAlgName(),
                cert.getBasicConstraints() >= 0,
                selfIssued(cert),
                sha256(encoded(spki)),
                keyUsage(cert),
                extendedKeyUsage(cert),
                sanUnreadable);
    }

    /** The attributes of the identity (location attributes are added by the caller). */
    Map<String, String> attributes() {
        Map<String, String> a = new TreeMap<>();
        a.put("subject", subject);
        a.put("issuer", issuer);
        a.put("serial", serial);
        a.put("not_before", notBefore.toString());
        a.put("not_after", notAfter.toString());
        putList(a, "san_dns", dns);
        putList(a, "san_ip", ips);
        putList(a, "san_uri", uris);
        putList(a, "san_email", emails);
        if (spiffeId() != null) {
            a.put("spiffe_id", spiffeId());
        }
        a.put("key_algorithm", keyAlgorithm);
        if (keySize != null) {
            a.put("key_size", keySize);
        }
        if (keyCurve != null) {
            a.put("key_curve", keyCurve);
        }
        a.put("signature_algorithm", signatureAlgorithm);
        a.put("is_ca", Boolean.toString(ca));
        a.put("self_signed", Boolean.toString(selfSigned));
        a.put("spki_sha256", spkiSha256);
        putList(a, "key_usage", keyUsage);
        putList(a, "extended_key_usage", extendedKeyUsage);
        if (sanUnreadable) {
            a.put("san_unreadable", "true");
        }
        a.replaceAll((k, v) -> clean(v) == null ? "" : clean(v));
        return a;
    }

    private static void putList(Map<String, String> a, String key, List<String> values) {
        if (values.isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder();
        int shown = 0;
        for (String v : values) {
            String next = (b.length() == 0 ? "" : ", ") + v;
            if (b.length() + next.length() > InventoryText.MAX_TEXT - 32) {
                break;
            }
            b.append(next);
            shown++;
        }
        if (shown < values.size()) {
            b.append(" (+").append(values.size() - shown).append(" more)");
        }
        a.put(key, b.toString());
    }

    @SafeVarargs
    private static String first(List<String>... lists) {
        for (List<String> l : lists) {
            if (!l.isEmpty()) {
                return l.get(0);
            }
        }
        return null;
    }

    private static String commonName(X509Certificate cert) {
        try {
            RDN[] cns = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded())
                    .getRDNs(BCStyle.CN);
            return cns.length == 0 || cns[0].getFirst() == null
                    ? null
                    : clean(IETFUtils.valueToString(cns[0].getFirst().getValue()));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Algorithm, size in bits (or null), curve (or null) of the subject public key. */
    private static String[] key(SubjectPublicKeyInfo spki) {
        ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
        ASN1Encodable params = spki.getAlgorithm().getParameters();
        try {
            switch (alg.getId()) {
                case "1.2.840.113549.1.1.1", "1.2.840.113549.1.1.10" -> {
                    BigInteger modulus =
                            RSAPublicKey.getInstance(spki.parsePublicKey()).getModulus();
                    String name = alg.getId().endsWith(".1") ? "RSA" : "RSASSA-PSS";
                    return new String[] {name, Integer.toString(modulus.bitLength()), null};
                }
                case "1.2.840.10045.2.1" -> {
                    if (params instanceof ASN1ObjectIdentifier curveOid) {
                        String curve = ECNamedCurveTable.getName(curveOid);
                        var spec = ECNamedCurveTable.getByOID(curveOid);
                        String size = spec == null
                                ? null
                                : Integer.toString(spec.getCurve().getFieldSize());
                        String shown = curve == null ? curveOid.getId() : CURVES.getOrDefault(curve, curve);
                        return new String[] {"EC", size, shown};
                    }
                    return new String[] {"EC", null, "explicit parameters"};
                }
                case "1.3.101.112" -> {
                    return new String[] {"Ed25519", "256", null};
                }
                case "1.3.101.113" -> {
                    return new String[] {"Ed448", "456", null};
                }
                case "1.3.101.110" -> {
                    return new String[] {"X25519", "256", null};
                }
                case "1.3.101.111" -> {
                    return new String[] {"X448", "448", null};
                }
                case "1.2.840.10040.4.1" -> {
                    String size = params == null
                            ? null
                            : Integer.toString(
                                    DSAParameter.getInstance(params).getP().bitLength());
                    return new String[] {"DSA", size, null};
                }
                case "2.16.840.1.101.3.4.3.17" -> {
                    return new String[] {"ML-DSA-44", null, null};
                }
                case "2.16.840.1.101.3.4.3.18" -> {
                    return new String[] {"ML-DSA-65", null, null};
                }
                case "2.16.840.1.101.3.4.3.19" -> {
                    return new String[] {"ML-DSA-87", null, null};
                }
                default -> {
                    return new String[] {alg.getId(), null, null};
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return new String[] {alg.getId(), null, null};
        }
    }

    private static boolean selfIssued(X509Certificate cert) {
        if (!cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
            return false;
        }
        byte[] ski = extension(cert, Extension.subjectKeyIdentifier);
        byte[] aki = extension(cert, Extension.authorityKeyIdentifier);
        if (ski == null || aki == null) {
            return true;
        }
        try {
            byte[] skiValue = ASN1OctetString.getInstance(ski).getOctets();
            byte[] akiValue = AuthorityKeyIdentifier.getInstance(aki).getKeyIdentifierObject() == null
                    ? null
                    : AuthorityKeyIdentifier.getInstance(aki)
                            .getKeyIdentifierObject()
                            .getOctets();
            return akiValue == null || Arrays.equals(skiValue, akiValue);
        } catch (RuntimeException e) {
            return true;
        }
    }

    private static byte[] extension(X509Certificate cert, ASN1ObjectIdentifier oid) {
        byte[] wrapped = cert.getExtensionValue(oid.getId());
        if (wrapped == null) {
            return null;
        }
        try {
            return ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(wrapped))
                    .getOctets();
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private static List<String> keyUsage(X509Certificate cert) {
        boolean[] bits = cert.getKeyUsage();
        List<String> out = new ArrayList<>();
        if (bits != null) {
            for (int i = 0; i < bits.length && i < KEY_USAGE.length; i++) {
                if (bits[i]) {
                    out.add(KEY_USAGE[i]);
                }
            }
        }
        return List.copyOf(out);
    }

    private static List<String> extendedKeyUsage(X509Certificate cert) {
        try {
            List<String> oids = cert.getExtendedKeyUsage();
            return oids == null
                    ? List.of()
                    : oids.stream().map(o -> EKU.getOrDefault(o, o)).toList();
        } catch (CertificateParsingException | RuntimeException e) {
            return List.of("unreadable");
        }
    }

    private static String hexSerial(BigInteger serial) {
        String hex = serial.toString(16);
        return hex.length() % 2 == 1 ? "0" + hex : hex;
    }

    private static byte[] encoded(SubjectPublicKeyInfo spki) {
        try {
            return spki.getEncoded(ASN1Encoding.DER);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot encode a public key that was just decoded", e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Text from a certificate made fit for the inventory: printable, at most the inventory's limit. */
    static String clean(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(Math.min(text.length(), InventoryText.MAX_TEXT));
        text.codePoints()
                .limit(InventoryText.MAX_TEXT)
                .forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        String s = b.toString().strip();
        if (s.length() > InventoryText.MAX_TEXT) {
            s = s.substring(0, InventoryText.MAX_TEXT - 1) + "…";
        }
        return s.isEmpty() ? null : s;
    }
}
