-- Signed checkpoints of the journal (issue 10): the chain head at `seq` entries, signed with the
-- server's Ed25519 key as a C2SP signed note. Append-only, like the journal (SQLite has no
-- TRUNCATE: an unconditional DELETE is refused by the delete trigger).
CREATE TABLE journal_checkpoints (
    seq BIGINT PRIMARY KEY,
    head_hash TEXT NOT NULL,
    at BIGINT NOT NULL,
    note TEXT NOT NULL
);

CREATE TRIGGER journal_checkpoints_no_update BEFORE UPDATE ON journal_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'journal is append-only');
END;
CREATE TRIGGER journal_checkpoints_no_delete BEFORE DELETE ON journal_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'journal is append-only');
END;
