package dev.warden.auth;

import dev.warden.audit.AuditLog;
import dev.warden.store.Database;
import dev.warden.store.Ids;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.jdbi.v3.core.Handle;

/**
 * Creates, checks and revokes API tokens. A token is {@code wdn_} + 43 base62 characters (256 random
 * bits) + 6 base62 characters of CRC32, so secret scanners can recognise it and typos fail without
 * touching the store. Only its SHA-256 is stored; the token is returned once, to its creator.
 */
public final class TokenService {
    public static final String PREFIX = "wdn_";
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int BODY = 43;
    private static final int CHECK = 6;
    private static final Pattern FORMAT = Pattern.compile("wdn_[0-9A-Za-z]{" + (BODY + CHECK) + "}");
    private static final Pattern TEAM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
    private static final String BOOTSTRAP_SETTING = "bootstrap_token_created";

    private final Database db;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public TokenService(Database db, AuditLog audit, Clock clock) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
    }

    /** A token just created: the secret, shown once, and its metadata. */
    public record Issued(String token, ApiToken meta) {
        @Override
        public String toString() {
            return "Issued[token=<redacted>, meta=" + meta + "]";
        }
    }

    /** Creates a token; {@code team} (optional) limits it to identities that team owns. */
    public Issued create(Role role, String team, String description, String actor) {
        return db.inTransaction(h -> create(h, role, team, description, actor));
    }

    private Issued create(Handle h, Role role, String team, String description, String actor) {
        if (team != null && !TEAM.matcher(team).matches()) {
            throw new IllegalArgumentException("team must be 1-128 letters, digits, '.', '_', '@' or '-'");
        }
        if (description != null && description.length() > 200) {
            throw new IllegalArgumentException("description is longer than 200 characters");
        }
        String token = newToken();
        Instant now = clock.instant();
        ApiToken meta = new ApiToken(
                Ids.next(), role, team, description, token.substring(token.length() - 4), now, actor, null, null);
        h.createUpdate("INSERT INTO api_tokens (id, token_hash, hint, role, team, description, created_at, created_by)"
                        + " VALUES (:id, :hash, :hint, :role, :team, :description, :createdAt, :createdBy)")
                .bind("id", meta.id())
                .bind("hash", sha256(token))
                .bind("hint", meta.hint())
                .bind("role", role.value())
                .bind("team", team)
                .bind("description", description)
                .bind("createdAt", now.toEpochMilli())
                .bind("createdBy", actor)
                .execute();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("role", role.value());
        if (team != null) {
            details.put("team", team);
        }
        if (description != null) {
            details.put("description", description);
        }
        audit.append(h, actor, "token.create", "api_token", meta.id(), details);
        return new Issued(token, meta);
    }

    /**
     * Creates the first admin token when the store has no token and none was ever bootstrapped;
     * exactly one process wins
     * when several start at once on one PostgreSQL.
     */
    public Optional<Issued> bootstrap() {
        return db.inTransaction(h -> {
            db.lock(h, BOOTSTRAP_SETTING);
            boolean done = h.createQuery("SELECT (SELECT COUNT(*) FROM settings WHERE name = :n)"
                                    + " + (SELECT COUNT(*) FROM api_tokens)")
                            .bind("n", BOOTSTRAP_SETTING)
                            .mapTo(Long.class)
                            .one()
                    > 0;
            if (done) {
                return Optional.empty();
            }
            h.createUpdate("INSERT INTO settings (name, value) VALUES (:n, :v)")
                    .bind("n", BOOTSTRAP_SETTING)
                    .bind("v", clock.instant().toString())
                    .execute();
            return Optional.of(create(h, Role.ADMIN, null, "bootstrap admin token", "system:bootstrap"));
        });
    }

    /** The token's metadata when {@code bearer} is a well-formed, known, unrevoked, unexpired token. */
    public Optional<ApiToken> authenticate(String bearer) {
        if (!isWellFormed(bearer)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return db.withHandle(h -> h.createQuery("SELECT * FROM api_tokens WHERE token_hash = :hash")
                        .bind("hash", sha256(bearer))
                        .map((rs, ctx) -> token(rs))
                        .findOne())
                .filter(t -> t.usableAt(now));
    }

    public List<ApiToken> list() {
        return db.withHandle(h -> h.createQuery("SELECT * FROM api_tokens ORDER BY id")
                .map((rs, ctx) -> token(rs))
                .list());
    }

    /** Revokes a token; true when it existed and was not yet revoked. */
    public boolean revoke(String id, String actor) {
        return db.inTransaction(h -> {
            int n = h.createUpdate("UPDATE api_tokens SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
                    .bind("now", clock.millis())
                    .bind("id", id)
                    .execute();
            if (n > 0) {
                audit.append(h, actor, "token.revoke", "api_token", id, Map.of());
            }
            return n > 0;
        });
    }

    static boolean isWellFormed(String token) {
        if (token == null || !FORMAT.matcher(token).matches()) {
            return false;
        }
        String body = token.substring(PREFIX.length(), PREFIX.length() + BODY);
        return token.endsWith(checksum(body));
    }

    private String newToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String body = base62(new BigInteger(1, bytes), BODY);
        return PREFIX + body + checksum(body);
    }

    private static String checksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        return base62(BigInteger.valueOf(crc.getValue()), CHECK);
    }

    private static String base62(BigInteger value, int width) {
        StringBuilder b = new StringBuilder();
        BigInteger base = BigInteger.valueOf(ALPHABET.length());
        BigInteger v = value;
        while (v.signum() > 0) {
            BigInteger[] qr = v.divideAndRemainder(base);
            b.append(ALPHABET.charAt(qr[1].intValue()));
            v = qr[0];
        }
        while (b.length() < width) {
            b.append('0');
        }
        return b.reverse().toString();
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static ApiToken token(ResultSet rs) throws SQLException {
        long expires = rs.getLong("expires_at");
        Instant expiresAt = rs.wasNull() ? null : Instant.ofEpochMilli(expires);
        long revoked = rs.getLong("revoked_at");
        Instant revokedAt = rs.wasNull() ? null : Instant.ofEpochMilli(revoked);
        return new ApiToken(
                rs.getString("id"),
                Role.parse(rs.getString("role")),
                rs.getString("team"),
                rs.getString("description"),
                rs.getString("hint"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                rs.getString("created_by"),
                expiresAt,
                revokedAt);
    }
}
