-- Issue 15: ways in without FranceConnect. A usager enrolled in person by a habilitated aidant
-- has no FranceConnect subject: `users.subject_hash` then holds `in-person:<user id>` (never a
-- hex digest, so it matches no provider's subject) until they link FranceConnect. Their ways in
-- are the kit's login key and their passkeys; at least one way in always remains.
ALTER TABLE users ADD COLUMN identity_source TEXT NOT NULL DEFAULT 'franceconnect';

-- How an identity was checked in person (enrolment, or re-proofing after a lost kit or phone).
-- No copy of the document seen is kept: only its kind. 'known' ("personne connue du service")
-- needs a référent's confirmation (`confirmed_by`, another member than the aidant) before the
-- one-time link can be claimed. The link is stored as its hash, cleared once claimed.
CREATE TABLE identity_proofs (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    aidant_id TEXT NOT NULL REFERENCES users(id),
    purpose TEXT NOT NULL,
    method TEXT NOT NULL,
    document_kind TEXT,
    checked_at BIGINT NOT NULL,
    confirmed_by TEXT REFERENCES users(id),
    confirmed_at BIGINT,
    claim_token_hash TEXT UNIQUE,
    claim_expires_at BIGINT NOT NULL,
    claimed_at BIGINT
);
CREATE INDEX identity_proofs_user ON identity_proofs (user_id, checked_at);
CREATE INDEX identity_proofs_organisation ON identity_proofs (organisation_id, checked_at);

-- The public half of the login key derived from a recovery kit's code (crypto crate,
-- `kit_login`). Only the public key is stored: a dump gives nothing to log in with.
CREATE TABLE kit_login_keys (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    public_key TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX kit_login_keys_user ON kit_login_keys (user_id);

-- One-time challenges of the kit and passkey ceremonies; consumed by a single DELETE, so a
-- replay finds nothing. `state` holds a WebAuthn ceremony's state (its challenge, no secret).
CREATE TABLE login_challenges (
    id TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    user_id TEXT REFERENCES users(id),
    challenge TEXT NOT NULL,
    state TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- WebAuthn credentials (webauthn-rs `Passkey`, serialised: credential id, public key, counter).
-- `purpose`: 'login' (a usager's daily way in) or 'second_factor' (a professional's, instead
-- of TOTP).
CREATE TABLE passkeys (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    purpose TEXT NOT NULL,
    credential_id TEXT NOT NULL UNIQUE,
    passkey TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT
);
CREATE INDEX passkeys_user ON passkeys (user_id);
