DROP INDEX document_slots_mandate;
ALTER TABLE document_slots DROP COLUMN mandate_id;
DROP TABLE mandate_aidants;
DROP TABLE mandates;
