-- Attestations of mandates (issue 11): the printable proof that a mandate was given (creation) or
-- ended (revocation). `content` is the canonical text (consigne-attestation/1) whose SHA-256 the
-- server signed with its attestation key (`signature`: base64 of key id and Ed25519 signature).
-- The QR code of the printed page carries a random verification secret: only its SHA-256 is
-- looked up (`secret_hash`); the secret itself is kept encrypted under auth.encryption_key
-- (`secret_enc`) so that the parties can print the page again. Rows are never updated; one
-- attestation of each kind per mandate.
CREATE TABLE attestations (
    id TEXT PRIMARY KEY,
    mandate_id TEXT NOT NULL REFERENCES mandates (id),
    kind TEXT NOT NULL CHECK (kind IN ('creation', 'revocation')),
    content TEXT NOT NULL,
    signature TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    secret_enc TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (mandate_id, kind)
);
