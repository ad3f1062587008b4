-- Organisations and the people who act for them (issue 11).

-- What kind of structure it is; printed on attestations.
ALTER TABLE organisations ADD COLUMN kind TEXT NOT NULL DEFAULT 'autre'
    CHECK (kind IN ('ccas', 'france_services', 'association', 'autre'));

-- An aidant or référent of an organisation. Every professional account has users.role 'aidant'
-- (provider login plus second factor); what they may do for an organisation is their membership
-- here. A person may belong to several organisations. Removal deletes the row (and, in the same
-- transaction, the person's mandate grants); suspension keeps it with suspended_at set.
CREATE TABLE memberships (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL CHECK (role IN ('aidant', 'referent')),
    created_at BIGINT NOT NULL,
    suspended_at BIGINT,
    PRIMARY KEY (organisation_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

-- An invitation now names the organisation and the role it grants, and who sent it (NULL: an
-- operator's command). Invitations from before this migration name no organisation.
ALTER TABLE aidant_invitations ADD COLUMN organisation_id TEXT REFERENCES organisations (id);
ALTER TABLE aidant_invitations ADD COLUMN role TEXT NOT NULL DEFAULT 'aidant'
    CHECK (role IN ('aidant', 'referent'));
ALTER TABLE aidant_invitations ADD COLUMN invited_by TEXT;

-- The organisation an aidant chose to act for in this session (chosen explicitly after login).
ALTER TABLE sessions ADD COLUMN organisation_id TEXT;

-- A professional's own age identity: its public recipient (mandate keys are wrapped to it) and
-- the identity sealed by their client (opaque to the server). Set once, like the signing key.
CREATE TABLE account_keys (
    user_id TEXT PRIMARY KEY REFERENCES users (id),
    recipient TEXT NOT NULL UNIQUE,
    envelope BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
