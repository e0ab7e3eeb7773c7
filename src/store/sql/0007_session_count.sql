-- How many sessions there are, kept by triggers in the transaction of every
-- insert and delete. A session's number is then counted back from the end
-- of the history: a check-in, the newest session, has nothing after it to
-- count, so its number costs a few index reads at any history's size.
CREATE TABLE session_count (n INTEGER NOT NULL);
INSERT INTO session_count (n) SELECT count(*) FROM sessions;

CREATE TRIGGER sessions_count_insert AFTER INSERT ON sessions BEGIN
    UPDATE session_count SET n = n + 1;
END;

CREATE TRIGGER sessions_count_delete AFTER DELETE ON sessions BEGIN
    UPDATE session_count SET n = n - 1;
END;
