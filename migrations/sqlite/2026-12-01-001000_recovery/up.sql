-- Assisted recovery (issues 10 and 12).

-- The organisation's recovery identity, wrapped (age, by a référent's client) to each référent's
-- account key: one opaque copy per référent. The recipient itself is organisations.recovery_recipient.
CREATE TABLE organisation_recovery_keys (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    recipient TEXT NOT NULL,
    wrapped BLOB NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, user_id)
);

-- A usager's request to recover their vault with the assisted envelope: pending until
-- release_at, then released by a référent of the envelope's organisation (both shares stored as
-- age files to the new device's ephemeral recipient), then completed (files deleted), or
-- cancelled (by the usager, or by the "ce n'est pas moi" link, whose token is kept hashed).
CREATE TABLE recovery_requests (
    id TEXT PRIMARY KEY,
    vault_id TEXT NOT NULL REFERENCES vaults (id),
    usager_id TEXT NOT NULL REFERENCES users (id),
    envelope_id TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    recipient TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'released', 'completed', 'cancelled')),
    cancel_hash TEXT NOT NULL UNIQUE,
    requested_at BIGINT NOT NULL,
    release_at BIGINT NOT NULL,
    cancelled_at BIGINT,
    -- The usager who cancelled in their session; NULL when cancelled by the link.
    cancelled_by TEXT,
    -- Who released it is in the journal (recovery.released).
    released_at BIGINT,
    completed_at BIGINT,
    organisation_file BLOB,
    server_file BLOB
);
-- At most one open (pending or released) request per vault: parallel requests meet here.
CREATE UNIQUE INDEX recovery_requests_open ON recovery_requests (vault_id)
    WHERE state IN ('pending', 'released');
CREATE INDEX recovery_requests_organisation ON recovery_requests (organisation_id, state, release_at);
