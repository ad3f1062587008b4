-- Foundation tables. Identifiers are UUID text, times are Unix seconds (BIGINT), so that the same
-- diesel queries serve PostgreSQL and SQLite.

CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    siret TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    recovery_recipient TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('usager', 'aidant', 'referent')),
    organisation_id TEXT REFERENCES organisations (id),
    -- keyed hash of (provider, sub): the provider's identifier is never stored in clear
    subject_hash TEXT NOT NULL UNIQUE,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    preferred_username TEXT,
    birthdate TEXT,
    gender TEXT,
    birthplace TEXT,
    birthcountry TEXT,
    email TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    -- SHA-256 of the cookie token; the token itself is never stored
    token_hash TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    second_factor_at BIGINT,
    ended_at BIGINT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE vaults (
    id TEXT PRIMARY KEY,
    usager_id TEXT NOT NULL UNIQUE REFERENCES users (id),
    recipient TEXT NOT NULL,
    quota_bytes BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    closure_requested_at BIGINT,
    closed_at BIGINT
);

CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    vault_id TEXT NOT NULL REFERENCES vaults (id),
    category TEXT NOT NULL,
    expires_on TEXT,
    -- the version clients see; NULL until the first upload has fully arrived
    current_version_id TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    binned_at BIGINT
);
CREATE INDEX documents_vault ON documents (vault_id, category);

-- One age payload per version; the blob store holds the bytes under blob_key. A version is
-- 'pending' from before its payload is written until every byte has arrived, then 'stored', and
-- 'purging' from the moment its deletion starts (hidden everywhere) until its rows are gone.
CREATE TABLE document_versions (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id),
    vault_id TEXT NOT NULL REFERENCES vaults (id),
    version INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'stored', 'purging')),
    blob_key TEXT NOT NULL UNIQUE,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    metadata BLOB NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (document_id, version)
);
CREATE INDEX document_versions_vault ON document_versions (vault_id, state);

-- A slot is a complete single-recipient age header for one version.
CREATE TABLE document_slots (
    id TEXT PRIMARY KEY,
    version_id TEXT NOT NULL REFERENCES document_versions (id),
    recipient_kind TEXT NOT NULL CHECK (recipient_kind IN ('usager', 'mandate', 'share')),
    recipient TEXT NOT NULL,
    header BLOB NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (version_id, recipient)
);
CREATE INDEX document_slots_version ON document_slots (version_id);

CREATE TABLE journal (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_user_id TEXT,
    actor_organisation_id TEXT,
    actor_role TEXT,
    action TEXT NOT NULL,
    subject_usager_id TEXT,
    subject_document_id TEXT,
    subject_mandate_id TEXT,
    subject_share_id TEXT,
    outcome TEXT NOT NULL,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX journal_usager ON journal (subject_usager_id, seq);
CREATE INDEX journal_organisation ON journal (actor_organisation_id, seq);

CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN
    SELECT RAISE(ABORT, 'journal is append-only');
END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN
    SELECT RAISE(ABORT, 'journal is append-only');
END;
