-- Each entry carries the id of the HTTP request that wrote it (the `x-request-id` the person or
-- the operator sees, and the id every log line of that request has), so that a log line and a
-- journal entry can be matched. NULL for entries written outside a request (the sweep, the
-- command line) and for every entry written before this column existed. An entry that has one
-- hashes it (storage/src/journal/mod.rs), so the trigger keeps it unchanged like the rest.
ALTER TABLE journal ADD COLUMN request_id TEXT;

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
    AND NEW.commitments IS OLD.commitments AND NEW.request_id IS OLD.request_id
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
