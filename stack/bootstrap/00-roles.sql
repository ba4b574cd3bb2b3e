-- Platform bootstrap, part 1: the roles and schemas hosted Supabase has before any migration.
-- Only what migrations written for hosted Supabase rely on; supabase/migrations adds the product.

create role anon nologin noinherit;
create role authenticated nologin noinherit;
create role service_role nologin noinherit bypassrls;

-- PostgREST logs in as this role and switches to the caller's role per request.
create role authenticator login noinherit password 'postgres';
grant anon, authenticated, service_role to authenticator;

-- Names used by hosted Supabase for its own services; migrations sometimes grant to them.
create role supabase_auth_admin nologin noinherit createrole;
create role supabase_storage_admin nologin noinherit createrole;
create role dashboard_user nologin;

create schema extensions;
grant usage on schema extensions to postgres, anon, authenticated, service_role;
create extension pgcrypto with schema extensions;
create extension "uuid-ossp" with schema extensions;

alter database postgres set search_path = "$user", public, extensions;

grant usage on schema public to postgres, anon, authenticated, service_role;
grant all on schema public to postgres, anon, authenticated, service_role;

-- New tables, functions and sequences in public are reachable by the API roles, as on Supabase;
-- row-level security decides which rows they see.
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;

-- PostgREST listens on this channel and reloads its schema cache when migrations change it.
create or replace function extensions.notify_schema_reload() returns event_trigger
language plpgsql as $$
begin
  notify pgrst, 'reload schema';
end;
$$;
create event trigger pgrst_ddl_watch on ddl_command_end execute function extensions.notify_schema_reload();
create event trigger pgrst_drop_watch on sql_drop execute function extensions.notify_schema_reload();

-- PostgREST exposes the schemas listed in config.toml; this one must exist even if empty.
create schema graphql_public;
grant usage on schema graphql_public to anon, authenticated, service_role;
