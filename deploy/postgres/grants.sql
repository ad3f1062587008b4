-- Privileges of the application role on the tables, after every `consigne migrate`. Run as
-- consigne_owner (or a superuser); idempotent:
--
--     psql -d consigne -v ON_ERROR_STOP=1 -f deploy/postgres/grants.sql
--
-- Every table: rows only. The journal and its checkpoints: append and read only (their triggers
-- refuse UPDATE, DELETE and TRUNCATE too; this is the second lock), but for the erasure below.

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO consigne_app;
REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM consigne_app;
REVOKE UPDATE, DELETE ON journal, journal_checkpoints FROM consigne_app;
-- But one change: the erasure of a closed vault's usager (`consigne vault erase`) sets their
-- personal columns to NULL. The journal's trigger lets that through only within the erasure
-- (its permit, written and deleted in the same transaction) and for those columns only.
GRANT UPDATE (actor_user_id, subject_usager_id, personal_details) ON journal TO consigne_app;
-- Entries waiting to be chained are inserted, read and deleted (once sealed), never updated.
REVOKE UPDATE ON journal_pending FROM consigne_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO consigne_app;
