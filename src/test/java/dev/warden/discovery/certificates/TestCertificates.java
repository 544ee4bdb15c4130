package dev.warden.discovery.certificates;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Real certificates made at test time with BouncyCastle on the JDK's own providers: key pairs of
 * the algorithms found in the wild, CA-signed and self-signed certificates with SANs, and the PEM,
 * DER, PKCS#12 and JKS encodings tools write.
 */
final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(0x1000);

    private TestCertificates() {}

    static KeyPair rsa(int bits) {
        return generate("RSA", bits);
    }

    static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ed25519() {
        return generate("Ed25519", 0);
    }

    private static KeyPair generate(String algorithm, int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            if (bits > 0) {
                g.initialize(bits);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A certificate under construction; {@link #signedBy} or {@link #selfSigned} makes it. */
    static final class Spec {
        final String subject;
        final KeyPair keys;
        Instant notBefore;
        Instant notAfter;
        String signature;
        boolean ca;
        final List<GeneralName> sans = new ArrayList<>();
        KeyPurposeId eku;

        Spec(String subject, KeyPair keys, Instant notBefore, Instant notAfter) {
            this.subject = subject;
            this.keys = keys;
            this.notBefore = notBefore;
            this.notAfter = notAfter;
        }

        Spec dns(String name) {
            sans.add(new GeneralName(GeneralName.dNSName, name));
            return this;
        }

        Spec ip(String address) {
            sans.add(new GeneralName(GeneralName.iPAddress, address));
            return this;
        }

        Spec uri(String uri) {
            sans.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
            return this;
        }

        Spec email(String address) {
            sans.add(new GeneralName(GeneralName.rfc822Name, address));
            return this;
        }

        Spec ca() {
            this.ca = true;
            return this;
        }

        Spec signature(String algorithm) {
            this.signature = algorithm;
            return this;
        }

        Spec eku(KeyPurposeId purpose) {
            this.eku = purpose;
            return this;
        }

        X509Certificate selfSigned() {
            return build(new X500Name(subject), keys.getPrivate());
        }

        X509Certificate signedBy(X509Certificate issuer, PrivateKey issuerKey) {
            return build(X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()), issuerKey);
        }

        private X509Certificate build(X500Name issuer, PrivateKey signer) {
            try {
                X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                        issuer,
                        BigInteger.valueOf(SERIAL.incrementAndGet()),
                        Date.from(notBefore),
                        Date.from(notAfter),
                        new X500Name(subject),
                        keys.getPublic());
                JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
                b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
                b.addExtension(
                        Extension.keyUsage,
                        true,
                        new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
                if (!sans.isEmpty()) {
                    b.addExtension(
                            Extension.subjectAlternativeName,
                            false,
                            new GeneralNames(sans.toArray(new GeneralName[0])));
                }
                if (eku != null) {
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
                }
                String alg = signature != null ? signature : defaultSignature(signer);
                return new JcaX509CertificateConverter()
                        .getCertificate(b.build(new JcaContentSignerBuilder(alg).build(signer)));
            } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static Spec cert(String subject, KeyPair keys, Instant notBefore, Instant notAfter) {
        return new Spec(subject, keys, notBefore, notAfter);
    }

    private static String defaultSignature(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519" -> "Ed25519";
            default -> key.getAlgorithm();
        };
    }

    static String pem(X509Certificate... certs) {
        StringBuilder b = new StringBuilder();
        for (X509Certificate c : certs) {
            b.append(block("CERTIFICATE", der(c)));
        }
        return b.toString();
    }

    static String pemKey(PrivateKey key) {
        return block("PRIVATE KEY", key.getEncoded());
    }

    static String block(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    static byte[] der(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key store of {@code type} (PKCS12, JKS) with one key entry and its chain, plus a trusted CA entry. */
    static byte[] keyStore(String type, char[] password, PrivateKey key, X509Certificate... chain) {
        try {
            KeyStore ks = KeyStore.getInstance(type);
            ks.load(null, null);
            ks.setKeyEntry("server", key, password, (Certificate[]) chain);
            ks.setCertificateEntry("trusted-ca", chain[chain.length - 1]);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, password);
            return out.toByteArray();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
