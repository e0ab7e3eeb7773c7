-- learnlog server schema, version 3: late marks on published weeks.
--
-- A week's judged part (totals and pledge verdicts, `data->'judged'`) that
-- is first published, or changed, after the week closed (its last day plus
-- one day of grace, by the SERVER's date) is marked late, for the board to
-- show. Weeks that closed before the member joined the cohort are history,
-- not late. The client cannot set or clear the mark (no grant on the column).
-- A week that has not begun by the server's date cannot be published: a
-- clock set ahead publishes nothing of the future.

ALTER TABLE learnlog.published ADD COLUMN late boolean NOT NULL DEFAULT false;

CREATE FUNCTION learnlog.mark_late() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    joined timestamptz;
BEGIN
    IF NEW.week_start > learnlog.server_date() + 1 THEN
        RAISE EXCEPTION 'week % has not begun by the server''s date', NEW.week_start USING ERRCODE = '22023';
    END IF;
    IF TG_OP = 'UPDATE' THEN
        NEW.late := OLD.late;
        IF (NEW.data -> 'judged') IS NOT DISTINCT FROM (OLD.data -> 'judged') THEN
            RETURN NEW;
        END IF;
    ELSE
        NEW.late := false;
    END IF;
    IF learnlog.server_date() > NEW.week_start + 7 THEN
        SELECT m.joined_at INTO joined FROM learnlog.cohort_members m
         WHERE m.cohort = NEW.cohort AND m.member = NEW.member;
        IF joined IS NOT NULL AND (joined AT TIME ZONE 'UTC')::date <= NEW.week_start + 7 THEN
            NEW.late := true;
        END IF;
    END IF;
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION learnlog.mark_late() FROM PUBLIC;
CREATE TRIGGER published_late BEFORE INSERT OR UPDATE ON learnlog.published
    FOR EACH ROW EXECUTE FUNCTION learnlog.mark_late();

-- Reading a cohort's board checks membership once per query, not once per
-- row: the read policies compare with the member's cohorts, computed in an
-- init-plan (a scalar subquery). Same rule as learnlog.in_cohort.
CREATE FUNCTION learnlog.my_cohorts() RETURNS uuid[]
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(array_agg(m.cohort), '{}') FROM learnlog.cohort_members m WHERE m.member = session_user
$$;
REVOKE ALL ON FUNCTION learnlog.my_cohorts() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION learnlog.my_cohorts() TO learnlog_member;

ALTER POLICY cohort_members_read ON learnlog.cohort_members USING (cohort = ANY ((SELECT learnlog.my_cohorts())::uuid[]));
ALTER POLICY published_read ON learnlog.published USING (cohort = ANY ((SELECT learnlog.my_cohorts())::uuid[]));
ALTER POLICY pledges_read ON learnlog.pledges USING (cohort = ANY ((SELECT learnlog.my_cohorts())::uuid[]));
ALTER POLICY settlements_read ON learnlog.settlements USING (cohort = ANY ((SELECT learnlog.my_cohorts())::uuid[]));
ALTER POLICY confirmations_read ON learnlog.confirmations USING (cohort = ANY ((SELECT learnlog.my_cohorts())::uuid[]));
ALTER POLICY review_requests_read ON learnlog.review_requests USING (cohort = ANY ((SELECT learnlog.my_cohorts())::uuid[]));
ALTER POLICY reviews_read ON learnlog.reviews USING (cohort = ANY ((SELECT learnlog.my_cohorts())::uuid[]));
