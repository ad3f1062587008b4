DROP TABLE passkeys;
DROP TABLE login_challenges;
DROP TABLE kit_login_keys;
DROP TABLE identity_proofs;
ALTER TABLE users DROP COLUMN identity_source;
