package dev.warden.broker.ca;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** PEM in and out for the CA: certificates, private keys, fingerprints. */
public final class Pem {
    private Pem() {}

    /** Every certificate in {@code pem}, in order. */
    public static List<X509Certificate> certificates(String pem) {
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM certificate chain (" + e.getMessage() + ")", e);
        }
    }

    /** An unencrypted PEM private key: PKCS#8, PKCS#1 (RSA) or SEC1 (EC). */
    static PrivateKey privateKey(String pem) {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o = p.readObject();
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair kp) {
                return conv.getKeyPair(kp).getPrivate();
            }
            if (o instanceof PrivateKeyInfo info) {
                return conv.getPrivateKey(info);
            }
            throw new IllegalArgumentException("holds no unencrypted PEM private key");
        } catch (IOException e) {
            throw new IllegalArgumentException("not a PEM private key (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Checks an upstream chain: the first certificate is a CA that {@code key} belongs to, and each
     * certificate is signed by the next one.
     */
    static void checkChain(List<X509Certificate> chain, PrivateKey key) {
        X509Certificate first = chain.get(0);
        if (first.getBasicConstraints() < 0) {
            throw new IllegalArgumentException(
                    "the first certificate is not a CA certificate (basicConstraints CA:true)");
        }
        boolean[] usage = first.getKeyUsage();
        if (usage != null && (usage.length < 6 || !usage[5])) {
            throw new IllegalArgumentException(
                    "the first certificate may not sign certificates (keyUsage keyCertSign)");
        }
        if (!matches(key, first.getPublicKey())) {
            throw new IllegalArgumentException("the private key does not belong to the first certificate");
        }
        for (int i = 0; i + 1 < chain.size(); i++) {
            try {
                chain.get(i).verify(chain.get(i + 1).getPublicKey());
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException(
                        "certificate " + (i + 1) + " of the chain is not signed by certificate " + (i + 2), e);
            }
        }
    }

    /** True when {@code priv} and {@code pub} are one key pair (checked by signing). */
    static boolean matches(PrivateKey priv, PublicKey pub) {
        try {
            String alg = pub instanceof ECPublicKey ? "SHA256withECDSA" : "SHA256withRSA";
            byte[] data = "warden-ca-key-check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(priv);
            s.update(data);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(pub);
            v.update(data);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public static String pem(X509Certificate c) {
        try {
            return pem("CERTIFICATE", c.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(List<X509Certificate> chain) {
        StringBuilder b = new StringBuilder();
        for (X509Certificate c : chain) {
            b.append(pem(c));
        }
        return b.toString();
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Lower-case hex SHA-256 of {@code der}: the certificate's inventory fingerprint. */
    public static String sha256(byte[] der) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(X509Certificate c) {
        try {
            return sha256(c.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
