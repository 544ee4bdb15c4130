package dev.warden.usage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Computes the stored key of aggregates, 64 hex digits: the day (8), a hash of the identity (16)
 * and a hash of all dimensions (40), each SHA-256 over length-prefixed UTF-8 forms. Keys sort by
 * day, then identity, so an ingestion (logs arrive in time order) touches the index pages of the
 * days it covers, not pages all over a table of millions of rows. One hasher serves one write:
 * it reuses its digest and hashes each identity once, not once per aggregate.
 */
final class KeyHasher {
    private final MessageDigest all = sha256();
    private final MessageDigest identity = sha256();
    private final Map<IdentityKey, String> identities = new HashMap<>();
    private final byte[] prefix = new byte[12];
    private final HexFormat hex = HexFormat.of();

    String hash(DailyKey k) {
        IdentityKey who = k.identity();
        String id = identities.get(who);
        if (id == null) {
            update(identity, k.sourceType());
            update(identity, k.scope());
            update(identity, k.principal());
            id = hex.formatHex(identity.digest(), 0, 8);
            identities.put(who, id);
        }
        update(all, k.sourceType());
        update(all, k.scope());
        update(all, k.principal());
        update(all, k.credential());
        update(all, Long.toString(k.day()));
        update(all, k.action());
        update(all, k.sourceIp());
        update(all, k.userAgent());
        update(all, k.type());
        if (!k.target().isEmpty()) {
            // only when present: aggregates stored before targets existed keep their keys
            update(all, k.target());
        }
        return hex.toHexDigits((int) k.day()) + id + hex.formatHex(all.digest(), 0, 20);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void update(MessageDigest sha, String f) {
        byte[] b = f.getBytes(StandardCharsets.UTF_8);
        int i = prefix.length;
        prefix[--i] = ':';
        int n = b.length;
        do {
            prefix[--i] = (byte) ('0' + n % 10);
            n /= 10;
        } while (n > 0);
        sha.update(prefix, i, prefix.length - i);
        sha.update(b);
    }
}
