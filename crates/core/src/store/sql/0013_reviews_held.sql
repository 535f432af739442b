-- Schema 13: the days the apprentice's progress reviews were held, as the centre last sent
-- them, so the phone shows the next due date or that one is overdue offline (issue 16).
CREATE TABLE review_held (
    held_on TEXT PRIMARY KEY    -- YYYY-MM-DD
) STRICT;
