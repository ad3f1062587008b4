-- The organisation an author acted for when they signed a version (an aidant under a mandate),
-- so that the usager's client can say "ajouté par Sophie Leroy, CCAS d'Alpha". NULL for the
-- usager's own versions and those stored before this migration.
ALTER TABLE document_versions ADD COLUMN signer_organisation_id TEXT;
