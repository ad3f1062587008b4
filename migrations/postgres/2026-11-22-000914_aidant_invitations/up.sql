-- Session hygiene (issue 9, finding 14): aidant accounts come from invitations only, and a new
-- login ends the older session of the same browser.

-- An invitation an operator sent to a future aidant (`consigne aidant invite EMAIL`). Only the
-- SHA-256 of its token is stored; it is used at most once (`used_at`), by a provider identity whose
-- e-mail claim is `email` (stored in lower case), before `expires_at`.
CREATE TABLE aidant_invitations (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    -- The aidant account the invitation created (no foreign key: the invitation is consumed, in
    -- the login's transaction, before the account row is written).
    account_id TEXT
);

-- What the login start carried: the hash of the invitation token of an aidant's first login, and
-- the hash of the session cookie the browser still had (ended when the login completes).
ALTER TABLE login_requests ADD COLUMN invitation_hash TEXT;
ALTER TABLE login_requests ADD COLUMN previous_session_hash TEXT;
