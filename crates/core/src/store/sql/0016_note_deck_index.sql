-- Schema 16: the deck list counts each deck's cards and finds where each deck's new cards lie
-- in the learning order; both read each note's row (its fields and search text, most of the
-- file) only for its id or deck. After a 20,000-note import that made the deck list's count
-- read ~20 MB. Indexes holding both columns answer from the index alone; (deck_id, id) also
-- serves every lookup note_by_deck served.
CREATE INDEX note_deck_of_id ON note(id, deck_id);
CREATE INDEX note_id_by_deck ON note(deck_id, id);
DROP INDEX note_by_deck;
