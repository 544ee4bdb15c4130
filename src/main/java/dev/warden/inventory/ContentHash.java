package dev.warden.inventory;

import static dev.warden.inventory.IdentityRows.millis;

import dev.warden.store.JsonColumns;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;

/** What a record says, as a digest stored beside the identity: an unchanged re-import is recognised by it. */
final class ContentHash {
    private ContentHash() {}

    /**
     * SHA-256 of what a record says (not when it was seen), so a re-import of unchanged data is
     * recognised and costs one small update.
     */
    static String of(IdentityRecord r) {
        Identity i = r.identity();
        StringBuilder b = new StringBuilder(512);
        field(b, r.complete().stream().map(Enum::name).sorted().toList());
        field(
                b,
                i.kind().value(),
                i.name(),
                i.environment(),
                i.businessOwner(),
                i.technicalOwner(),
                i.ownershipProvenance(),
                i.workload(),
                i.purpose(),
                i.status().value(),
                i.thirdPartyVendor(),
                JsonColumns.write(i.tags()),
                String.valueOf(millis(i.createdAt())),
                i.nature().value(),
                i.natureReason(),
                JsonColumns.write(i.attributes()));
        r.credentials().stream()
                .sorted(Comparator.comparing(Credential::naturalKey))
                .forEach(c -> field(
                        b,
                        c.naturalKey(),
                        c.externalId(),
                        c.fingerprint(),
                        String.valueOf(millis(c.createdAt())),
                        String.valueOf(millis(c.lastRotatedAt())),
                        String.valueOf(millis(c.expiresAt())),
                        String.valueOf(millis(c.lastUsedAt())),
                        c.status().value(),
                        JsonColumns.write(c.attributes())));
        r.entitlements()
                .forEach(e -> field(b, e.effect().value(), e.action(), e.resource(), e.grantedVia(), e.condition()));
        r.trusts()
                .forEach(
                        t -> field(b, t.effect().value(), t.principalType(), t.principal(), t.action(), t.condition()));
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(b.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static void field(StringBuilder b, Object... values) {
        for (Object v : values) {
            String s = String.valueOf(v);
            b.append(s.length()).append(':').append(s);
        }
        b.append('\n');
    }
}
