-- Database roles for a production PostgreSQL, so that the running application cannot erase its
-- own traces. Run once, as a superuser, connected to Consigne's database:
--
--     psql -d consigne -v ON_ERROR_STOP=1 -f deploy/postgres/roles.sql
--
-- consigne_owner owns the schema and every table: it is the role of `consigne migrate` (run it
-- at each upgrade, with `database.url` naming this role). consigne_app is the role of
-- `consigne serve` (with `database.migrate_on_start = false`): it reads and writes rows, and
-- can neither drop nor alter a table, disable or drop a trigger, truncate, nor switch triggers
-- off (`session_replication_role` needs a superuser). The journal's append-only triggers
-- therefore hold against the application itself. Set the passwords (or certificate logins)
-- separately; none is written here.

CREATE ROLE consigne_owner LOGIN;
CREATE ROLE consigne_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;

-- The schema belongs to the owner; nobody else may create objects in it.
ALTER SCHEMA public OWNER TO consigne_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO consigne_app;

-- Tables the owner creates later (every migration) are readable and writable by the
-- application, and nothing more (no TRUNCATE, REFERENCES or TRIGGER).
ALTER DEFAULT PRIVILEGES FOR ROLE consigne_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO consigne_app;
ALTER DEFAULT PRIVILEGES FOR ROLE consigne_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO consigne_app;
