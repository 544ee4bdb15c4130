package dev.warden.demo;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * TLS certificates as PEM files, signed by a demo issuing CA: mostly short-lived EC P-256, some
 * RSA with 398-day-plus validity, a few weak (RSA-1024, SHA-1), some expiring soon or expired.
 * Keys are generated and discarded; only certificates are written.
 */
final class DemoCertificates {
    private static final int COUNT = 60;
    private final DemoWorld w;

    DemoCertificates(DemoWorld w) {
        this.w = w;
    }

    void write(Path dir) throws IOException {
        try {
            // Demo material only: keys and signatures come from a seeded generator so that the same
            // day gives the same certificates (and a re-run imports as unchanged). Never do this for
            // real keys.
            SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG");
            seeded.setSeed(w.random.nextLong());
            KeyPair ca = ec(seeded);
            KeyPair ecLeaf = ec(seeded);
            KeyPair rsa2048 = rsa(2048, seeded);
            KeyPair rsa1024 = rsa(1024, seeded);
            X500Name issuer = new X500Name("CN=Acme Issuing CA 2,O=Acme,C=DE");
            Files.createDirectories(dir);
            for (int i = 0; i < COUNT; i++) {
                String svc = w.pick(DemoWorld.SERVICES);
                String env = i % 3 == 0 ? "staging" : "prod";
                String host = svc + "-" + i + "." + env + ".acme.internal";
                boolean weak = i % 11 == 0;
                boolean sha1 = i % 13 == 0;
                int validity = i % 7 == 0 ? 825 : i % 3 == 0 ? 365 : 90;
                Instant notBefore = w.now.minus(Duration.ofDays(w.random.nextInt(validity + (i % 9 == 0 ? 30 : 0))));
                KeyPair subject = weak ? rsa1024 : i % 4 == 0 ? rsa2048 : ecLeaf;
                String algorithm = sha1 ? "SHA1withECDSA" : "SHA256withECDSA";
                var builder = new JcaX509v3CertificateBuilder(
                        issuer,
                        BigInteger.valueOf(1000 + i),
                        Date.from(notBefore),
                        Date.from(notBefore.plus(Duration.ofDays(validity))),
                        new X500Name("CN=" + host + ",OU=" + env + ",O=Acme"),
                        subject.getPublic());
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, host),
                    new GeneralName(
                            GeneralName.uniformResourceIdentifier,
                            "spiffe://acme.internal/ns/" + svc.split("-")[0] + "/sa/" + svc)
                }));
                X509CertificateHolder cert = builder.build(new JcaContentSignerBuilder(algorithm)
                        .setSecureRandom(seeded)
                        .build(ca.getPrivate()));
                String pem = "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(cert.getEncoded())
                        + "\n-----END CERTIFICATE-----\n";
                Files.writeString(dir.resolve(host + ".pem"), pem);
            }
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate demo certificates", e);
        }
    }

    private static KeyPair ec(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        return g.generateKeyPair();
    }

    private static KeyPair rsa(int bits, SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits, random);
        return g.generateKeyPair();
    }
}
