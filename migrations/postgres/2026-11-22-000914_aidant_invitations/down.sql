ALTER TABLE login_requests DROP COLUMN previous_session_hash;
ALTER TABLE login_requests DROP COLUMN invitation_hash;
DROP TABLE aidant_invitations;
