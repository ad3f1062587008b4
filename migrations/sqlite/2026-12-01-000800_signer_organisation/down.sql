ALTER TABLE document_versions DROP COLUMN signer_organisation_id;
