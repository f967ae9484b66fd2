-- The role Xã Số connects as on PostgreSQL in production (see SECURITY.md).
-- Run as the owner of the tables (the role that runs `xaso migrate`), after every migration:
--   psql "$OWNER_URL" -v app_role=xaso_app -f scripts/postgres-app-role.sql
-- then start the server with DATABASE_URL naming app_role. The role reads and writes the data and
-- appends to the audit log; it cannot update, delete or truncate audit entries, and it cannot
-- ALTER the table or disable its triggers (that needs ownership, which stays with the owner).
-- It must not be a superuser (superusers bypass all of this; session_replication_role too).
grant usage on schema public to :"app_role";
grant select, insert, update, delete on all tables in schema public to :"app_role";
grant usage, select, update on all sequences in schema public to :"app_role";
revoke update, delete, truncate, references, trigger on audit_log from :"app_role";
revoke insert, update, delete, truncate on schema_migrations from :"app_role";
