-- The trigger's function as it was, then the column gone.
CREATE OR REPLACE FUNCTION journal_erasure_only() RETURNS trigger AS $$
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
ALTER TABLE journal DROP COLUMN request_id;
