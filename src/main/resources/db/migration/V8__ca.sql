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
