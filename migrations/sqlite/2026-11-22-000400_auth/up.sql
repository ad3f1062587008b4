-- Login (issue 4): pending logins, rate-limit counters, TOTP secrets, session columns.
-- Times are Unix seconds; identifiers UUID text, as in the foundation.

-- A login between the redirect to the provider and its return. Keyed by the SHA-256 of `state`;
-- the nonce and PKCE verifier live here, not in the app server's memory (servers are stateless).
CREATE TABLE login_requests (
    id TEXT PRIMARY KEY,
    state_hash TEXT NOT NULL UNIQUE,
    provider TEXT NOT NULL CHECK (provider IN ('usager', 'aidant')),
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    consumed_at BIGINT
);

-- Attempt counters per bucket (an account or a client address) and fixed time window.
CREATE TABLE rate_counters (
    bucket TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (bucket, window_start)
);

-- An aidant's TOTP secret, encrypted under the server key; last_used_step refuses replays.
CREATE TABLE totp_secrets (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret_enc TEXT NOT NULL,
    confirmed_at BIGINT,
    last_used_step BIGINT,
    created_at BIGINT NOT NULL
);

-- Which provider opened the session, and its id token (encrypted) for the provider's logout.
ALTER TABLE sessions ADD COLUMN provider TEXT NOT NULL DEFAULT 'usager';
ALTER TABLE sessions ADD COLUMN id_token_enc TEXT;
