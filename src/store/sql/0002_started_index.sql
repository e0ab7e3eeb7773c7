-- Timed sessions are what the calendar export reads.
CREATE INDEX sessions_started ON sessions(started_at) WHERE started_at IS NOT NULL;
