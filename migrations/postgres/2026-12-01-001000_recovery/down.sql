DROP TABLE recovery_requests;
DROP TABLE organisation_recovery_keys;
