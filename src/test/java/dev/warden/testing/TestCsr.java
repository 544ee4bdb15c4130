package dev.warden.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Real PKCS#10 requests for tests: EC or RSA keys, SPIFFE URI and DNS SANs, and broken ones. */
public final class TestCsr {
    private TestCsr() {}

    public static KeyPair ec(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair p256() {
        return ec("secp256r1");
    }

    public static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** DER of a CSR for {@code key} asking for {@code uri} (may be null) and {@code dns} names. */
    public static byte[] der(KeyPair key, String uri, String... dns) {
        return der(key, key.getPrivate(), uri, dns);
    }

    /** As {@link #der(KeyPair, String, String...)}, but signed with {@code signer} (a wrong signature when it is not the key's). */
    public static byte[] der(KeyPair key, PrivateKey signer, String uri, String... dns) {
        try {
            PKCS10CertificationRequestBuilder b =
                    new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=workload"), key.getPublic());
            List<GeneralName> names = new ArrayList<>();
            if (uri != null) {
                names.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
            }
            for (String d : dns) {
                names.add(new GeneralName(GeneralName.dNSName, d));
            }
            if (!names.isEmpty()) {
                ExtensionsGenerator ext = new ExtensionsGenerator();
                ext.addExtension(
                        Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
                b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
            }
            String alg = signer.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            return b.build(new JcaContentSignerBuilder(alg).build(signer)).getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(byte[] der) {
        return "-----BEGIN CERTIFICATE REQUEST-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    public static String pem(KeyPair key, String uri, String... dns) {
        return pem(der(key, uri, dns));
    }
}
