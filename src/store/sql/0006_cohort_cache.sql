-- Cohorts (docs/sync.md): what this learner chose to share, and the reviews
-- their projects received, kept so that `portfolio` works offline.

-- One row per shared target (a course, project or goal slug, or `all`) per
-- cohort. Nothing is published for a cohort without a row here.
CREATE TABLE cohort_shares (
    cohort TEXT NOT NULL,        -- the server's cohort id (uuid)
    cohort_name TEXT NOT NULL,
    target TEXT NOT NULL,        -- an item's uuid, or `all`
    created_at TEXT NOT NULL,
    PRIMARY KEY (cohort, target)
);

-- Reviews of this learner's projects, as last fetched from the server.
CREATE TABLE review_cache (
    project TEXT NOT NULL,       -- the project's uuid
    cohort TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (project, cohort, reviewer)
);

-- Settlements of shared pledges as published, and the referee who
-- confirmed each (NULL: self-reported), as last fetched.
CREATE TABLE settlement_cache (
    pledge TEXT NOT NULL,        -- the pledge's uuid
    period_start TEXT NOT NULL,
    confirmed_by TEXT,           -- the referee's display name
    PRIMARY KEY (pledge, period_start)
);
