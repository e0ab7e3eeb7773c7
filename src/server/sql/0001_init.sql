-- learnlog server schema, version 1: meta, members, the sync log.
--
-- Applied by `learnlog server init` in one transaction, as the database
-- administrator, after the group role learnlog_member exists. Access is
-- PostgreSQL's to enforce: every table has row-level security enabled and
-- forced, members get only the grants listed here, and a member's rows are
-- those whose owner is the member's login (session_user, which SET ROLE
-- cannot change).

CREATE SCHEMA learnlog;
REVOKE ALL ON SCHEMA learnlog FROM PUBLIC;
GRANT USAGE ON SCHEMA learnlog TO learnlog_member;

-- Whether the current user administers learnlog: owns its schema, or is a
-- member of the role that does (superusers bypass row security anyway).
-- The administrators' policies below go through it, so that the schema's
-- owner keeps working under FORCE ROW LEVEL SECURITY.
CREATE FUNCTION learnlog.is_admin() RETURNS boolean
    LANGUAGE sql STABLE SECURITY INVOKER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(
        (SELECT pg_has_role(current_user, n.nspowner, 'USAGE')
           FROM pg_namespace n WHERE n.nspname = 'learnlog'),
        false)
$$;

-- meta: readable by every member (clients check the schema version).
CREATE TABLE learnlog.meta (
    key text PRIMARY KEY,
    value text NOT NULL
);
ALTER TABLE learnlog.meta ENABLE ROW LEVEL SECURITY;
ALTER TABLE learnlog.meta FORCE ROW LEVEL SECURITY;
CREATE POLICY meta_read ON learnlog.meta FOR SELECT TO learnlog_member USING (true);
CREATE POLICY meta_admin ON learnlog.meta TO PUBLIC
    USING (learnlog.is_admin()) WITH CHECK (learnlog.is_admin());
GRANT SELECT ON learnlog.meta TO learnlog_member;

-- members: who was added, under which display name. Administrators only;
-- a member reads their own display name through learnlog.my_display_name().
CREATE TABLE learnlog.members (
    name name PRIMARY KEY,
    display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    added_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE learnlog.members ENABLE ROW LEVEL SECURITY;
ALTER TABLE learnlog.members FORCE ROW LEVEL SECURITY;
CREATE POLICY members_admin ON learnlog.members TO PUBLIC
    USING (learnlog.is_admin()) WITH CHECK (learnlog.is_admin());

CREATE FUNCTION learnlog.my_display_name() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT m.display_name FROM learnlog.members m WHERE m.name = session_user
$$;
REVOKE ALL ON FUNCTION learnlog.my_display_name() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION learnlog.my_display_name() TO learnlog_member;

-- sync_keys: one key check per learner, written once (a new key is a new
-- learner set-up, done by the administrator).
CREATE TABLE learnlog.sync_keys (
    owner name PRIMARY KEY DEFAULT current_user,
    nonce bytea NOT NULL,
    sealed bytea NOT NULL
);
ALTER TABLE learnlog.sync_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE learnlog.sync_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY sync_keys_own_read ON learnlog.sync_keys FOR SELECT TO learnlog_member
    USING (owner = session_user);
CREATE POLICY sync_keys_own_insert ON learnlog.sync_keys FOR INSERT TO learnlog_member
    WITH CHECK (owner = session_user);
CREATE POLICY sync_keys_admin ON learnlog.sync_keys TO PUBLIC
    USING (learnlog.is_admin()) WITH CHECK (learnlog.is_admin());
GRANT SELECT, INSERT ON learnlog.sync_keys TO learnlog_member;

-- sync_log: each device's sealed changes, append-only. Members may insert
-- the columns they own (pushed_at is the server's clock) and read their
-- own rows; nobody but the administrator updates or deletes.
CREATE TABLE learnlog.sync_log (
    owner name NOT NULL DEFAULT current_user,
    device uuid NOT NULL,
    seq bigint NOT NULL CHECK (seq > 0),
    nonce bytea NOT NULL,
    sealed bytea NOT NULL,
    pushed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (owner, device, seq)
);
ALTER TABLE learnlog.sync_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE learnlog.sync_log FORCE ROW LEVEL SECURITY;
CREATE POLICY sync_log_own_read ON learnlog.sync_log FOR SELECT TO learnlog_member
    USING (owner = session_user);
CREATE POLICY sync_log_own_insert ON learnlog.sync_log FOR INSERT TO learnlog_member
    WITH CHECK (owner = session_user);
CREATE POLICY sync_log_admin ON learnlog.sync_log TO PUBLIC
    USING (learnlog.is_admin()) WITH CHECK (learnlog.is_admin());
GRANT SELECT ON learnlog.sync_log TO learnlog_member;
GRANT INSERT (owner, device, seq, nonce, sealed) ON learnlog.sync_log TO learnlog_member;
