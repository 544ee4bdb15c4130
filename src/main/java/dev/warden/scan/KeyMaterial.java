package dev.warden.scan;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Derives the public half of a leaked private key, so the key can be matched to certificates and
 * SSH keys in the inventory without keeping it: PKCS#8 ({@code PRIVATE KEY}), PKCS#1
 * ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}) give the SHA-256 of the
 * SubjectPublicKeyInfo; {@code OPENSSH PRIVATE KEY} gives the {@code SHA256:} fingerprint ssh-keygen
 * prints. EC public points missing from the file are recomputed (d·G). Encrypted keys give nothing.
 */
public final class KeyMaterial {
    private static final byte[] OID_RSA = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] OID_EC = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final int MAX_DER = 64 * 1024;

    private KeyMaterial() {}

    /** Lower-case hex SHA-256 of a public key's DER SubjectPublicKeyInfo (what certificates carry). */
    public static String spkiSha256(PublicKey key) {
        return sha256Hex(key.getEncoded());
    }

    /**
     * The link key of a PEM private key block, when its public key is in the file (RSA keys, EC
     * keys that carry their point, OpenSSH keys). Cheap: what every scan computes.
     */
    static Optional<LinkKey> linkKey(String pem) {
        return linkKey(pem, false);
    }

    /**
     * The link key, recomputing an EC public point (d·G) the file leaves out. Costs milliseconds per
     * key, so only a scan that links to the inventory pays it.
     */
    static Optional<LinkKey> linkKeyDeriving(String pem) {
        return linkKey(pem, true);
    }

    private static Optional<LinkKey> linkKey(String pem, boolean derive) {
        try {
            String type = pemType(pem);
            if (type == null || type.contains("ENCRYPTED")) {
                return Optional.empty();
            }
            byte[] der = pemBody(pem);
            if (der.length == 0 || der.length > MAX_DER) {
                return Optional.empty();
            }
            byte[] spki = switch (type) {
                case "PRIVATE KEY" -> fromPkcs8(der, derive);
                case "RSA PRIVATE KEY" -> fromPkcs1(der);
                case "EC PRIVATE KEY" -> fromSec1(der, null, derive);
                case "OPENSSH PRIVATE KEY" -> null;
                default -> null;
            };
            if (type.equals("OPENSSH PRIVATE KEY")) {
                return openSshFingerprint(der).map(fp -> new LinkKey(LinkKey.Type.SSH_KEY_FINGERPRINT, fp));
            }
            return spki == null
                    ? Optional.empty()
                    : Optional.of(new LinkKey(LinkKey.Type.PUBLIC_KEY_SHA256, sha256Hex(spki)));
        } catch (RuntimeException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    static String pemType(String pem) {
        int b = pem.indexOf("-----BEGIN ");
        int e = b < 0 ? -1 : pem.indexOf("-----", b + 11);
        return e < 0 ? null : pem.substring(b + 11, e).strip().toUpperCase(Locale.ROOT);
    }

    /** The base64 body of a PEM block (escaped {@code \n} sequences allowed), decoded. */
    static byte[] pemBody(String pem) {
        int start = pem.indexOf("-----", pem.indexOf("-----BEGIN ") + 11) + 5;
        int end = pem.indexOf("-----END ", start);
        String body = pem.substring(start, end < 0 ? pem.length() : end)
                .replace("\\n", "\n")
                .replace("\\r", "");
        StringBuilder b64 = new StringBuilder(body.length());
        for (String line : body.split("\n", -1)) {
            if (line.contains(":")) {
                continue; // RFC 1421 headers (Proc-Type, DEK-Info)
            }
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (Character.isLetterOrDigit(c) || c == '+' || c == '/' || c == '=') {
                    b64.append(c);
                }
            }
        }
        return Base64.getMimeDecoder().decode(b64.toString());
    }

    private static byte[] fromPkcs8(byte[] der, boolean derive) throws GeneralSecurityException {
        Der info = Der.read(der, 0);
        Der version = info.child(0);
        Der algorithm = version.next();
        Der oid = algorithm.child(0);
        Der privateKey = algorithm.next();
        if (oid.is(OID_RSA)) {
            RSAPrivateCrtKey k =
                    (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            return KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(k.getModulus(), k.getPublicExponent()))
                    .getEncoded();
        }
        if (oid.is(OID_EC)) {
            ECPrivateKey k = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
            byte[] spki = fromSec1(privateKey.contents(), oid.next().encoded(), false);
            return spki != null || !derive ? spki : ecPublic(k.getS(), k.getParams());
        }
        return null;
    }

    private static byte[] fromPkcs1(byte[] der) throws GeneralSecurityException {
        Der seq = Der.read(der, 0);
        Der n = seq.child(0).next();
        Der e = n.next();
        return KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(new BigInteger(1, n.contents()), new BigInteger(1, e.contents())))
                .getEncoded();
    }

    /** SEC1 ECPrivateKey: version, d, [0] curve, [1] public point. */
    private static byte[] fromSec1(byte[] der, byte[] curveFromPkcs8, boolean derive) {
        Der seq = Der.read(der, 0);
        byte[] curve = curveFromPkcs8;
        byte[] point = null;
        for (Der d = seq.child(0); ; d = d.next()) {
            if (d.tag() == 0xa0 && curve == null) {
                curve = d.child(0).encoded();
            } else if (d.tag() == 0xa1) {
                point = d.child(0).contents(); // BIT STRING: unused-bits byte + point
            }
            if (d.end() >= seq.end()) {
                break;
            }
        }
        if (curve == null) {
            return null;
        }
        if (point == null) {
            if (curveFromPkcs8 != null || !derive) {
                return null; // the caller derives the point from the parsed key, if asked to
            }
            try {
                AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
                ap.init(new ECGenParameterSpec(oidString(Der.read(curve, 0).contents())));
                return ecPublic(new BigInteger(1, seq.child(1).contents()), ap.getParameterSpec(ECParameterSpec.class));
            } catch (GeneralSecurityException e) {
                return null;
            }
        }
        ByteArrayOutputStream alg = new ByteArrayOutputStream();
        Der.write(alg, 0x06, OID_EC);
        alg.writeBytes(curve);
        ByteArrayOutputStream spki = new ByteArrayOutputStream();
        Der.write(spki, 0x30, alg.toByteArray());
        Der.write(spki, 0x03, point);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Der.write(out, 0x30, spki.toByteArray());
        return out.toByteArray();
    }

    /** The SubjectPublicKeyInfo of d·G on the curve of {@code params}, as the JDK (and certificates) encode it. */
    private static byte[] ecPublic(BigInteger d, ECParameterSpec params) {
        ECPoint q = multiply(params.getGenerator(), d, params.getCurve());
        try {
            return KeyFactory.getInstance("EC")
                    .generatePublic(new ECPublicKeySpec(q, params))
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    /** Double-and-add scalar multiplication in affine coordinates over a prime field. */
    static ECPoint multiply(ECPoint g, BigInteger k, EllipticCurve curve) {
        BigInteger p = ((ECFieldFp) curve.getField()).getP();
        ECPoint r = ECPoint.POINT_INFINITY;
        ECPoint a = g;
        for (int i = 0; i < k.bitLength(); i++) {
            if (k.testBit(i)) {
                r = add(r, a, curve.getA(), p);
            }
            a = add(a, a, curve.getA(), p);
        }
        return r;
    }

    private static ECPoint add(ECPoint u, ECPoint v, BigInteger a, BigInteger p) {
        if (u.equals(ECPoint.POINT_INFINITY)) {
            return v;
        }
        if (v.equals(ECPoint.POINT_INFINITY)) {
            return u;
        }
        BigInteger lambda;
        if (u.getAffineX().equals(v.getAffineX())) {
            if (u.getAffineY().add(v.getAffineY()).mod(p).signum() == 0) {
                return ECPoint.POINT_INFINITY;
            }
            BigInteger x = u.getAffineX();
            lambda = x.pow(2)
                    .multiply(BigInteger.valueOf(3))
                    .add(a)
                    .multiply(u.getAffineY().shiftLeft(1).modInverse(p))
                    .mod(p);
        } else {
            lambda = v.getAffineY()
                    .subtract(u.getAffineY())
                    .multiply(v.getAffineX().subtract(u.getAffineX()).modInverse(p))
                    .mod(p);
        }
        BigInteger x =
                lambda.pow(2).subtract(u.getAffineX()).subtract(v.getAffineX()).mod(p);
        BigInteger y = lambda.multiply(u.getAffineX().subtract(x))
                .subtract(u.getAffineY())
                .mod(p);
        return new ECPoint(x, y);
    }

    /** A DER OBJECT IDENTIFIER's contents as dotted text. */
    static String oidString(byte[] c) {
        StringBuilder b = new StringBuilder();
        long v = 0;
        for (int i = 0; i < c.length; i++) {
            v = (v << 7) | (c[i] & 0x7f);
            if ((c[i] & 0x80) == 0) {
                if (b.length() == 0) {
                    long first = Math.min(2, v / 40);
                    b.append(first).append('.').append(v - first * 40);
                } else {
                    b.append('.').append(v);
                }
                v = 0;
            }
        }
        return b.toString();
    }

    /** openssh-key-v1: magic, cipher, kdf, kdf options, key count, then the public key blob in clear. */
    private static Optional<String> openSshFingerprint(byte[] data) throws NoSuchAlgorithmException {
        byte[] magic = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);
        if (data.length < magic.length + 20) {
            return Optional.empty();
        }
        for (int i = 0; i < magic.length; i++) {
            if (data[i] != magic[i]) {
                return Optional.empty();
            }
        }
        int p = magic.length;
        for (int i = 0; i < 3; i++) {
            p += 4 + u32(data, p);
        }
        int keys = u32(data, p);
        p += 4;
        if (keys < 1) {
            return Optional.empty();
        }
        int len = u32(data, p);
        if (len <= 0 || p + 4 + len > data.length) {
            return Optional.empty();
        }
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(data, p + 4, len);
        return Optional.of("SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(md.digest()));
    }

    private static int u32(byte[] b, int p) {
        if (p + 4 > b.length) {
            throw new IllegalArgumentException("truncated openssh key");
        }
        return ((b[p] & 0xff) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
    }

    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** A minimal DER element reader: tag, length, contents; enough for key structures. */
    record Der(byte[] buf, int start, int tag, int contentStart, int end) {
        static Der read(byte[] buf, int pos) {
            if (pos + 2 > buf.length) {
                throw new IllegalArgumentException("truncated DER");
            }
            int tag = buf[pos] & 0xff;
            int len = buf[pos + 1] & 0xff;
            int p = pos + 2;
            if (len >= 0x80) {
                int n = len & 0x7f;
                if (n == 0 || n > 3 || p + n > buf.length) {
                    throw new IllegalArgumentException("bad DER length");
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (buf[p++] & 0xff);
                }
            }
            if (p + len > buf.length) {
                throw new IllegalArgumentException("truncated DER");
            }
            return new Der(buf, pos, tag, p, p + len);
        }

        Der child(int index) {
            Der d = read(buf, contentStart);
            for (int i = 0; i < index; i++) {
                d = d.next();
            }
            return d;
        }

        Der next() {
            return read(buf, end);
        }

        byte[] contents() {
            return Arrays.copyOfRange(buf, contentStart, end);
        }

        byte[] encoded() {
            return Arrays.copyOfRange(buf, start, end);
        }

        boolean is(byte[] oid) {
            return tag == 0x06 && Arrays.equals(contents(), oid);
        }

        static void write(ByteArrayOutputStream out, int tag, byte[] contents) {
            out.write(tag);
            int len = contents.length;
            if (len < 0x80) {
                out.write(len);
            } else if (len < 0x100) {
                out.write(0x81);
                out.write(len);
            } else {
                out.write(0x82);
                out.write(len >> 8);
                out.write(len & 0xff);
            }
            out.writeBytes(contents);
        }
    }
}
