-- Answers per local hour, kept in step with the review log by triggers (in the transaction that
-- writes the log), so the Stats screen reads a year of history as at most ~8,800 rows instead of
-- scanning every answer (711 ms at 1,000,000 answers). Hours, not days: the learner's day starts
-- at a whole hour they can change, and any such day is a run of whole local hours.
CREATE TABLE review_hour (
    hour    INTEGER PRIMARY KEY, -- (time_ms + tz_offset_min * 60000) / 3600000
    answers INTEGER NOT NULL,    -- answers not undone
    reviews INTEGER NOT NULL,    -- of those, to cards in review (the base of true retention)
    passed  INTEGER NOT NULL     -- of those, answered Hard, Good or Easy
) STRICT;

INSERT INTO review_hour (hour, answers, reviews, passed)
SELECT (time_ms + tz_offset_min * 60000) / 3600000, count(*), sum(prior_state = 2),
       sum(prior_state = 2 AND kind > 1)
FROM review_log WHERE kind BETWEEN 1 AND 4 AND undone = 0
GROUP BY 1;

CREATE TRIGGER review_hour_insert AFTER INSERT ON review_log
WHEN new.kind BETWEEN 1 AND 4 AND new.undone = 0
BEGIN
    INSERT INTO review_hour (hour, answers, reviews, passed)
    VALUES ((new.time_ms + new.tz_offset_min * 60000) / 3600000, 1, new.prior_state = 2,
            new.prior_state = 2 AND new.kind > 1)
    ON CONFLICT (hour) DO UPDATE SET answers = answers + 1, reviews = reviews + excluded.reviews,
        passed = passed + excluded.passed;
END;

CREATE TRIGGER review_hour_delete AFTER DELETE ON review_log
WHEN old.kind BETWEEN 1 AND 4 AND old.undone = 0
BEGIN
    UPDATE review_hour SET answers = answers - 1, reviews = reviews - (old.prior_state = 2),
        passed = passed - (old.prior_state = 2 AND old.kind > 1)
    WHERE hour = (old.time_ms + old.tz_offset_min * 60000) / 3600000;
END;

CREATE TRIGGER review_hour_update AFTER UPDATE ON review_log
WHEN (old.kind BETWEEN 1 AND 4 AND old.undone = 0) OR (new.kind BETWEEN 1 AND 4 AND new.undone = 0)
BEGIN
    UPDATE review_hour SET answers = answers - 1, reviews = reviews - (old.prior_state = 2),
        passed = passed - (old.prior_state = 2 AND old.kind > 1)
    WHERE hour = (old.time_ms + old.tz_offset_min * 60000) / 3600000
      AND old.kind BETWEEN 1 AND 4 AND old.undone = 0;
    INSERT INTO review_hour (hour, answers, reviews, passed)
    SELECT (new.time_ms + new.tz_offset_min * 60000) / 3600000, 1, new.prior_state = 2,
           new.prior_state = 2 AND new.kind > 1
    WHERE new.kind BETWEEN 1 AND 4 AND new.undone = 0
    ON CONFLICT (hour) DO UPDATE SET answers = answers + 1, reviews = reviews + excluded.reviews,
        passed = passed + excluded.passed;
END;
