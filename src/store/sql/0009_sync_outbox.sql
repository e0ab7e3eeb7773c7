-- A local write appends its changes here, not to sync_changes: this table
-- has no index but its rowid, so a check-in with sync set up writes one
-- page more than one without (sync_changes and its three indexes were four
-- or more). A sync moves the rows into sync_changes, in order, before it
-- numbers, merges or counts anything (store::sync::flush_outbox).
--
-- Each stamped transaction first appends its clock (a row with no table);
-- the capture triggers copy the newest row's clock into the changes they
-- append. The clock is then the later of sync_state.hlc (what was flushed
-- or seen from other devices) and the newest row here, so a write no
-- longer rewrites the state row either.
CREATE TABLE sync_outbox (
    id     INTEGER PRIMARY KEY,
    hlc    TEXT NOT NULL,
    tbl    TEXT,
    record TEXT,
    op     TEXT CHECK (op IN ('insert', 'update', 'delete')),
    data   TEXT,
    CHECK ((tbl IS NULL) = (op IS NULL))
);
