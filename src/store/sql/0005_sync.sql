-- Sync (docs/sync.md). One row of state once `sync setup` has run: this
-- device's id, the learner on the server, the hybrid logical clock, how far
-- this device has pushed. `capture` switches the capture triggers (generated
-- from the schema by store::sync, not written here: other migrations add
-- columns) on for local writes and off while pulled changes are applied.
CREATE TABLE sync_state (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    capture      INTEGER NOT NULL DEFAULT 1,
    device       TEXT NOT NULL,
    owner        TEXT NOT NULL,
    hlc          TEXT NOT NULL,
    pushed_seq   INTEGER NOT NULL DEFAULT 0,
    last_sync    TEXT,
    skew_seconds INTEGER
);

-- Every change this database knows: made here (device NULL; seq NULL until
-- it is put in a batch) or pulled from another device. Records are folded
-- from these by the merge rules; `parent` is the record a change's row
-- hangs from (deleted with it), to bring children back with a parent.
CREATE TABLE sync_changes (
    id     INTEGER PRIMARY KEY,
    hlc    TEXT NOT NULL,
    idx    INTEGER,
    tbl    TEXT NOT NULL,
    record TEXT NOT NULL,
    op     TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    data   TEXT,
    device TEXT,
    seq    INTEGER,
    parent TEXT GENERATED ALWAYS AS (coalesce(data ->> '$.item_id', data ->> '$.pledge_id', data ->> '$.project_id')) VIRTUAL
);
CREATE INDEX sync_changes_record ON sync_changes(record);
CREATE INDEX sync_changes_parent ON sync_changes(parent) WHERE parent IS NOT NULL;
CREATE INDEX sync_changes_local ON sync_changes(seq, id) WHERE device IS NULL;
-- A change pulled twice is kept once.
CREATE UNIQUE INDEX sync_changes_remote ON sync_changes(hlc, idx) WHERE device IS NOT NULL;

-- The batches this device pushed: the nonce and send time, so a batch
-- sealed again is byte for byte the row the server holds (a retried push
-- is then recognised as the same, not as a conflict).
CREATE TABLE sync_batches (
    seq        INTEGER PRIMARY KEY,
    nonce      BLOB NOT NULL,
    sent_at_ms INTEGER NOT NULL
);

-- How far each other device's log has been pulled, and when it last pushed.
CREATE TABLE sync_cursors (
    device    TEXT PRIMARY KEY,
    seq       INTEGER NOT NULL,
    last_push TEXT
);

-- Progress is absolute (two devices that each set 6 units done end at 6,
-- not 12): a progress mark holds the units done it sets, not a difference.
-- Units done in a course fold its sessions in order (study day, created,
-- uuid): a check-in adds its units, a mark sets the total. Marks made
-- before held the difference: the running sum up to each is its value.
-- The undo journal's row images gain the new column; the conversion
-- below is the migration's own, not a change `undo` should reverse.
DROP TRIGGER IF EXISTS sessions_journal_update;
DROP TRIGGER IF EXISTS sessions_journal_delete;
ALTER TABLE sessions ADD COLUMN progress_to INTEGER;
UPDATE sessions AS m SET progress_to = (
    SELECT sum(s.units) FROM sessions s
    WHERE s.item_id = m.item_id AND (s.study_day, s.created_at, s.uuid) <= (m.study_day, m.created_at, m.uuid)
) WHERE m.minutes = 0 AND m.note = 'progress' AND m.item_id IS NOT NULL;
UPDATE sessions SET units = 0 WHERE progress_to IS NOT NULL;
CREATE TRIGGER sessions_journal_update AFTER UPDATE ON sessions BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row) VALUES ((SELECT max(id) FROM changes), 'sessions', 'update', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'item_id', OLD.item_id, 'study_day', OLD.study_day, 'started_at', OLD.started_at, 'utc_offset', OLD.utc_offset, 'minutes', OLD.minutes, 'units', OLD.units, 'note', OLD.note, 'level', OLD.level, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at, 'amended_at', OLD.amended_at, 'prior_study_day', OLD.prior_study_day, 'prior_item_id', OLD.prior_item_id, 'prior_minutes', OLD.prior_minutes, 'prior_units', OLD.prior_units, 'progress_to', OLD.progress_to));
END;
CREATE TRIGGER sessions_journal_delete AFTER DELETE ON sessions BEGIN
    INSERT INTO undo_log (change_id, tbl, op, row_id, old_row) VALUES ((SELECT max(id) FROM changes), 'sessions', 'delete', OLD.id,
        json_object('id', OLD.id, 'uuid', OLD.uuid, 'item_id', OLD.item_id, 'study_day', OLD.study_day, 'started_at', OLD.started_at, 'utc_offset', OLD.utc_offset, 'minutes', OLD.minutes, 'units', OLD.units, 'note', OLD.note, 'level', OLD.level, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at, 'amended_at', OLD.amended_at, 'prior_study_day', OLD.prior_study_day, 'prior_item_id', OLD.prior_item_id, 'prior_minutes', OLD.prior_minutes, 'prior_units', OLD.prior_units, 'progress_to', OLD.progress_to));
END;
CREATE INDEX sessions_marks ON sessions(item_id, study_day, created_at, uuid) WHERE progress_to IS NOT NULL;
-- Session numbers are ranks in this order, the same on every device.
CREATE INDEX sessions_order ON sessions(study_day, coalesce(started_at, ''), uuid);
-- Zero-minute sessions (progress marks) are few; day_totals counts the others.
CREATE INDEX sessions_zero ON sessions(study_day) WHERE minutes = 0;
