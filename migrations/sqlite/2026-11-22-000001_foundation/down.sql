DROP TABLE journal;
DROP TABLE document_slots;
DROP TABLE document_versions;
DROP TABLE documents;
DROP TABLE vaults;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE organisations;
