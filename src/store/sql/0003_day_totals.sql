-- Minutes, units and study sessions per study day and item, kept by
-- triggers in the same transaction as the sessions themselves, so reports
-- read a few thousand rows instead of scanning every session. Application
-- code never writes it; it is an index in table form, rebuilt here from
-- the sessions. item_key is the item's id, or 0 for general study (a
-- primary key cannot hold NULLs that compare equal).

CREATE TABLE day_totals (
    study_day TEXT NOT NULL,
    item_key  INTEGER NOT NULL,
    minutes   INTEGER NOT NULL,
    units     INTEGER NOT NULL,
    sessions  INTEGER NOT NULL,
    PRIMARY KEY (study_day, item_key)
) WITHOUT ROWID;

INSERT INTO day_totals (study_day, item_key, minutes, units, sessions)
    SELECT study_day, coalesce(item_id, 0), sum(minutes), sum(units), sum(minutes > 0)
    FROM sessions GROUP BY study_day, coalesce(item_id, 0);

CREATE TRIGGER sessions_totals_insert AFTER INSERT ON sessions BEGIN
    INSERT INTO day_totals (study_day, item_key, minutes, units, sessions)
        VALUES (NEW.study_day, coalesce(NEW.item_id, 0), NEW.minutes, NEW.units, NEW.minutes > 0)
        ON CONFLICT (study_day, item_key) DO UPDATE SET
            minutes = minutes + excluded.minutes,
            units = units + excluded.units,
            sessions = sessions + excluded.sessions;
END;

CREATE TRIGGER sessions_totals_delete AFTER DELETE ON sessions BEGIN
    UPDATE day_totals SET
        minutes = minutes - OLD.minutes,
        units = units - OLD.units,
        sessions = sessions - (OLD.minutes > 0)
    WHERE study_day = OLD.study_day AND item_key = coalesce(OLD.item_id, 0);
    DELETE FROM day_totals
    WHERE study_day = OLD.study_day AND item_key = coalesce(OLD.item_id, 0)
      AND minutes = 0 AND units = 0 AND sessions = 0;
END;

CREATE TRIGGER sessions_totals_update AFTER UPDATE OF study_day, item_id, minutes, units ON sessions BEGIN
    UPDATE day_totals SET
        minutes = minutes - OLD.minutes,
        units = units - OLD.units,
        sessions = sessions - (OLD.minutes > 0)
    WHERE study_day = OLD.study_day AND item_key = coalesce(OLD.item_id, 0);
    DELETE FROM day_totals
    WHERE study_day = OLD.study_day AND item_key = coalesce(OLD.item_id, 0)
      AND minutes = 0 AND units = 0 AND sessions = 0;
    INSERT INTO day_totals (study_day, item_key, minutes, units, sessions)
        VALUES (NEW.study_day, coalesce(NEW.item_id, 0), NEW.minutes, NEW.units, NEW.minutes > 0)
        ON CONFLICT (study_day, item_key) DO UPDATE SET
            minutes = minutes + excluded.minutes,
            units = units + excluded.units,
            sessions = sessions + excluded.sessions;
END;
