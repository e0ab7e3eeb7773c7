-- Undo reverses only what the undone change did (docs/sync.md). An update's
-- journal entry keeps the row as the change left it (new_row) beside the
-- row as it found it (old_row): undo puts back a column only where the
-- change modified it and the column still holds what the change wrote, so
-- a value a later sync pulled in (another device's edit) stays. Entries
-- journaled before this version have no new image: undo puts back their
-- whole old row, as it did then.
ALTER TABLE undo_log ADD COLUMN new_row TEXT;

-- The update triggers again, with both images (the column lists of the
-- current schema). The insert and delete triggers are unchanged.
DROP TRIGGER IF EXISTS items_journal_update;
DROP TRIGGER IF EXISTS project_courses_journal_update;
DROP TRIGGER IF EXISTS sessions_journal_update;
DROP TRIGGER IF EXISTS rest_days_journal_update;
DROP TRIGGER IF EXISTS pledges_journal_update;
DROP TRIGGER IF EXISTS pledge_rates_journal_update;
DROP TRIGGER IF EXISTS settlements_journal_update;
CREATE TRIGGER items_journal_update AFTER UPDATE ON items BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row, new_row) VALUES ((SELECT max(id) FROM changes), 'items', 'update', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'kind', OLD.kind, 'slug', OLD.slug, 'title', OLD.title, 'status', OLD.status, 'goal_id', OLD.goal_id, 'url', OLD.url, 'description', OLD.description, 'platform', OLD.platform, 'track', OLD.track, 'price_minor', OLD.price_minor, 'currency', OLD.currency, 'units_total', OLD.units_total, 'unit_name', OLD.unit_name, 'weeks', OLD.weeks, 'start_date', OLD.start_date, 'due_date', OLD.due_date, 'intent', OLD.intent, 'credential_url', OLD.credential_url, 'score', OLD.score, 'skills', OLD.skills, 'ended_on', OLD.ended_on, 'end_reason', OLD.end_reason, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at),
        json_object('id', NEW.id, 'uuid', NEW.uuid, 'kind', NEW.kind, 'slug', NEW.slug, 'title', NEW.title, 'status', NEW.status, 'goal_id', NEW.goal_id, 'url', NEW.url, 'description', NEW.description, 'platform', NEW.platform, 'track', NEW.track, 'price_minor', NEW.price_minor, 'currency', NEW.currency, 'units_total', NEW.units_total, 'unit_name', NEW.unit_name, 'weeks', NEW.weeks, 'start_date', NEW.start_date, 'due_date', NEW.due_date, 'intent', NEW.intent, 'credential_url', NEW.credential_url, 'score', NEW.score, 'skills', NEW.skills, 'ended_on', NEW.ended_on, 'end_reason', NEW.end_reason, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;
CREATE TRIGGER project_courses_journal_update AFTER UPDATE ON project_courses BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row, new_row) VALUES ((SELECT max(id) FROM changes), 'project_courses', 'update', OLD.id,
        json_object('id', OLD.id, 'project_id', OLD.project_id, 'course_id', OLD.course_id),
        json_object('id', NEW.id, 'project_id', NEW.project_id, 'course_id', NEW.course_id));
END;
CREATE TRIGGER sessions_journal_update AFTER UPDATE ON sessions BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row, new_row) VALUES ((SELECT max(id) FROM changes), 'sessions', 'update', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'item_id', OLD.item_id, 'study_day', OLD.study_day, 'started_at', OLD.started_at, 'utc_offset', OLD.utc_offset, 'minutes', OLD.minutes, 'units', OLD.units, 'note', OLD.note, 'level', OLD.level, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at, 'amended_at', OLD.amended_at, 'prior_study_day', OLD.prior_study_day, 'prior_item_id', OLD.prior_item_id, 'prior_minutes', OLD.prior_minutes, 'prior_units', OLD.prior_units, 'progress_to', OLD.progress_to),
        json_object('id', NEW.id, 'uuid', NEW.uuid, 'item_id', NEW.item_id, 'study_day', NEW.study_day, 'started_at', NEW.started_at, 'utc_offset', NEW.utc_offset, 'minutes', NEW.minutes, 'units', NEW.units, 'note', NEW.note, 'level', NEW.level, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at, 'amended_at', NEW.amended_at, 'prior_study_day', NEW.prior_study_day, 'prior_item_id', NEW.prior_item_id, 'prior_minutes', NEW.prior_minutes, 'prior_units', NEW.prior_units, 'progress_to', NEW.progress_to));
END;
CREATE TRIGGER rest_days_journal_update AFTER UPDATE ON rest_days BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row, new_row) VALUES ((SELECT max(id) FROM changes), 'rest_days', 'update', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'day', OLD.day, 'reason', OLD.reason, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at, 'utc_offset', OLD.utc_offset),
        json_object('id', NEW.id, 'uuid', NEW.uuid, 'day', NEW.day, 'reason', NEW.reason, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at, 'utc_offset', NEW.utc_offset));
END;
-- Storing the terms of an old pledge is still not journaled (see 0004).
CREATE TRIGGER pledges_journal_update AFTER UPDATE OF id, uuid, item_id, stake, stake_minor, currency, referee, from_date, until_date, created_at, updated_at, completed_on, completion_kept ON pledges BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row, new_row) VALUES ((SELECT max(id) FROM changes), 'pledges', 'update', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'item_id', OLD.item_id, 'stake', OLD.stake, 'stake_minor', OLD.stake_minor, 'currency', OLD.currency, 'referee', OLD.referee, 'from_date', OLD.from_date, 'until_date', OLD.until_date, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at, 'terms', OLD.terms, 'completed_on', OLD.completed_on, 'completion_kept', OLD.completion_kept),
        json_object('id', NEW.id, 'uuid', NEW.uuid, 'item_id', NEW.item_id, 'stake', NEW.stake, 'stake_minor', NEW.stake_minor, 'currency', NEW.currency, 'referee', NEW.referee, 'from_date', NEW.from_date, 'until_date', NEW.until_date, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at, 'terms', NEW.terms, 'completed_on', NEW.completed_on, 'completion_kept', NEW.completion_kept));
END;
CREATE TRIGGER pledge_rates_journal_update AFTER UPDATE ON pledge_rates BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row, new_row) VALUES ((SELECT max(id) FROM changes), 'pledge_rates', 'update', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'pledge_id', OLD.pledge_id, 'rate', OLD.rate, 'effective_from', OLD.effective_from, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at),
        json_object('id', NEW.id, 'uuid', NEW.uuid, 'pledge_id', NEW.pledge_id, 'rate', NEW.rate, 'effective_from', NEW.effective_from, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;
CREATE TRIGGER settlements_journal_update AFTER UPDATE ON settlements BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row, new_row) VALUES ((SELECT max(id) FROM changes), 'settlements', 'update', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'pledge_id', OLD.pledge_id, 'period_start', OLD.period_start, 'settled_on', OLD.settled_on, 'note', OLD.note, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at),
        json_object('id', NEW.id, 'uuid', NEW.uuid, 'pledge_id', NEW.pledge_id, 'period_start', NEW.period_start, 'settled_on', NEW.settled_on, 'note', NEW.note, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;
