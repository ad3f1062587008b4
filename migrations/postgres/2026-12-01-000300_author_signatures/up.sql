-- Documents authenticated by their author (issue 16, item 1).
-- One Ed25519 public signing key per person (`consigne-sig1…`), registered by their client with
-- a proof of possession; derived from their age identity, so it is set once and never changes.
CREATE TABLE signing_keys (
    user_id TEXT PRIMARY KEY REFERENCES users (id),
    public_key TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

-- Each version carries its author's signature (65 bytes: version byte and Ed25519 signature), the
-- author's user id, and the slot recipients the signature covers (sorted, space-separated: slots
-- added later, such as share links, are not the author's). NULL only on versions stored before
-- this migration, which clients refuse to open as authenticated. The signer id has no foreign key
-- so that a column can be dropped on both backends alike.
ALTER TABLE document_versions ADD COLUMN signature BYTEA;
ALTER TABLE document_versions ADD COLUMN signer_id TEXT;
ALTER TABLE document_versions ADD COLUMN signed_recipients TEXT;
