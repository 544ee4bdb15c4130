package dev.warden.discovery.certificates;

import dev.warden.input.Echo;
import dev.warden.input.Input;
import dev.warden.input.InputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;

/**
 * Reads the certificates in one file, recognised by content: PEM (any number of CERTIFICATE,
 * TRUSTED CERTIFICATE and PKCS7 blocks, with text between them), DER certificate, PKCS#7
 * certificate bundle (.p7b), PKCS#12 and JKS/JCEKS key stores. Private keys are counted, never
 * decoded or kept: PEM key blocks are skipped unread and key store keys are never recovered (only
 * the certificate chains beside them are read). A key store's password opens its certificates;
 * without one, a JKS is read without its integrity check, and a PKCS#12 whose certificates are
 * encrypted is refused.
 */
final class CertificateFiles {
    /** The largest certificate file read (a bundle of tens of thousands of certificates). */
    static final int MAX_BYTES = 64 * 1024 * 1024;

    private static final int JKS_MAGIC = 0xFEEDFEED;
    private static final int JCEKS_MAGIC = 0xCECECECE;

    private CertificateFiles() {}

    /** A certificate found in a file, with its key store alias and chain position when it has them. */
    record Found(X509Certificate cert, String alias, Integer position) {}

    /** Everything read from one file. */
    record Read(List<Found> certificates, int privateKeys, List<String> skipped) {}

    static Read read(Input in, char[] password) {
        byte[] bytes;
        try (InputStream s = in.open()) {
            bytes = s.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new InputException(in.name() + ": cannot read: " + e.getMessage(), e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new InputException(in.name() + ": larger than " + MAX_BYTES / (1024 * 1024)
                    + " MiB, too large for a certificate file");
        }
        if (bytes.length == 0) {
            throw new InputException(in.name() + ": empty file");
        }
        try {
            int magic = bytes.length >= 4
                    ? ((bytes[0] & 0xff) << 24)
                            | ((bytes[1] & 0xff) << 16)
                            | ((bytes[2] & 0xff) << 8)
                            | (bytes[3] & 0xff)
                    : 0;
            if (magic == JKS_MAGIC) {
                return keyStore(in, "JKS", bytes, password);
            }
            if (magic == JCEKS_MAGIC) {
                return keyStore(in, "JCEKS", bytes, password);
            }
            ASN1Sequence der = bytes[0] == 0x30 ? derSequence(bytes) : null;
            if (der != null) {
                return der(in, der, bytes, password);
            }
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            if (text.contains("-----BEGIN ")) {
                return pem(in, text);
            }
            throw new InputException(
                    in.name() + ": not a certificate file (no PEM block; not DER, PKCS#7, PKCS#12 or JKS)");
        } catch (InputException e) {
            throw e;
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new InputException(in.name() + ": unreadable certificate data: " + reason(e), e);
        }
    }

    private static ASN1Sequence derSequence(byte[] bytes) {
        try {
            return ASN1Primitive.fromByteArray(bytes) instanceof ASN1Sequence seq ? seq : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Read der(Input in, ASN1Sequence seq, byte[] bytes, char[] password)
            throws GeneralSecurityException, IOException {
        if (seq.size() >= 2
                && seq.getObjectAt(0) instanceof ASN1Integer version
                && version.hasValue(3)
                && seq.getObjectAt(1) instanceof ASN1Sequence) {
            return keyStore(in, "PKCS12", bytes, password);
        }
        if (seq.size() >= 1 && PKCSObjectIdentifiers.signedData.equals(seq.getObjectAt(0))) {
            return new Read(found(pkcs7(bytes)), 0, List.of());
        }
        if (seq.size() == 3 && seq.getObjectAt(0) instanceof ASN1Sequence) {
            return new Read(List.of(new Found(certificate(bytes), null, null)), 0, List.of());
        }
        if (seq.size() >= 1 && seq.getObjectAt(0) instanceof ASN1ObjectIdentifier oid) {
            throw new InputException(in.name() + ": DER content of type " + oid.getId() + " is not a certificate");
        }
        throw new InputException(in.name() + ": DER data is not a certificate, PKCS#7 bundle or PKCS#12 key store");
    }

    private static Read pem(Input in, String text) throws CertificateException {
        List<Found> found = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        int keys = 0;
        String label = null;
        int begin = 0;
        StringBuilder body = new StringBuilder();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (label == null) {
                if (line.startsWith("-----BEGIN ") && line.endsWith("-----") && line.length() > 16) {
                    label = line.substring(11, line.length() - 5);
                    begin = i + 1;
                    body.setLength(0);
                }
                continue;
            }
            if (line.startsWith("-----END ")) {
                if (!line.equals("-----END " + label + "-----")) {
                    throw InputException.at(
                            in.name(),
                            i + 1,
                            "an END line that does not close the BEGIN " + label(label) + " block opened on line "
                                    + begin);
                }
                if (label.contains("PRIVATE KEY")) {
                    keys++; // never decoded, never kept
                } else if (label.equals("CERTIFICATE")
                        || label.equals("X509 CERTIFICATE")
                        || label.equals("TRUSTED CERTIFICATE")) {
                    byte[] der = decode(in, begin, body);
                    try {
                        found.add(new Found(certificate(der), null, null));
                    } catch (CertificateException | RuntimeException e) {
                        throw InputException.at(in.name(), begin, "not a valid X.509 certificate: " + reason(e));
                    }
                } else if (label.equals("PKCS7") || label.equals("PKCS #7 SIGNED DATA") || label.equals("CMS")) {
                    byte[] der = decode(in, begin, body);
                    try {
                        found.addAll(found(pkcs7(der)));
                    } catch (CertificateException | RuntimeException e) {
                        throw InputException.at(in.name(), begin, "not a valid PKCS#7 bundle: " + reason(e));
                    }
                } else {
                    skipped.add(label(label));
                }
                label = null;
            } else if (!label.contains("PRIVATE KEY") && !line.contains(":")) {
                body.append(line);
            }
        }
        if (label != null) {
            throw InputException.at(
                    in.name(), begin, "BEGIN " + label(label) + " without a matching END" + " (truncated file?)");
        }
        return new Read(found, keys, skipped);
    }

    /**
     * A PEM label to show: RFC 7468 labels are upper-case words; anything else on a BEGIN line is
     * not repeated (it may be a pasted secret).
     */
    private static String label(String label) {
        return label.matches("[A-Z0-9 #.-]{1,64}") ? label : "(non-standard label)";
    }

    private static byte[] decode(Input in, int line, StringBuilder body) {
        try {
            byte[] der = Base64.getDecoder().decode(body.toString());
            if (der.length == 0) {
                throw InputException.at(in.name(), line, "empty PEM block");
            }
            return der;
        } catch (IllegalArgumentException e) {
            throw InputException.at(in.name(), line, "PEM block is not valid base64");
        }
    }

    private static Read keyStore(Input in, String type, byte[] bytes, char[] password)
            throws GeneralSecurityException, IOException {
        String kind = type.equals("PKCS12") ? "PKCS#12" : type;
        KeyStore ks = KeyStore.getInstance(type);
        try {
            ks.load(new ByteArrayInputStream(bytes), password);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || mentionsPassword(e)) {
                throw new InputException(in.name() + ": "
                        + (password == null
                                ? "this " + kind + " key store needs a password (--password-env VAR)"
                                : "wrong password for this " + kind + " key store (or the file is corrupt)"));
            }
            throw new InputException(in.name() + ": not a readable " + kind + " key store: " + reason(e), e);
        }
        List<Found> found = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        int keys = 0;
        for (String alias : new TreeSet<>(Collections.list(ks.aliases()))) {
            if (ks.isKeyEntry(alias)) {
                Certificate[] chain = ks.getCertificateChain(alias);
                if (chain == null) {
                    skipped.add("secret key entry '" + Echo.shown(alias) + "'");
                    continue;
                }
                keys++; // the key itself is never recovered
                for (int i = 0; i < chain.length; i++) {
                    if (chain[i] instanceof X509Certificate x) {
                        found.add(new Found(x, alias, i));
                    }
                }
            } else if (ks.getCertificate(alias) instanceof X509Certificate x) {
                found.add(new Found(x, alias, null));
            }
        }
        if (found.isEmpty() && password == null && type.equals("PKCS12")) {
            throw new InputException(
                    in.name() + ": no certificate readable without the key store's password" + " (--password-env VAR)");
        }
        return new Read(found, keys, skipped);
    }

    private static boolean mentionsPassword(IOException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        return m.contains("password");
    }

    private static X509Certificate certificate(byte[] der) throws CertificateException {
        try (InputStream s = new ByteArrayInputStream(der)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(s);
        } catch (IOException e) {
            throw new CertificateException(e.getMessage(), e);
        }
    }

    private static List<Found> found(List<X509Certificate> certs) {
        List<Found> out = new ArrayList<>();
        for (X509Certificate c : certs) {
            out.add(new Found(c, null, null));
        }
        return out;
    }

    private static List<X509Certificate> pkcs7(byte[] der) throws CertificateException {
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c :
                CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(der))) {
            if (c instanceof X509Certificate x) {
                out.add(x);
            }
        }
        return out;
    }

    static String reason(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String line = m.lines().findFirst().orElse("").strip();
        return Echo.shown(line.length() > 200 ? line.substring(0, 200) : line);
    }
}
