DROP TABLE account_keys;
ALTER TABLE sessions DROP COLUMN organisation_id;
ALTER TABLE aidant_invitations DROP COLUMN invited_by;
ALTER TABLE aidant_invitations DROP COLUMN role;
ALTER TABLE aidant_invitations DROP COLUMN organisation_id;
DROP TABLE memberships;
ALTER TABLE organisations DROP COLUMN kind;
