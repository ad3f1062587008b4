DROP TRIGGER journal_no_update ON journal;
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
    FOR EACH ROW EXECUTE FUNCTION journal_is_append_only();
DROP FUNCTION journal_erasure_only();
DROP FUNCTION journal_erasure_permitted(TEXT);
DROP TABLE journal_erasure_permits;
DROP TABLE journal_person_keys;
ALTER TABLE journal DROP COLUMN personal_details;
ALTER TABLE journal DROP COLUMN commitments;
