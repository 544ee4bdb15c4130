package dev.warden.broker;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import dev.warden.audit.AuditLog;
import dev.warden.broker.attest.KeySet;
import dev.warden.keys.SecretBox;
import dev.warden.store.Database;
import dev.warden.store.Ids;
import dev.warden.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's token-signing keys (ES256 by default, EdDSA optional), kept in the store with the
 * private part sealed by {@link SecretBox}, and rotated on a schedule with overlap: the next key is
 * published in the JWKS {@link #PREPUBLISH} before it starts signing, and a retired key stays
 * published until every token it signed has expired. Servers sharing one store share the keys;
 * whoever finds rotation due does it under a store lock, and the others pick it up on
 * {@link #refresh}.
 */
final class SigningKeys {
    static final String PURPOSE = "broker-jwt";
    /** How long before it signs a new key is published. */
    static final Duration PREPUBLISH = Duration.ofHours(1);
    /** How long after retiring a key stays published: the longest token lifetime and skew. */
    static final Duration POST_PUBLISH = Duration.ofHours(1).plusMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);

    private final Database db;
    private final SecretBox box;
    private final AuditLog audit;
    private final Clock clock;
    private final JWSAlgorithm algorithm;
    private final Duration rotation;
    private volatile Snapshot snapshot;

    /**
     * The keys in force: who signs now, and the published public keys. {@code header} and
     * {@code encodedHeader} are the access tokens' JOSE header ({@code alg}, {@code kid},
     * {@code typ: at+jwt}), built once per key instead of once per token.
     */
    record Snapshot(
            String kid,
            JWSSigner signer,
            JWSAlgorithm alg,
            String jwksJson,
            KeySet verifiers,
            Instant refreshBy,
            Instant latestChange,
            JWSHeader header,
            String encodedHeader) {}

    SigningKeys(Database db, SecretBox box, AuditLog audit, Clock clock, JWSAlgorithm algorithm, Duration rotation) {
        if (!algorithm.equals(JWSAlgorithm.ES256) && !algorithm.equals(JWSAlgorithm.EdDSA)) {
            throw new IllegalArgumentException("signing algorithm must be ES256 or EdDSA");
        }
        if (rotation.compareTo(PREPUBLISH.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("key rotation period must be at least 2h");
        }
        this.db = db;
        this.box = box;
        this.audit = audit;
        this.clock = clock;
        this.algorithm = algorithm;
        this.rotation = rotation;
        refresh();
    }

    /** The current signer, refreshing first when the snapshot is due. */
    Snapshot current() {
        Snapshot s = snapshot;
        if (!clock.instant().isBefore(s.refreshBy())) {
            synchronized (this) {
                s = snapshot;
                if (!clock.instant().isBefore(s.refreshBy())) {
                    refresh();
                    s = snapshot;
                }
            }
        }
        return s;
    }

    /** The public JWKS document. */
    String jwks() {
        return current().jwksJson();
    }

    /** Verifiers for tokens Warden issued (introspection). */
    KeySet verifiers() {
        return current().verifiers();
    }

    /** When the published keys last changed (the newest key's creation), for bundle sequence numbers. */
    Instant latestChange() {
        return current().latestChange();
    }

    JWSAlgorithm algorithm() {
        return algorithm;
    }

    /** Rotates when due and reloads the keys from the store. */
    synchronized void refresh() {
        Instant now = clock.instant();
        List<Row> rows = db.inTransaction(h -> {
            db.lock(h, "warden.signing_keys");
            List<Row> live = load(h, now);
            Row signing = signingKey(live, now);
            if (signing == null) {
                live.add(create(h, now, now));
            } else if (!signing.retireAt().isAfter(now.plus(PREPUBLISH))
                    && live.stream().noneMatch(r -> r.activateAt().isAfter(now))) {
                live.add(create(h, now, signing.retireAt()));
            }
            int pruned = h.createUpdate("DELETE FROM signing_keys WHERE purpose = :p AND expire_at <= :now")
                    .bind("p", PURPOSE)
                    .bind("now", now.toEpochMilli())
                    .execute();
            if (pruned > 0) {
                audit.append(
                        h, "system:broker", "signing_key.delete", "signing_key", PURPOSE, Map.of("count", "" + pruned));
            }
            return live;
        });
        Row signing = signingKey(rows, now);
        List<JWK> published = new ArrayList<>();
        Instant nextChange = now.plus(Duration.ofMinutes(1));
        Instant latest = Instant.EPOCH;
        for (Row r : rows) {
            published.add(r.publicJwk());
            if (r.createdAt().isAfter(latest)) {
                latest = r.createdAt();
            }
            for (Instant t : List.of(r.activateAt(), r.retireAt(), r.expireAt())) {
                if (t.isAfter(now) && t.isBefore(nextChange)) {
                    nextChange = t;
                }
            }
        }
        JWK priv;
        try {
            priv = JWK.parse(
                    new String(box.open(signing.sealed(), "signing_key:" + signing.kid()), StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new StoreException("signing key " + signing.kid() + " is corrupt", e);
        }
        JWKSet set = new JWKSet(published);
        JWSHeader header = new JWSHeader.Builder(signing.alg())
                .keyID(signing.kid())
                .type(new JOSEObjectType("at+jwt"))
                .build();
        snapshot = new Snapshot(
                signing.kid(),
                signer(priv),
                signing.alg(),
                set.toString(true),
                KeySet.of(set, null),
                nextChange,
                latest,
                header,
                header.toBase64URL().toString());
    }

    private record Row(
            String kid,
            JWSAlgorithm alg,
            JWK publicJwk,
            String sealed,
            Instant createdAt,
            Instant activateAt,
            Instant retireAt,
            Instant expireAt) {}

    private static Row signingKey(List<Row> rows, Instant now) {
        Row best = null;
        for (Row r : rows) {
            if (!r.activateAt().isAfter(now)
                    && r.retireAt().isAfter(now)
                    && (best == null || r.activateAt().isAfter(best.activateAt()))) {
                best = r;
            }
        }
        return best;
    }

    private static List<Row> load(Handle h, Instant now) {
        return new ArrayList<>(h.createQuery(
                        "SELECT * FROM signing_keys WHERE purpose = :p AND expire_at > :now" + " ORDER BY activate_at")
                .bind("p", PURPOSE)
                .bind("now", now.toEpochMilli())
                .map((rs, ctx) -> {
                    try {
                        return new Row(
                                rs.getString("kid"),
                                JWSAlgorithm.parse(rs.getString("alg")),
                                JWK.parse(rs.getString("public_jwk")),
                                rs.getString("private_key"),
                                Instant.ofEpochMilli(rs.getLong("created_at")),
                                Instant.ofEpochMilli(rs.getLong("activate_at")),
                                Instant.ofEpochMilli(rs.getLong("retire_at")),
                                Instant.ofEpochMilli(rs.getLong("expire_at")));
                    } catch (ParseException e) {
                        throw new StoreException("signing key " + rs.getString("kid") + " has a corrupt public key", e);
                    }
                })
                .list());
    }

    private Row create(Handle h, Instant now, Instant activateAt) {
        String kid = Ids.next();
        JWK key;
        try {
            key = algorithm.equals(JWSAlgorithm.EdDSA)
                    ? new OctetKeyPairGenerator(Curve.Ed25519)
                            .keyID(kid)
                            .keyUse(KeyUse.SIGNATURE)
                            .algorithm(JWSAlgorithm.EdDSA)
                            .generate()
                    : new ECKeyGenerator(Curve.P_256)
                            .keyID(kid)
                            .keyUse(KeyUse.SIGNATURE)
                            .algorithm(JWSAlgorithm.ES256)
                            .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a signing key: " + e.getMessage(), e);
        }
        Instant retireAt = activateAt.plus(rotation);
        Instant expireAt = retireAt.plus(POST_PUBLISH);
        String sealed = box.seal(key.toJSONString().getBytes(StandardCharsets.UTF_8), "signing_key:" + kid);
        h.createUpdate(
                        "INSERT INTO signing_keys (kid, purpose, alg, public_jwk, private_key, created_at, activate_at,"
                                + " retire_at, expire_at) VALUES (:kid, :p, :alg, :pub, :priv, :created, :activate, :retire, :expire)")
                .bind("kid", kid)
                .bind("p", PURPOSE)
                .bind("alg", algorithm.getName())
                .bind("pub", key.toPublicJWK().toJSONString())
                .bind("priv", sealed)
                .bind("created", now.toEpochMilli())
                .bind("activate", activateAt.toEpochMilli())
                .bind("retire", retireAt.toEpochMilli())
                .bind("expire", expireAt.toEpochMilli())
                .execute();
        Map<String, String> d = new LinkedHashMap<>();
        d.put("alg", algorithm.getName());
        d.put("activateAt", activateAt.toString());
        d.put("retireAt", retireAt.toString());
        d.put("kekId", box.kekId());
        audit.append(h, "system:broker", "signing_key.create", "signing_key", kid, d);
        LOG.info("event=signing_key_created kid={} alg={} activate_at={}", kid, algorithm, activateAt);
        return new Row(kid, algorithm, key.toPublicJWK(), sealed, now, activateAt, retireAt, expireAt);
    }

    private static JWSSigner signer(JWK priv) {
        try {
            if (priv instanceof ECKey ec) {
                return new ECDSASigner(ec);
            }
            return new Ed25519Signer((OctetKeyPair) priv);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot use signing key " + priv.getKeyID() + ": " + e.getMessage(), e);
        }
    }
}
