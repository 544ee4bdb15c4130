package dev.warden.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
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
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A small real PKI for tests: an EC P-256 CA that issues client (SPIFFE) and server certificates. */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(1000);

    public final KeyPair caKey;
    public final X509Certificate ca;

    /** A certificate with its key. */
    public record Issued(X509Certificate cert, KeyPair key) {}

    public TestPki(String name, Instant notBefore) {
        caKey = ecKey();
        try {
            X500Name dn = new X500Name("CN=" + name);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    dn,
                    BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(notBefore.minus(Duration.ofHours(1))),
                    Date.from(notBefore.plus(Duration.ofDays(3650))),
                    dn,
                    caKey.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            ca = sign(b, caKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A TLS client certificate with a URI SAN (e.g. a SPIFFE ID), valid for {@code validity}. */
    public Issued client(String uri, Instant notBefore, Duration validity) {
        KeyPair k = ecKey();
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    ca,
                    BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(notBefore.minus(Duration.ofMinutes(1))),
                    Date.from(notBefore.plus(validity)),
                    new X500Name("CN=workload"),
                    k.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            if (uri != null) {
                b.addExtension(
                        Extension.subjectAlternativeName,
                        false,
                        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uri)));
            }
            return new Issued(sign(b, caKey), k);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A TLS server certificate for 127.0.0.1 and localhost. */
    public Issued server(Instant notBefore) {
        KeyPair k = ecKey();
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    ca,
                    BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(notBefore.minus(Duration.ofDays(1))),
                    Date.from(notBefore.plus(Duration.ofDays(3650))),
                    new X500Name("CN=localhost"),
                    k.getPublic());
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")
            }));
            return new Issued(sign(b, caKey), k);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes PEM objects (certificates, keys) to {@code file}. */
    public static Path writePem(Path file, Object... objects) {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            for (Object o : objects) {
                pem.writeObject(
                        o instanceof KeyPair kp
                                ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(kp.getPrivate(), null)
                                : o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.writeString(file, w.toString());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<X509Certificate> chain(Issued leaf) {
        return List.of(leaf.cert());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair issuer) {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ecKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
