-- Mandates: a usager lets an organisation's named aidants act for them, within document
-- categories, for a purpose and a duration (issue 11). The limit is enforced by keys: the mandate
-- key (MK) is created by the usager's client at consent, wrapped to each named aidant's account key
-- (mandate_aidants.wrapped_key) and added as a slot to every in-scope document (document_slots
-- with mandate_id). Whether a mandate is in force is computed on every request from its dates:
-- state = 'active' AND now < expires_at.
CREATE TABLE mandates (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    proposed_by TEXT NOT NULL REFERENCES users (id),
    -- Known at proposal (a usager the organisation already accompanies) or set when the usager
    -- opens the proposal's link in their own session.
    usager_id TEXT REFERENCES users (id),
    -- SHA-256 of the proposal link's one-time token.
    claim_hash TEXT NOT NULL UNIQUE,
    -- Sorted, space-separated category keys and démarches.
    categories TEXT NOT NULL,
    purposes TEXT NOT NULL,
    duration_days INTEGER NOT NULL CHECK (duration_days IN (1, 31, 182, 365)),
    state TEXT NOT NULL
        CHECK (state IN ('proposed', 'refused', 'withdrawn', 'active', 'revoked', 'superseded')),
    -- The mandate key's age recipient, from consent.
    recipient TEXT UNIQUE,
    -- A proposal waits a fixed time for an answer (the mandates module says how long).
    proposed_at BIGINT NOT NULL,
    consented_at BIGINT,
    expires_at BIGINT,
    -- When and by whom it was refused, withdrawn, revoked or superseded.
    ended_at BIGINT,
    ended_by TEXT,
    -- Set once its grants and slots are gone (after revocation, supersession or expiry; the
    -- sweep finishes what a crash interrupted).
    keys_cleared_at BIGINT
);
CREATE INDEX mandates_usager ON mandates (usager_id, state);
CREATE INDEX mandates_organisation ON mandates (organisation_id, state);

-- The aidants named on a mandate; wrapped_key is the MK secret as an age file to the aidant's
-- account key, set at consent and deleted when the mandate ends or the aidant is removed.
CREATE TABLE mandate_aidants (
    mandate_id TEXT NOT NULL REFERENCES mandates (id),
    aidant_id TEXT NOT NULL REFERENCES users (id),
    wrapped_key BLOB,
    PRIMARY KEY (mandate_id, aidant_id)
);
CREATE INDEX mandate_aidants_aidant ON mandate_aidants (aidant_id);

-- A mandate slot names its mandate, so that ending the mandate deletes exactly its slots.
ALTER TABLE document_slots ADD COLUMN mandate_id TEXT;
CREATE INDEX document_slots_mandate ON document_slots (mandate_id);
