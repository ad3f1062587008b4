DROP TRIGGER journal_no_update;
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN
    SELECT RAISE(ABORT, 'journal is append-only');
END;
DROP TABLE journal_erasure_permits;
DROP TABLE journal_person_keys;
ALTER TABLE journal DROP COLUMN personal_details;
ALTER TABLE journal DROP COLUMN commitments;
