-- Schema 6: new cards take the next position, `max(position)`; without an index that scans
-- every card, once per added note, which made a 20,000-note import quadratic.
CREATE INDEX card_by_position ON card(position);
