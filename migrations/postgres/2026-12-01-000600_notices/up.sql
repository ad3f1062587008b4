-- Notices (e-mail and SMS to people, issue 11): a delivery queue, where each person wants them,
-- and the uses of documents under a mandate waiting for their daily digest.

-- The delivery queue. A notice is written in the transaction of the change it tells about, and
-- sent later by a background worker: a request never waits for a mail or SMS server. `dedup_key`
-- (when set) makes the same notice impossible to queue twice. A worker claims a notice with one
-- conditional update (`claimed_until`), so two app servers never send the same one; a failure
-- releases it with `next_attempt_at` pushed back. Once sent, subject and body are emptied (a
-- link the notice carried is not kept); sent rows are deleted after a while.
CREATE TABLE notices (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    dedup_key TEXT UNIQUE,
    created_at BIGINT NOT NULL,
    not_before BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT,
    sent_at BIGINT,
    last_error TEXT
);
CREATE INDEX notices_due ON notices (next_attempt_at) WHERE sent_at IS NULL;
CREATE INDEX notices_sent ON notices (sent_at) WHERE sent_at IS NOT NULL;

-- Where a person wants their notices, when not (only) at the e-mail address of their identity:
-- another address, a French mobile number (E.164, +33…), and which channels they accept.
CREATE TABLE notice_contacts (
    user_id TEXT PRIMARY KEY REFERENCES users (id),
    email TEXT,
    phone TEXT,
    accept_email BOOLEAN NOT NULL,
    accept_sms BOOLEAN NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Documents opened under a mandate, per usager and day in France (`day`: the day's first second),
-- until the day's digest is queued (then the day's rows are deleted). One row per document and
-- aidant: the digest counts distinct documents per aidant.
CREATE TABLE notice_uses (
    usager_id TEXT NOT NULL,
    day BIGINT NOT NULL,
    aidant_id TEXT NOT NULL,
    document_id TEXT NOT NULL,
    aidant_name TEXT NOT NULL,
    organisation_name TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (usager_id, day, aidant_id, document_id)
);
CREATE INDEX notice_uses_day ON notice_uses (day);
