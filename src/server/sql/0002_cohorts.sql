-- learnlog server schema, version 2: cohorts (docs/sync.md).
--
-- A member sees a cohort, its members and everything published in it only
-- while a member of it (learnlog.in_cohort); posts only as themselves
-- (session_user); joins only with a valid invite code, kept hashed. The
-- server referees commitments with its own clock: an easier pledge takes
-- effect no sooner than the server's date plus the pledge's horizon, only
-- the referee a pledge names confirms its settlements, and no one reviews
-- their own project. Leaving a cohort deletes what one published in it
-- (foreign keys cascade from the membership).
--
-- Helpers that read a table its own policy guards are SECURITY DEFINER
-- (a policy that queried its own table would recurse), with a pinned
-- search_path, executable by members only.

-- ---- helpers ---------------------------------------------------------------

-- The server's date: UTC, whatever time zone the session sets.
CREATE FUNCTION learnlog.server_date() RETURNS date
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$ SELECT (now() AT TIME ZONE 'UTC')::date $$;

-- ---- cohorts and members -----------------------------------------------------

CREATE TABLE learnlog.cohorts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    owner name NOT NULL DEFAULT session_user,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (owner, name)
);

CREATE TABLE learnlog.cohort_members (
    cohort uuid NOT NULL REFERENCES learnlog.cohorts (id) ON DELETE CASCADE,
    member name NOT NULL,
    display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    joined_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cohort, member),
    UNIQUE (cohort, display_name)
);
CREATE INDEX cohort_members_member ON learnlog.cohort_members (member);

CREATE TABLE learnlog.invites (
    code_hash bytea PRIMARY KEY,
    cohort uuid NOT NULL REFERENCES learnlog.cohorts (id) ON DELETE CASCADE,
    created_by name NOT NULL,
    uses_left int NOT NULL CHECK (uses_left >= 0),
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Is the connected member in cohort c?
CREATE FUNCTION learnlog.in_cohort(c uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT EXISTS (SELECT FROM learnlog.cohort_members m WHERE m.cohort = c AND m.member = session_user)
$$;

-- Does the connected member own cohort c?
CREATE FUNCTION learnlog.owns_cohort(c uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT EXISTS (SELECT FROM learnlog.cohorts k WHERE k.id = c AND k.owner = session_user)
$$;

-- Creates a cohort owned by the connected member, its first member.
CREATE FUNCTION learnlog.create_cohort(p_name text, p_display_name text) RETURNS uuid
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    new_id uuid;
BEGIN
    IF NOT pg_has_role(session_user, 'learnlog_member', 'MEMBER') THEN
        RAISE EXCEPTION 'not a learnlog member' USING ERRCODE = '42501';
    END IF;
    INSERT INTO learnlog.cohorts (name, owner) VALUES (p_name, session_user) RETURNING id INTO new_id;
    INSERT INTO learnlog.cohort_members (cohort, member, display_name)
        VALUES (new_id, session_user, p_display_name);
    RETURN new_id;
END
$$;

-- Stores an invite to cohort p_cohort under the hash of p_code (the client
-- makes the code: at least 128 bits, at least 22 characters).
CREATE FUNCTION learnlog.create_invite(p_cohort uuid, p_code text, p_uses int, p_valid interval)
    RETURNS timestamptz
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    expires timestamptz := now() + p_valid;
BEGIN
    IF NOT learnlog.in_cohort(p_cohort) THEN
        RAISE EXCEPTION 'not a member of this cohort' USING ERRCODE = '42501';
    END IF;
    IF length(p_code) < 22 THEN
        RAISE EXCEPTION 'an invite code has at least 22 characters' USING ERRCODE = '22023';
    END IF;
    IF p_uses NOT BETWEEN 1 AND 1000 OR p_valid < interval '1 minute' OR p_valid > interval '366 days' THEN
        RAISE EXCEPTION 'an invite has 1 to 1000 uses and lasts a minute to a year' USING ERRCODE = '22023';
    END IF;
    INSERT INTO learnlog.invites (code_hash, cohort, created_by, uses_left, expires_at)
        VALUES (sha256(convert_to(p_code, 'UTF8')), p_cohort, session_user, p_uses, expires);
    RETURN expires;
END
$$;

-- Joins the cohort an invite code opens. An unknown, used or expired code
-- gets one and the same answer.
CREATE FUNCTION learnlog.join_cohort(p_code text, p_display_name text) RETURNS uuid
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    target uuid;
BEGIN
    IF NOT pg_has_role(session_user, 'learnlog_member', 'MEMBER') THEN
        RAISE EXCEPTION 'not a learnlog member' USING ERRCODE = '42501';
    END IF;
    SELECT i.cohort INTO target FROM learnlog.invites i
     WHERE i.code_hash = sha256(convert_to(p_code, 'UTF8')) AND i.uses_left > 0 AND i.expires_at > now()
     FOR UPDATE;
    IF target IS NULL THEN
        RAISE EXCEPTION 'the invite code is not valid (unknown, used or expired)' USING ERRCODE = '22023';
    END IF;
    IF EXISTS (SELECT FROM learnlog.cohort_members m WHERE m.cohort = target AND m.member = session_user) THEN
        RETURN target;
    END IF;
    UPDATE learnlog.invites SET uses_left = uses_left - 1 WHERE code_hash = sha256(convert_to(p_code, 'UTF8'));
    INSERT INTO learnlog.cohort_members (cohort, member, display_name)
        VALUES (target, session_user, p_display_name);
    RETURN target;
END
$$;

ALTER TABLE learnlog.cohorts ENABLE ROW LEVEL SECURITY;
ALTER TABLE learnlog.cohorts FORCE ROW LEVEL SECURITY;
CREATE POLICY cohorts_read ON learnlog.cohorts FOR SELECT TO learnlog_member
    USING (learnlog.in_cohort(id));
CREATE POLICY cohorts_owner_delete ON learnlog.cohorts FOR DELETE TO learnlog_member
    USING (owner = session_user);
CREATE POLICY cohorts_admin ON learnlog.cohorts TO PUBLIC
    USING (learnlog.is_admin()) WITH CHECK (learnlog.is_admin());
GRANT SELECT, DELETE ON learnlog.cohorts TO learnlog_member;

ALTER TABLE learnlog.cohort_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE learnlog.cohort_members FORCE ROW LEVEL SECURITY;
CREATE POLICY cohort_members_read ON learnlog.cohort_members FOR SELECT TO learnlog_member
    USING (learnlog.in_cohort(cohort));
-- Leave (one's own row), or remove a member (the cohort's owner).
CREATE POLICY cohort_members_leave ON learnlog.cohort_members FOR DELETE TO learnlog_member
    USING (member = session_user OR learnlog.owns_cohort(cohort));
CREATE POLICY cohort_members_admin ON learnlog.cohort_members TO PUBLIC
    USING (learnlog.is_admin()) WITH CHECK (learnlog.is_admin());
GRANT SELECT, DELETE ON learnlog.cohort_members TO learnlog_member;

-- Invites: through the functions only.
ALTER TABLE learnlog.invites ENABLE ROW LEVEL SECURITY;
ALTER TABLE learnlog.invites FORCE ROW LEVEL SECURITY;
CREATE POLICY invites_admin ON learnlog.invites TO PUBLIC
    USING (learnlog.is_admin()) WITH CHECK (learnlog.is_admin());

-- ---- what members publish ---------------------------------------------------

-- The server's clock says when something was published (late marks).
CREATE FUNCTION learnlog.stamp_published() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    NEW.published_at := now();
    RETURN NEW;
END
$$;

-- One week of a member's shared data (totals, streaks, verdicts, stakes,
-- completions, odds: the client's JSON; never notes, never single sessions).
CREATE TABLE learnlog.published (
    cohort uuid NOT NULL,
    member name NOT NULL DEFAULT session_user,
    week_start date NOT NULL,
    data jsonb NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cohort, member, week_start),
    FOREIGN KEY (cohort, member) REFERENCES learnlog.cohort_members (cohort, member) ON DELETE CASCADE
);
CREATE TRIGGER published_stamp BEFORE INSERT OR UPDATE ON learnlog.published
    FOR EACH ROW EXECUTE FUNCTION learnlog.stamp_published();

-- Pledge versions, append-only. The trigger below referees them.
CREATE TABLE learnlog.pledges (
    cohort uuid NOT NULL,
    member name NOT NULL DEFAULT session_user,
    pledge uuid NOT NULL,
    version int NOT NULL CHECK (version > 0),
    target text NOT NULL,
    unit text NOT NULL CHECK (unit IN ('minutes', 'units', 'days')),
    amount numeric NOT NULL CHECK (amount >= 0),
    period text NOT NULL CHECK (period IN ('day', 'week', 'month')),
    stake text,
    referee name,
    horizon_days int NOT NULL CHECK (horizon_days BETWEEN 0 AND 366),
    effective_from date NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cohort, member, pledge, version),
    FOREIGN KEY (cohort, member) REFERENCES learnlog.cohort_members (cohort, member) ON DELETE CASCADE
);

-- The pledge's rate per day, to compare across periods.
CREATE FUNCTION learnlog.daily_rate(amount numeric, period text) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp
AS $$ SELECT amount / CASE period WHEN 'day' THEN 1 WHEN 'week' THEN 7 ELSE 30 END $$;

-- A new version of a pledge that makes it easier (a lower rate, another
-- unit, a shorter horizon, another referee or none) takes effect no sooner
-- than the server's date plus the horizon in force; no new version takes
-- effect before the server's date. The client's dates are not trusted.
CREATE FUNCTION learnlog.referee_pledge() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    prev learnlog.pledges;
    easier boolean;
BEGIN
    IF NEW.referee IS NOT NULL AND (NEW.referee = NEW.member OR NOT EXISTS (
        SELECT FROM learnlog.cohort_members m WHERE m.cohort = NEW.cohort AND m.member = NEW.referee)) THEN
        RAISE EXCEPTION 'a referee is another member of the cohort' USING ERRCODE = '22023';
    END IF;
    SELECT * INTO prev FROM learnlog.pledges p
     WHERE p.cohort = NEW.cohort AND p.member = NEW.member AND p.pledge = NEW.pledge
     ORDER BY p.version DESC LIMIT 1;
    IF prev.version IS NULL THEN
        IF NEW.version <> 1 THEN
            RAISE EXCEPTION 'a pledge''s first version is 1' USING ERRCODE = '22023';
        END IF;
        NEW.published_at := now();
        RETURN NEW;
    END IF;
    IF NEW.version <> prev.version + 1 THEN
        RAISE EXCEPTION 'pledge version % follows %', NEW.version, prev.version USING ERRCODE = '22023';
    END IF;
    easier := NEW.unit <> prev.unit
        OR learnlog.daily_rate(NEW.amount, NEW.period) < learnlog.daily_rate(prev.amount, prev.period)
        OR NEW.horizon_days < prev.horizon_days
        OR (prev.referee IS NOT NULL AND NEW.referee IS DISTINCT FROM prev.referee);
    IF easier THEN
        NEW.effective_from := greatest(NEW.effective_from, learnlog.server_date() + prev.horizon_days);
    ELSE
        NEW.effective_from := greatest(NEW.effective_from, learnlog.server_date());
    END IF;
    NEW.published_at := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER pledges_referee BEFORE INSERT ON learnlog.pledges
    FOR EACH ROW EXECUTE FUNCTION learnlog.referee_pledge();

-- Is the connected member the referee that pledge p of member m names (in
-- its latest version)?
CREATE FUNCTION learnlog.is_named_referee(c uuid, m name, p uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(
        (SELECT v.referee = session_user AND v.member <> session_user
           FROM learnlog.pledges v
          WHERE v.cohort = c AND v.member = m AND v.pledge = p
          ORDER BY v.version DESC LIMIT 1),
        false)
$$;

-- A stake settled for a missed period, as the member reports it.
CREATE TABLE learnlog.settlements (
    cohort uuid NOT NULL,
    member name NOT NULL DEFAULT session_user,
    pledge uuid NOT NULL,
    period_start date NOT NULL,
    stake text NOT NULL,
    settled_on date NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cohort, member, pledge, period_start),
    FOREIGN KEY (cohort, member) REFERENCES learnlog.cohort_members (cohort, member) ON DELETE CASCADE
);
CREATE TRIGGER settlements_stamp BEFORE INSERT OR UPDATE ON learnlog.settlements
    FOR EACH ROW EXECUTE FUNCTION learnlog.stamp_published();

-- A settlement confirmed by the pledge's named referee.
CREATE TABLE learnlog.confirmations (
    cohort uuid NOT NULL,
    member name NOT NULL,
    pledge uuid NOT NULL,
    period_start date NOT NULL,
    referee name NOT NULL DEFAULT session_user,
    note text CHECK (length(note) <= 1000),
    published_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cohort, member, pledge, period_start),
    FOREIGN KEY (cohort, member, pledge, period_start)
        REFERENCES learnlog.settlements (cohort, member, pledge, period_start) ON DELETE CASCADE,
    FOREIGN KEY (cohort, referee) REFERENCES learnlog.cohort_members (cohort, member) ON DELETE CASCADE,
    CHECK (referee <> member)
);
CREATE TRIGGER confirmations_stamp BEFORE INSERT OR UPDATE ON learnlog.confirmations
    FOR EACH ROW EXECUTE FUNCTION learnlog.stamp_published();

-- Peer review: a project put up for review in a cohort, and the reviews.
CREATE TABLE learnlog.review_requests (
    cohort uuid NOT NULL,
    member name NOT NULL DEFAULT session_user,
    project uuid NOT NULL,
    slug text NOT NULL,
    title text NOT NULL,
    url text,
    description text,
    skills text[] NOT NULL DEFAULT '{}',
    note text,
    published_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cohort, member, project),
    FOREIGN KEY (cohort, member) REFERENCES learnlog.cohort_members (cohort, member) ON DELETE CASCADE
);
CREATE TRIGGER review_requests_stamp BEFORE INSERT OR UPDATE ON learnlog.review_requests
    FOR EACH ROW EXECUTE FUNCTION learnlog.stamp_published();

CREATE TABLE learnlog.reviews (
    cohort uuid NOT NULL,
    member name NOT NULL,
    project uuid NOT NULL,
    reviewer name NOT NULL DEFAULT session_user,
    rating int NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment text NOT NULL CHECK (length(comment) <= 5000),
    published_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cohort, member, project, reviewer),
    FOREIGN KEY (cohort, member, project)
        REFERENCES learnlog.review_requests (cohort, member, project) ON DELETE CASCADE,
    FOREIGN KEY (cohort, reviewer) REFERENCES learnlog.cohort_members (cohort, member) ON DELETE CASCADE,
    CHECK (reviewer <> member)
);
CREATE TRIGGER reviews_stamp BEFORE INSERT OR UPDATE ON learnlog.reviews
    FOR EACH ROW EXECUTE FUNCTION learnlog.stamp_published();

-- Row security of what is published: read within one's cohorts; write
-- one's own rows, in one's own cohorts.
ALTER TABLE learnlog.published ENABLE ROW LEVEL SECURITY;
ALTER TABLE learnlog.published FORCE ROW LEVEL SECURITY;
CREATE POLICY published_read ON learnlog.published FOR SELECT TO learnlog_member
    USING (learnlog.in_cohort(cohort));
CREATE POLICY published_insert ON learnlog.published FOR INSERT TO learnlog_member
    WITH CHECK (member = session_user AND learnlog.in_cohort(cohort));
CREATE POLICY published_update ON learnlog.published FOR UPDATE TO learnlog_member
    USING (member = session_user AND learnlog.in_cohort(cohort))
    WITH CHECK (member = session_user AND learnlog.in_cohort(cohort));
CREATE POLICY published_delete ON learnlog.published FOR DELETE TO learnlog_member
    USING (member = session_user);
CREATE POLICY published_admin ON learnlog.published TO PUBLIC
    USING (learnlog.is_admin()) WITH CHECK (learnlog.is_admin());
GRANT SELECT, DELETE ON learnlog.published TO learnlog_member;
GRANT INSERT (cohort, member, week_start, data), UPDATE (data) ON learnlog.published TO learnlog_member;

ALTER TABLE learnlog.pledges ENABLE ROW LEVEL SECURITY;
ALTER TABLE learnlog.pledges FORCE ROW LEVEL SECURITY;
CREATE POLICY pledges_read ON learnlog.pledges FOR SELECT TO learnlog_member
    USING (learnlog.in_cohort(cohort));
CREATE POLICY pledges_insert ON learnlog.pledges FOR INSERT TO learnlog_member
    WITH CHECK (member = session_user AND learnlog.in_cohort(cohort));
CREATE POLICY pledges_admin ON learnlog.pledges TO PUBLIC
    USING (learnlog.is_admin()) WITH CHECK (learnlog.is_admin());
GRANT SELECT ON learnlog.pledges TO learnlog_member;
GRANT INSERT (cohort, member, pledge, version, target, unit, amount, period, stake, referee, horizon_days,
              effective_from) ON learnlog.pledges TO learnlog_member;

ALTER TABLE learnlog.settlements ENABLE ROW LEVEL SECURITY;
ALTER TABLE learnlog.settlements FORCE ROW LEVEL SECURITY;
CREATE POLICY settlements_read ON learnlog.settlements FOR SELECT TO learnlog_member
    USING (learnlog.in_cohort(cohort));
CREATE POLICY settlements_insert ON learnlog.settlements FOR INSERT TO learnlog_member
    WITH CHECK (member = session_user AND learnlog.in_cohort(cohort));
CREATE POLICY settlements_admin ON learnlog.settlements TO PUBLIC
    USING (learnlog.is_admin()) WITH CHECK (learnlog.is_admin());
GRANT SELECT ON learnlog.settlements TO learnlog_member;
GRANT INSERT (cohort, member, pledge, period_start, stake, settled_on) ON learnlog.settlements TO learnlog_member;

ALTER TABLE learnlog.confirmations ENABLE ROW LEVEL SECURITY;
ALTER TABLE learnlog.confirmations FORCE ROW LEVEL SECURITY;
CREATE POLICY confirmations_read ON learnlog.confirmations FOR SELECT TO learnlog_member
    USING (learnlog.in_cohort(cohort));
CREATE POLICY confirmations_insert ON learnlog.confirmations FOR INSERT TO learnlog_member
    WITH CHECK (referee = session_user AND learnlog.in_cohort(cohort)
                AND learnlog.is_named_referee(cohort, member, pledge));
CREATE POLICY confirmations_admin ON learnlog.confirmations TO PUBLIC
    USING (learnlog.is_admin()) WITH CHECK (learnlog.is_admin());
GRANT SELECT ON learnlog.confirmations TO learnlog_member;
GRANT INSERT (cohort, member, pledge, period_start, referee, note) ON learnlog.confirmations TO learnlog_member;

ALTER TABLE learnlog.review_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE learnlog.review_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY review_requests_read ON learnlog.review_requests FOR SELECT TO learnlog_member
    USING (learnlog.in_cohort(cohort));
CREATE POLICY review_requests_insert ON learnlog.review_requests FOR INSERT TO learnlog_member
    WITH CHECK (member = session_user AND learnlog.in_cohort(cohort));
CREATE POLICY review_requests_update ON learnlog.review_requests FOR UPDATE TO learnlog_member
    USING (member = session_user AND learnlog.in_cohort(cohort))
    WITH CHECK (member = session_user AND learnlog.in_cohort(cohort));
CREATE POLICY review_requests_delete ON learnlog.review_requests FOR DELETE TO learnlog_member
    USING (member = session_user);
CREATE POLICY review_requests_admin ON learnlog.review_requests TO PUBLIC
    USING (learnlog.is_admin()) WITH CHECK (learnlog.is_admin());
GRANT SELECT, DELETE ON learnlog.review_requests TO learnlog_member;
GRANT INSERT (cohort, member, project, slug, title, url, description, skills, note),
      UPDATE (slug, title, url, description, skills, note) ON learnlog.review_requests TO learnlog_member;

ALTER TABLE learnlog.reviews ENABLE ROW LEVEL SECURITY;
ALTER TABLE learnlog.reviews FORCE ROW LEVEL SECURITY;
CREATE POLICY reviews_read ON learnlog.reviews FOR SELECT TO learnlog_member
    USING (learnlog.in_cohort(cohort));
CREATE POLICY reviews_insert ON learnlog.reviews FOR INSERT TO learnlog_member
    WITH CHECK (reviewer = session_user AND member <> session_user AND learnlog.in_cohort(cohort));
-- A later review by the same reviewer replaces theirs.
CREATE POLICY reviews_update ON learnlog.reviews FOR UPDATE TO learnlog_member
    USING (reviewer = session_user AND learnlog.in_cohort(cohort))
    WITH CHECK (reviewer = session_user AND member <> session_user AND learnlog.in_cohort(cohort));
CREATE POLICY reviews_delete ON learnlog.reviews FOR DELETE TO learnlog_member
    USING (reviewer = session_user);
CREATE POLICY reviews_admin ON learnlog.reviews TO PUBLIC
    USING (learnlog.is_admin()) WITH CHECK (learnlog.is_admin());
GRANT SELECT, DELETE ON learnlog.reviews TO learnlog_member;
GRANT INSERT (cohort, member, project, reviewer, rating, comment), UPDATE (rating, comment)
    ON learnlog.reviews TO learnlog_member;

-- Functions: members only (the policies above call the helpers as the member).
REVOKE ALL ON FUNCTION learnlog.in_cohort(uuid), learnlog.owns_cohort(uuid),
    learnlog.create_cohort(text, text), learnlog.create_invite(uuid, text, int, interval),
    learnlog.join_cohort(text, text), learnlog.is_named_referee(uuid, name, uuid),
    learnlog.server_date(), learnlog.daily_rate(numeric, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION learnlog.in_cohort(uuid), learnlog.owns_cohort(uuid),
    learnlog.create_cohort(text, text), learnlog.create_invite(uuid, text, int, interval),
    learnlog.join_cohort(text, text), learnlog.is_named_referee(uuid, name, uuid),
    learnlog.server_date(), learnlog.daily_rate(numeric, text) TO learnlog_member;
