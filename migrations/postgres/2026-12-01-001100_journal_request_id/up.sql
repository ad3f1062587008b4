-- Each entry carries the id of the HTTP request that wrote it (the `x-request-id` the person or
-- the operator sees, and the id every log line of that request has), so that a log line and a
-- journal entry can be matched. NULL for entries written outside a request (the sweep, the
-- command line) and for every entry written before this column existed. An entry that has one
-- hashes it (storage/src/journal/mod.rs), so the trigger keeps it unchanged like the rest.
ALTER TABLE journal ADD COLUMN request_id TEXT;

CREATE OR REPLACE FUNCTION journal_erasure_only() RETURNS trigger AS $$
BEGIN
    IF OLD.commitments IS NOT NULL
        AND (NEW.seq, NEW.at, NEW.actor_organisation_id, NEW.actor_role, NEW.action,
             NEW.subject_document_id, NEW.subject_mandate_id, NEW.subject_share_id, NEW.outcome,
             NEW.details, NEW.prev_hash, NEW.hash, NEW.commitments, NEW.request_id)
            IS NOT DISTINCT FROM
            (OLD.seq, OLD.at, OLD.actor_organisation_id, OLD.actor_role, OLD.action,
             OLD.subject_document_id, OLD.subject_mandate_id, OLD.subject_share_id, OLD.outcome,
             OLD.details, OLD.prev_hash, OLD.hash, OLD.commitments, OLD.request_id)
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
