-- Erasure of a closed vault's personal data from the journal (issue 10), chain still verifiable.
--
-- Entries written from now on are of format 2: each personal field (the actor's user id, the
-- subject usager's id, the personal details) has a keyed commitment, HMAC-SHA256 under a key of
-- the person's own, and the entry's hash covers the commitments instead of the values. Entries
-- written before stay of format 1 (`commitments` NULL), verify as before, and cannot be erased.
--
-- `commitments`: `<actor>:<subject>:<personal details>`, each 64 hex digits or empty when the
-- entry has no such field (one column, not three: the journal stays within 16 columns).
ALTER TABLE journal ADD COLUMN commitments TEXT;
-- Details that identify the person the entry is about (a vault id, a public key), as a JSON
-- object; the other details stay in `details`. Their owner is the subject usager, or else the
-- actor.
ALTER TABLE journal ADD COLUMN personal_details TEXT;

-- One commitment key per person, created on first use; deleted by the erasure, after which no
-- one can tell whether an erased entry concerned a given person. Never in the journal, never
-- logged.
CREATE TABLE journal_person_keys (
    person_id TEXT PRIMARY KEY,
    key_hex TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- The erasure's permit: written by the erasure's transaction, which deletes it before it
-- commits (SQLite has one writer at a time: no other transaction sees it), required by the
-- trigger below.
CREATE TABLE journal_erasure_permits (
    usager_id TEXT PRIMARY KEY,
    txid BIGINT NOT NULL DEFAULT 0
);

-- The one UPDATE the journal accepts: within an erasure, on an entry of format 2, the personal
-- fields of the person named by the permit set to NULL; every other column, the commitments and
-- the hashes unchanged. The personal details' owner is the subject, else the actor (the erasure
-- nulls a subject's personal details before the subject itself). Anything else is refused, as before. Every test below is `IS` or
-- `EXISTS`, never NULL, so that the condition cannot be unknown.
DROP TRIGGER journal_no_update;
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
WHEN NOT (
    OLD.commitments IS NOT NULL
    AND NEW.seq IS OLD.seq AND NEW.at IS OLD.at
    AND NEW.actor_organisation_id IS OLD.actor_organisation_id AND NEW.actor_role IS OLD.actor_role
    AND NEW.action IS OLD.action AND NEW.subject_document_id IS OLD.subject_document_id
    AND NEW.subject_mandate_id IS OLD.subject_mandate_id AND NEW.subject_share_id IS OLD.subject_share_id
    AND NEW.outcome IS OLD.outcome AND NEW.details IS OLD.details
    AND NEW.prev_hash IS OLD.prev_hash AND NEW.hash IS OLD.hash
    AND NEW.commitments IS OLD.commitments
    AND (NEW.actor_user_id IS OLD.actor_user_id
         OR (NEW.actor_user_id IS NULL
             AND EXISTS (SELECT 1 FROM journal_erasure_permits p WHERE p.usager_id = OLD.actor_user_id)))
    AND (NEW.subject_usager_id IS OLD.subject_usager_id
         OR (NEW.subject_usager_id IS NULL
             AND EXISTS (SELECT 1 FROM journal_erasure_permits p WHERE p.usager_id = OLD.subject_usager_id)))
    AND (NEW.personal_details IS OLD.personal_details
         OR (NEW.personal_details IS NULL
             AND EXISTS (SELECT 1 FROM journal_erasure_permits p WHERE p.usager_id =
                 COALESCE(OLD.subject_usager_id, OLD.actor_user_id))))
)
BEGIN
    SELECT RAISE(ABORT, 'journal is append-only');
END;
