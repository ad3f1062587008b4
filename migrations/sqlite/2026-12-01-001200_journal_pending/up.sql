-- Journal entries written by requests, waiting to be chained (storage/src/journal/pending.rs).
-- A request inserts its entry here in its own transaction, in parallel with the others; after
-- its commit, a sealing transaction under the journal's head lock gives every waiting entry its
-- sequence number, commitments and hash, moves it into `journal` and deletes it from here, so
-- that concurrent requests share one flush instead of taking turns across each commit. The
-- request answers only once its entries are sealed.
CREATE TABLE journal_pending (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
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
    personal_details TEXT,
    request_id TEXT
);
