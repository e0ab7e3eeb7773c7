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
