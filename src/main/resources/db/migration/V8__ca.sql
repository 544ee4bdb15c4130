-- Warden's certificate authority for X.509-SVIDs (issue 7). One row per CA certificate Warden signs
-- with: its own self-signed root, or an intermediate an upstream CA issued (given as files). The
-- private key is never stored in clear: it is a SecretBox envelope of the PKCS#8 DER, bound to the
-- row's id. Rows are kept after they expire (a few per rotation period) so the bundle's sequence
-- number can count removals.
CREATE TABLE ca_authorities (
    id           VARCHAR(64)  NOT NULL PRIMARY KEY,
    trust_domain VARCHAR(255) NOT NULL,
    mode         VARCHAR(16)  NOT NULL,  -- self-signed | upstream
    chain_pem    TEXT         NOT NULL,  -- the CA certificate first, then its issuers (PEM)
    root_pem     TEXT         NOT NULL,  -- the trust anchor published in the bundle (PEM)
    fingerprint  VARCHAR(64)  NOT NULL,  -- lower-case hex SHA-256 of the CA certificate's DER
    key_alg      VARCHAR(16)  NOT NULL,  -- EC-P256, EC-P384, RSA
    private_key  TEXT         NOT NULL,  -- SecretBox envelope of the PKCS#8 DER
    created_at   BIGINT       NOT NULL,  -- in the bundle from then
    activate_at  BIGINT       NOT NULL,  -- signs from then
    retire_at    BIGINT       NOT NULL,  -- signs until then
    expire_at    BIGINT       NOT NULL   -- in the bundle until then: retire + the longest SVID lifetime
);
CREATE INDEX ca_authorities_domain ON ca_authorities (trust_domain, activate_at);

-- X.509-SVIDs the CA issued, one per lease (handle 'svid-LEASE_ID'). A certificate cannot be taken
-- back before it expires (at most 1h): revoking one marks it here (and its lease), and relying
-- parties rely on the short lifetime. Only public facts are kept, never a key.
CREATE TABLE x509_svids (
    handle       VARCHAR(64)  NOT NULL PRIMARY KEY,
    lease_id     VARCHAR(36)  NOT NULL,
    ca_id        VARCHAR(64)  NOT NULL,
    spiffe_id    TEXT         NOT NULL,
    serial       VARCHAR(64)  NOT NULL,   -- lower-case hex
    fingerprint  VARCHAR(64)  NOT NULL,   -- lower-case hex SHA-256 of the DER
    issued_at    BIGINT       NOT NULL,
    not_after    BIGINT       NOT NULL,
    revoked_at   BIGINT
);
CREATE INDEX x509_svids_not_after ON x509_svids (not_after);
