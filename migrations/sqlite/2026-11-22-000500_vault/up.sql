-- The vault (issue 5): key envelopes and share links. Documents, versions and slots are in the
-- foundation migration.

-- An encrypted copy of the usager's secret key. The server cannot open any of them: `device` is
-- under a key kept on a device, `kit` under the recovery-kit code, `assisted` under two shares (one
-- in `organisation_share`, an age file only the organisation's recovery key opens; the other in
-- `server_share`, encrypted under the server's key).
CREATE TABLE vault_envelopes (
    id TEXT PRIMARY KEY,
    vault_id TEXT NOT NULL REFERENCES vaults (id),
    kind TEXT NOT NULL CHECK (kind IN ('device', 'kit', 'assisted')),
    label TEXT NOT NULL,
    envelope BLOB NOT NULL,
    organisation_id TEXT REFERENCES organisations (id),
    organisation_share BLOB,
    server_share BLOB,
    created_at BIGINT NOT NULL
);
CREATE INDEX vault_envelopes_vault ON vault_envelopes (vault_id);

-- A link giving one document version to a third party. The link carries a random token, stored
-- here only as its SHA-256; the slot opens with an identity whose secret is in the link's fragment
-- and never reaches the server.
CREATE TABLE shares (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    vault_id TEXT NOT NULL REFERENCES vaults (id),
    document_id TEXT NOT NULL REFERENCES documents (id),
    version_id TEXT NOT NULL REFERENCES document_versions (id),
    slot_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    max_downloads INTEGER,
    downloads INTEGER NOT NULL DEFAULT 0,
    revoked_at BIGINT
);
CREATE INDEX shares_document ON shares (document_id);
