ALTER TABLE document_versions DROP COLUMN signed_recipients;
ALTER TABLE document_versions DROP COLUMN signer_id;
ALTER TABLE document_versions DROP COLUMN signature;
DROP TABLE signing_keys;
