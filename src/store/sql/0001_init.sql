-- learnlog schema, version 1. Facts only: units done, streaks, odds and
-- verdicts are derived from these rows, never stored.

CREATE TABLE items (
    id             INTEGER PRIMARY KEY,
    uuid           TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL CHECK (kind IN ('goal', 'course', 'project')),
    slug           TEXT NOT NULL UNIQUE,
    title          TEXT NOT NULL CHECK (title <> ''),
    status         TEXT NOT NULL,
    goal_id        INTEGER REFERENCES items(id) ON DELETE SET NULL,
    url            TEXT,
    description    TEXT,
    platform       TEXT,
    track          TEXT CHECK (track IN ('audit', 'verified')),
    price_minor    INTEGER,
    currency       TEXT,
    units_total    INTEGER,
    unit_name      TEXT,
    weeks          INTEGER,
    start_date     TEXT,
    due_date       TEXT,
    intent         TEXT CHECK (intent IN ('complete', 'explore')),
    credential_url TEXT,
    score          REAL,
    skills         TEXT NOT NULL DEFAULT '[]',
    ended_on       TEXT,
    end_reason     TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX items_kind_status ON items(kind, status);

CREATE TABLE project_courses (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    course_id  INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    UNIQUE (project_id, course_id)
);

CREATE TABLE sessions (
    id         INTEGER PRIMARY KEY,
    uuid       TEXT NOT NULL UNIQUE,
    item_id    INTEGER REFERENCES items(id) ON DELETE CASCADE,
    study_day  TEXT NOT NULL,
    started_at TEXT,
    utc_offset INTEGER NOT NULL,
    minutes    INTEGER NOT NULL CHECK (minutes >= 0),
    units      INTEGER NOT NULL DEFAULT 0,
    note       TEXT,
    level      TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- Covering indexes: every report aggregates by day (and item) from these
-- alone, without touching the table rows.
CREATE INDEX sessions_day ON sessions(study_day, item_id, minutes, units, level);
CREATE INDEX sessions_item_day ON sessions(item_id, study_day, minutes, units);

CREATE TABLE rest_days (
    id         INTEGER PRIMARY KEY,
    uuid       TEXT NOT NULL UNIQUE,
    day        TEXT NOT NULL UNIQUE,
    reason     TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE pledges (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    item_id      INTEGER REFERENCES items(id) ON DELETE CASCADE, -- NULL: all study
    stake        TEXT,
    stake_minor  INTEGER,
    currency     TEXT,
    referee      TEXT,
    from_date    TEXT NOT NULL,
    until_date   TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

-- A pledge's rate over time: each row takes effect on `effective_from`;
-- rate NULL ends the pledge. Easier changes wait for the akrasia horizon.
CREATE TABLE pledge_rates (
    id             INTEGER PRIMARY KEY,
    uuid           TEXT NOT NULL UNIQUE,
    pledge_id      INTEGER NOT NULL REFERENCES pledges(id) ON DELETE CASCADE,
    rate           TEXT,
    effective_from TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX pledge_rates_pledge ON pledge_rates(pledge_id, effective_from);

-- A debt (a missed period of a staked pledge) that was paid.
CREATE TABLE settlements (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    pledge_id    INTEGER NOT NULL REFERENCES pledges(id) ON DELETE CASCADE,
    period_start TEXT NOT NULL,
    settled_on   TEXT NOT NULL,
    note         TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (pledge_id, period_start)
);

-- The journal `undo` reads: one row per change, and the row images it
-- touched, written by the triggers below.
CREATE TABLE changes (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    summary TEXT NOT NULL
);
CREATE TABLE undo_log (
    seq       INTEGER PRIMARY KEY,
    change_id INTEGER NOT NULL,
    tbl       TEXT NOT NULL,
    op        TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    row_id    INTEGER NOT NULL,
    old_row   TEXT
);
CREATE INDEX undo_log_change ON undo_log(change_id);

-- Journal triggers (generated from the column lists above).
CREATE TRIGGER items_journal_insert AFTER INSERT ON items BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id) VALUES ((SELECT max(id) FROM changes), 'items', 'insert', NEW.id);
END;
CREATE TRIGGER items_journal_update AFTER UPDATE ON items BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row) VALUES ((SELECT max(id) FROM changes), 'items', 'update', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'kind', OLD.kind, 'slug', OLD.slug, 'title', OLD.title, 'status', OLD.status, 'goal_id', OLD.goal_id, 'url', OLD.url, 'description', OLD.description, 'platform', OLD.platform, 'track', OLD.track, 'price_minor', OLD.price_minor, 'currency', OLD.currency, 'units_total', OLD.units_total, 'unit_name', OLD.unit_name, 'weeks', OLD.weeks, 'start_date', OLD.start_date, 'due_date', OLD.due_date, 'intent', OLD.intent, 'credential_url', OLD.credential_url, 'score', OLD.score, 'skills', OLD.skills, 'ended_on', OLD.ended_on, 'end_reason', OLD.end_reason, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at));
END;
CREATE TRIGGER items_journal_delete AFTER DELETE ON items BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row) VALUES ((SELECT max(id) FROM changes), 'items', 'delete', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'kind', OLD.kind, 'slug', OLD.slug, 'title', OLD.title, 'status', OLD.status, 'goal_id', OLD.goal_id, 'url', OLD.url, 'description', OLD.description, 'platform', OLD.platform, 'track', OLD.track, 'price_minor', OLD.price_minor, 'currency', OLD.currency, 'units_total', OLD.units_total, 'unit_name', OLD.unit_name, 'weeks', OLD.weeks, 'start_date', OLD.start_date, 'due_date', OLD.due_date, 'intent', OLD.intent, 'credential_url', OLD.credential_url, 'score', OLD.score, 'skills', OLD.skills, 'ended_on', OLD.ended_on, 'end_reason', OLD.end_reason, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at));
END;
CREATE TRIGGER project_courses_journal_insert AFTER INSERT ON project_courses BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id) VALUES ((SELECT max(id) FROM changes), 'project_courses', 'insert', NEW.id);
END;
CREATE TRIGGER project_courses_journal_update AFTER UPDATE ON project_courses BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row) VALUES ((SELECT max(id) FROM changes), 'project_courses', 'update', OLD.id,
        json_object('id', OLD.id, 'project_id', OLD.project_id, 'course_id', OLD.course_id));
END;
CREATE TRIGGER project_courses_journal_delete AFTER DELETE ON project_courses BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row) VALUES ((SELECT max(id) FROM changes), 'project_courses', 'delete', OLD.id,
        json_object('id', OLD.id, 'project_id', OLD.project_id, 'course_id', OLD.course_id));
END;
CREATE TRIGGER sessions_journal_insert AFTER INSERT ON sessions BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id) VALUES ((SELECT max(id) FROM changes), 'sessions', 'insert', NEW.id);
END;
CREATE TRIGGER sessions_journal_update AFTER UPDATE ON sessions BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row) VALUES ((SELECT max(id) FROM changes), 'sessions', 'update', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'item_id', OLD.item_id, 'study_day', OLD.study_day, 'started_at', OLD.started_at, 'utc_offset', OLD.utc_offset, 'minutes', OLD.minutes, 'units', OLD.units, 'note', OLD.note, 'level', OLD.level, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at));
END;
CREATE TRIGGER sessions_journal_delete AFTER DELETE ON sessions BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row) VALUES ((SELECT max(id) FROM changes), 'sessions', 'delete', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'item_id', OLD.item_id, 'study_day', OLD.study_day, 'started_at', OLD.started_at, 'utc_offset', OLD.utc_offset, 'minutes', OLD.minutes, 'units', OLD.units, 'note', OLD.note, 'level', OLD.level, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at));
END;
CREATE TRIGGER rest_days_journal_insert AFTER INSERT ON rest_days BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id) VALUES ((SELECT max(id) FROM changes), 'rest_days', 'insert', NEW.id);
END;
CREATE TRIGGER rest_days_journal_update AFTER UPDATE ON rest_days BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row) VALUES ((SELECT max(id) FROM changes), 'rest_days', 'update', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'day', OLD.day, 'reason', OLD.reason, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at));
END;
CREATE TRIGGER rest_days_journal_delete AFTER DELETE ON rest_days BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row) VALUES ((SELECT max(id) FROM changes), 'rest_days', 'delete', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'day', OLD.day, 'reason', OLD.reason, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at));
END;
CREATE TRIGGER pledges_journal_insert AFTER INSERT ON pledges BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id) VALUES ((SELECT max(id) FROM changes), 'pledges', 'insert', NEW.id);
END;
CREATE TRIGGER pledges_journal_update AFTER UPDATE ON pledges BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row) VALUES ((SELECT max(id) FROM changes), 'pledges', 'update', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'item_id', OLD.item_id, 'stake', OLD.stake, 'stake_minor', OLD.stake_minor, 'currency', OLD.currency, 'referee', OLD.referee, 'from_date', OLD.from_date, 'until_date', OLD.until_date, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at));
END;
CREATE TRIGGER pledges_journal_delete AFTER DELETE ON pledges BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row) VALUES ((SELECT max(id) FROM changes), 'pledges', 'delete', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'item_id', OLD.item_id, 'stake', OLD.stake, 'stake_minor', OLD.stake_minor, 'currency', OLD.currency, 'referee', OLD.referee, 'from_date', OLD.from_date, 'until_date', OLD.until_date, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at));
END;
CREATE TRIGGER pledge_rates_journal_insert AFTER INSERT ON pledge_rates BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id) VALUES ((SELECT max(id) FROM changes), 'pledge_rates', 'insert', NEW.id);
END;
CREATE TRIGGER pledge_rates_journal_update AFTER UPDATE ON pledge_rates BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row) VALUES ((SELECT max(id) FROM changes), 'pledge_rates', 'update', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'pledge_id', OLD.pledge_id, 'rate', OLD.rate, 'effective_from', OLD.effective_from, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at));
END;
CREATE TRIGGER pledge_rates_journal_delete AFTER DELETE ON pledge_rates BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row) VALUES ((SELECT max(id) FROM changes), 'pledge_rates', 'delete', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'pledge_id', OLD.pledge_id, 'rate', OLD.rate, 'effective_from', OLD.effective_from, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at));
END;
CREATE TRIGGER settlements_journal_insert AFTER INSERT ON settlements BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id) VALUES ((SELECT max(id) FROM changes), 'settlements', 'insert', NEW.id);
END;
CREATE TRIGGER settlements_journal_update AFTER UPDATE ON settlements BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row) VALUES ((SELECT max(id) FROM changes), 'settlements', 'update', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'pledge_id', OLD.pledge_id, 'period_start', OLD.period_start, 'settled_on', OLD.settled_on, 'note', OLD.note, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at));
END;
CREATE TRIGGER settlements_journal_delete AFTER DELETE ON settlements BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row) VALUES ((SELECT max(id) FROM changes), 'settlements', 'delete', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'pledge_id', OLD.pledge_id, 'period_start', OLD.period_start, 'settled_on', OLD.settled_on, 'note', OLD.note, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at));
END;
