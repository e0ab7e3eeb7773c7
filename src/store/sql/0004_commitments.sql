-- Commitments hold: what a pledge needs to be judged the same
-- way whenever and wherever it is judged.

-- The settings a pledge was made under (JSON; NULL for pledges made before
-- this version: they are read with the current settings, and the first
-- command that opens the file for writing stores those).
ALTER TABLE pledges ADD COLUMN terms TEXT;
-- `done` on the target: the pledge ends with the period holding this day,
-- and that period is kept when completion_kept is 1.
ALTER TABLE pledges ADD COLUMN completed_on TEXT;
ALTER TABLE pledges ADD COLUMN completion_kept INTEGER;

-- The UTC offset in force when a rest day was declared (seconds east of
-- UTC), so "declared at least the horizon before" reads the same anywhere.
-- Rest days declared before this version count as declared in UTC.
ALTER TABLE rest_days ADD COLUMN utc_offset INTEGER DEFAULT 0;

-- A session's latest edit of its day, target, minutes or units, and where
-- it counted before the first such edit: an edit after a period closed
-- never raises that period.
ALTER TABLE sessions ADD COLUMN amended_at TEXT;
ALTER TABLE sessions ADD COLUMN prior_study_day TEXT;
ALTER TABLE sessions ADD COLUMN prior_item_id INTEGER;
ALTER TABLE sessions ADD COLUMN prior_minutes INTEGER;
ALTER TABLE sessions ADD COLUMN prior_units INTEGER;

-- The few sessions a closed period may count for less than the day totals
-- say: amended ones, and those recorded on a later local date than their
-- study day (a superset of "recorded after the close" for any grace and
-- any day_starts_at). Normal check-ins are not among them, so reports read
-- a handful of rows. (A virtual column, because SQLite matches a partial
-- index's condition to a query's only without function calls in it; it is
-- computed, never stored, and PRAGMA table_info does not list it.)
ALTER TABLE sessions ADD COLUMN recorded_late INTEGER
    GENERATED ALWAYS AS (date(created_at, utc_offset || ' seconds') > study_day) VIRTUAL;
CREATE INDEX sessions_exceptional ON sessions(study_day) WHERE amended_at IS NOT NULL OR recorded_late;

-- The journal triggers again, with the new columns in the row images.
DROP TRIGGER IF EXISTS sessions_journal_update;
DROP TRIGGER IF EXISTS sessions_journal_delete;
DROP TRIGGER IF EXISTS rest_days_journal_update;
DROP TRIGGER IF EXISTS rest_days_journal_delete;
DROP TRIGGER IF EXISTS pledges_journal_update;
DROP TRIGGER IF EXISTS pledges_journal_delete;
CREATE TRIGGER sessions_journal_update AFTER UPDATE ON sessions BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row) VALUES ((SELECT max(id) FROM changes), 'sessions', 'update', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'item_id', OLD.item_id, 'study_day', OLD.study_day, 'started_at', OLD.started_at, 'utc_offset', OLD.utc_offset, 'minutes', OLD.minutes, 'units', OLD.units, 'note', OLD.note, 'level', OLD.level, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at, 'amended_at', OLD.amended_at, 'prior_study_day', OLD.prior_study_day, 'prior_item_id', OLD.prior_item_id, 'prior_minutes', OLD.prior_minutes, 'prior_units', OLD.prior_units));
END;
CREATE TRIGGER sessions_journal_delete AFTER DELETE ON sessions BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row) VALUES ((SELECT max(id) FROM changes), 'sessions', 'delete', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'item_id', OLD.item_id, 'study_day', OLD.study_day, 'started_at', OLD.started_at, 'utc_offset', OLD.utc_offset, 'minutes', OLD.minutes, 'units', OLD.units, 'note', OLD.note, 'level', OLD.level, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at, 'amended_at', OLD.amended_at, 'prior_study_day', OLD.prior_study_day, 'prior_item_id', OLD.prior_item_id, 'prior_minutes', OLD.prior_minutes, 'prior_units', OLD.prior_units));
END;
CREATE TRIGGER rest_days_journal_update AFTER UPDATE ON rest_days BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row) VALUES ((SELECT max(id) FROM changes), 'rest_days', 'update', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'day', OLD.day, 'reason', OLD.reason, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at, 'utc_offset', OLD.utc_offset));
END;
CREATE TRIGGER rest_days_journal_delete AFTER DELETE ON rest_days BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row) VALUES ((SELECT max(id) FROM changes), 'rest_days', 'delete', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'day', OLD.day, 'reason', OLD.reason, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at, 'utc_offset', OLD.utc_offset));
END;
-- Storing the terms of an old pledge is not a change of the user's: it is
-- not journaled (the image still carries the terms, so undo keeps them).
CREATE TRIGGER pledges_journal_update AFTER UPDATE OF id, uuid, item_id, stake, stake_minor, currency, referee, from_date, until_date, created_at, updated_at, completed_on, completion_kept ON pledges BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row) VALUES ((SELECT max(id) FROM changes), 'pledges', 'update', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'item_id', OLD.item_id, 'stake', OLD.stake, 'stake_minor', OLD.stake_minor, 'currency', OLD.currency, 'referee', OLD.referee, 'from_date', OLD.from_date, 'until_date', OLD.until_date, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at, 'terms', OLD.terms, 'completed_on', OLD.completed_on, 'completion_kept', OLD.completion_kept));
END;
CREATE TRIGGER pledges_journal_delete AFTER DELETE ON pledges BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row) VALUES ((SELECT max(id) FROM changes), 'pledges', 'delete', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'item_id', OLD.item_id, 'stake', OLD.stake, 'stake_minor', OLD.stake_minor, 'currency', OLD.currency, 'referee', OLD.referee, 'from_date', OLD.from_date, 'until_date', OLD.until_date, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at, 'terms', OLD.terms, 'completed_on', OLD.completed_on, 'completion_kept', OLD.completion_kept));
END;
