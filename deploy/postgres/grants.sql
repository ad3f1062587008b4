-- Privileges of the application role on the tables, after every `consigne migrate`. Run as
-- consigne_owner (or a superuser); idempotent:
--
--     psql -d consigne -v ON_ERROR_STOP=1 -f deploy/postgres/grants.sql
--
-- Every table: rows only. The journal and its checkpoints: append and read only (their triggers
-- refuse UPDATE, DELETE and TRUNCATE too; this is the second lock).

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO consigne_app;
REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM consigne_app;
REVOKE UPDATE, DELETE ON journal, journal_checkpoints FROM consigne_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO consigne_app;
