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

-- The erasure's permit: written by the erasure's transaction (which deletes it before it
-- commits), required by the trigger below. `txid` ties it to that transaction.
CREATE TABLE journal_erasure_permits (
    usager_id TEXT PRIMARY KEY,
    txid BIGINT NOT NULL DEFAULT txid_current()
);

CREATE FUNCTION journal_erasure_permitted(person TEXT) RETURNS boolean AS $$
    SELECT person IS NOT NULL AND EXISTS (
        SELECT 1 FROM journal_erasure_permits p WHERE p.usager_id = person AND p.txid = txid_current()
    );
$$ LANGUAGE sql STABLE;

-- The one UPDATE the journal accepts: within an erasure, on an entry of format 2, the personal
-- fields of the person named by the permit set to NULL; every other column, the commitments and
-- the hashes unchanged. The personal details' owner is the subject, else the actor (the erasure
-- nulls a subject's personal details before the subject itself). Anything else is refused, as before.
CREATE FUNCTION journal_erasure_only() RETURNS trigger AS $$
BEGIN
    IF OLD.commitments IS NOT NULL
        AND (NEW.seq, NEW.at, NEW.actor_organisation_id, NEW.actor_role, NEW.action,
             NEW.subject_document_id, NEW.subject_mandate_id, NEW.subject_share_id, NEW.outcome,
             NEW.details, NEW.prev_hash, NEW.hash, NEW.commitments)
            IS NOT DISTINCT FROM
            (OLD.seq, OLD.at, OLD.actor_organisation_id, OLD.actor_role, OLD.action,
             OLD.subject_document_id, OLD.subject_mandate_id, OLD.subject_share_id, OLD.outcome,
             OLD.details, OLD.prev_hash, OLD.hash, OLD.commitments)
        AND (NEW.actor_user_id IS NOT DISTINCT FROM OLD.actor_user_id
             OR (NEW.actor_user_id IS NULL AND journal_erasure_permitted(OLD.actor_user_id)))
        AND (NEW.subject_usager_id IS NOT DISTINCT FROM OLD.subject_usager_id
             OR (NEW.subject_usager_id IS NULL AND journal_erasure_permitted(OLD.subject_usager_id)))
        AND (NEW.personal_details IS NOT DISTINCT FROM OLD.personal_details
             OR (NEW.personal_details IS NULL AND journal_erasure_permitted(
                 COALESCE(OLD.subject_usager_id, OLD.actor_user_id))))
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'journal is append-only';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER journal_no_update ON journal;
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
    FOR EACH ROW EXECUTE FUNCTION journal_erasure_only();
