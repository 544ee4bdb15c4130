package dev.warden.broker.attest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import dev.warden.input.Echo;
import dev.warden.input.ParseErrors;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A compact JWS split into its parts and parsed strictly, before any key is looked at: bounded
 * size, exactly three base64url parts without padding, header and payload JSON objects with no
 * duplicate member names (RFC 7519 §4 lets a parser reject them, and an attacker can use them to
 * make two parsers disagree), bounded nesting. Claims come out as plain Java values: String,
 * Long, Double, Boolean, List and Map (JSON null members are dropped).
 */
public final class JwtParts {
    /** Largest subject token accepted, in bytes. */
    public static final int MAX_BYTES = 16 * 1024;

    private static final ObjectMapper STRICT = ParseErrors.quiet(JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build());

    static {
        STRICT.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(20)
                        .maxStringLength(MAX_BYTES)
                        .maxNumberLength(64)
                        .build());
    }

    private final JWSHeader header;
    private final Map<String, Object> claims;
    private final byte[] signingInput;
    private final Base64URL signature;

    private JwtParts(JWSHeader header, Map<String, Object> claims, byte[] signingInput, Base64URL signature) {
        this.header = header;
        this.claims = claims;
        this.signingInput = signingInput;
        this.signature = signature;
    }

    /** Splits and parses {@code token}; never throws anything but {@link AttestationException}. */
    public static JwtParts parse(String token) throws AttestationException {
        return parse(token, true);
    }

    /**
     * The same checks of the compact JWS (parts, header, algorithm, signature encoding) for any
     * payload, which is then not parsed: the claims are empty. For the JWS test vectors, whose
     * payloads are not JSON; a subject token always goes through {@link #parse(String)}.
     */
    static JwtParts parseJws(String token) throws AttestationException {
        return parse(token, false);
    }

    private static JwtParts parse(String token, boolean jwt) throws AttestationException {
        if (token == null || token.isEmpty()) {
            throw new AttestationException("malformed", "token is empty");
        }
        if (token.length() > MAX_BYTES) {
            throw new AttestationException("too_large", "token is larger than " + MAX_BYTES + " bytes");
        }
        int dot1 = token.indexOf('.');
        int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
        if (dot1 < 0 || dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) {
            throw new AttestationException(
                    "malformed", "token is not a compact JWS (three base64url parts separated by dots)");
        }
        String h = token.substring(0, dot1);
        String p = token.substring(dot1 + 1, dot2);
        String s = token.substring(dot2 + 1);
        Map<String, Object> headerJson = object(decode(h, "header"), "header");
        Object alg = headerJson.get("alg");
        if (!(alg instanceof String algName)) {
            throw new AttestationException("malformed", "token header has no alg");
        }
        String upper = algName.toUpperCase(Locale.ROOT);
        if (upper.equals("NONE")) {
            throw new AttestationException("alg_not_allowed", "unsigned tokens (alg none) are never accepted");
        }
        if (upper.startsWith("HS")) {
            throw new AttestationException(
                    "alg_not_allowed", "HMAC algorithms (" + algName + ") are never accepted for workload tokens");
        }
        if (headerJson.containsKey("enc")) {
            throw new AttestationException("malformed", "encrypted tokens (JWE) are not accepted");
        }
        Map<String, Object> claims;
        if (jwt) {
            claims = object(decode(p, "payload"), "payload");
        } else {
            if (!p.isEmpty()) {
                decode(p, "payload");
            }
            claims = Map.of();
        }
        if (s.isEmpty()) {
            throw new AttestationException("malformed", "token has no signature");
        }
        decode(s, "signature");
        JWSHeader header;
        try {
            header = JWSHeader.parse(headerJson, new Base64URL(h));
        } catch (ParseException | RuntimeException e) {
            throw new AttestationException("malformed", "token header is not a valid JWS header");
        }
        return new JwtParts(header, claims, (h + "." + p).getBytes(StandardCharsets.US_ASCII), new Base64URL(s));
    }

    private static byte[] decode(String part, String what) throws AttestationException {
        if (part.isEmpty()) {
            throw new AttestationException("malformed", "token " + what + " is empty");
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            boolean ok =
                    (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                throw new AttestationException(
                        "malformed", "token " + what + " is not base64url (character " + (i + 1) + ")");
            }
        }
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new AttestationException("malformed", "token " + what + " is not valid base64url");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(byte[] json, String what) throws AttestationException {
        Object value;
        try {
            value = STRICT.readValue(json, Object.class);
        } catch (IOException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage();
            if (msg.startsWith("Duplicate field")) {
                int q = msg.indexOf('\'');
                int q2 = q < 0 ? -1 : msg.indexOf('\'', q + 1);
                String name = q2 > q ? msg.substring(q + 1, q2) : "?";
                throw new AttestationException(
                        "duplicate_claim", "token " + what + " has the member '" + Echo.shown(name) + "' twice");
            }
            throw new AttestationException("malformed", "token " + what + " is not valid JSON");
        }
        if (!(value instanceof Map)) {
            throw new AttestationException("malformed", "token " + what + " is not a JSON object");
        }
        return (Map<String, Object>) normalise(value);
    }

    /** JSON values as CEL wants them: Long for integers, Double for other numbers, no nulls. */
    static Object normalise(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> {
                if (x != null) {
                    out.put(String.valueOf(k), normalise(x));
                }
            });
            return Collections.unmodifiableMap(out);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object x : l) {
                if (x != null) {
                    out.add(normalise(x));
                }
            }
            return Collections.unmodifiableList(out);
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 64 ? (Object) b.longValue() : (Object) b.doubleValue();
        }
        if (v instanceof BigDecimal d) {
            return d.doubleValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        return v;
    }

    JWSHeader header() {
        return header;
    }

    public Map<String, Object> claims() {
        return claims;
    }

    byte[] signingInput() {
        return signingInput;
    }

    Base64URL signature() {
        return signature;
    }

    /** A claim as a string, or null when absent or not a string. */
    public String string(String name) {
        return claims.get(name) instanceof String s ? s : null;
    }
}
