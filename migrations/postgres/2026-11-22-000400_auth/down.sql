ALTER TABLE sessions DROP COLUMN id_token_enc;
ALTER TABLE sessions DROP COLUMN provider;
DROP TABLE totp_secrets;
DROP TABLE rate_counters;
DROP TABLE login_requests;
