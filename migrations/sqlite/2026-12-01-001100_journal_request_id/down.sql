-- The trigger as it was, then the column gone.
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
ALTER TABLE journal DROP COLUMN request_id;
