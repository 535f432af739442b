//! Reading an Anki collection database, old schema (11: note types and decks as JSON in `col`)
//! or new (18: their own tables, configs as protobuf), into plain values.

use super::protobuf;
use rusqlite::{Connection, OpenFlags};
use std::collections::HashMap;
use std::path::Path;

/// A note type: its fields and its card templates (question and answer formats).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Notetype {
    pub name: String,
    pub cloze: bool,
    pub fields: Vec<String>,
    pub templates: Vec<(String, String)>,
}

/// A note as Anki stores it: fields are HTML.
#[derive(Debug, Clone)]
pub(super) struct AnkiNote {
    pub id: i64,
    pub guid: String,
    pub notetype: i64,
    pub fields: Vec<String>,
    pub tags: Vec<String>,
}

/// A card's scheduling as Anki stores it.
#[derive(Debug, Clone)]
pub(super) struct AnkiCard {
    pub id: i64,
    pub deck: i64,
    pub ord: u16,
    /// 0 new, 1 learning, 2 review, 3 relearning.
    pub kind: i64,
    /// -3/-2 buried, -1 suspended, 0 new, 1/3 learning, 2 review.
    pub queue: i64,
    /// Review cards: day number since the collection was created.
    pub due: i64,
}

/// One review log row.
#[derive(Debug, Clone)]
pub(super) struct AnkiReview {
    /// Time of the answer, ms since the epoch (Anki's row id).
    pub id: i64,
    /// 1–4; 0 for manual changes.
    pub ease: i64,
    pub duration_ms: i64,
}

/// A collection open for reading: its note types and decks (small) in memory, its notes,
/// cards and review log read one note at a time, so a collection of any size is imported in
/// bounded memory.
pub(super) struct AnkiCollection {
    /// When the collection's day 0 began, in seconds.
    pub created_secs: i64,
    pub notetypes: HashMap<i64, Notetype>,
    /// Deck id → full name, `Parent::Child`.
    pub decks: HashMap<i64, String>,
    conn: Connection,
}

impl AnkiCollection {
    /// Anki's day number at `now_ms` (days since its collection began).
    pub fn day_at(&self, now_ms: i64) -> i64 {
        (now_ms / 1000 - self.created_secs).div_euclid(86_400)
    }

    /// Calls `each` with every note and its cards (in `ord` order), notes in id order.
    pub fn for_each_note(
        &self,
        mut each: impl FnMut(AnkiNote, Vec<AnkiCard>) -> crate::Result<()>,
    ) -> crate::Result<()> {
        let mut notes = self
            .conn
            .prepare("SELECT id, guid, mid, flds, tags FROM notes ORDER BY id")
            .map_err(unreadable)?;
        let mut rows = notes.query([]).map_err(unreadable)?;
        while let Some(r) = rows.next().map_err(unreadable)? {
            let note = note_of(r).map_err(unreadable)?;
            let cards = self.cards_of(note.id).map_err(unreadable)?;
            each(note, cards)?;
        }
        Ok(())
    }

    fn cards_of(&self, note: i64) -> rusqlite::Result<Vec<AnkiCard>> {
        // A card in a filtered deck keeps its home deck and due in odid/odue.
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, CASE WHEN odid != 0 THEN odid ELSE did END, ord, type, queue,
               CASE WHEN odid != 0 AND odue != 0 THEN odue ELSE due END
             FROM cards WHERE nid = ? ORDER BY ord",
        )?;
        let rows = stmt.query_map([note], |r| {
            Ok(AnkiCard {
                id: r.get(0)?,
                deck: r.get(1)?,
                ord: r.get(2)?,
                kind: r.get(3)?,
                queue: r.get(4)?,
                due: r.get(5)?,
            })
        })?;
        rows.collect()
    }

    /// A card's review log, oldest first.
    pub fn reviews_of(&self, card: i64) -> crate::Result<Vec<AnkiReview>> {
        let read = || {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT id, ease, time FROM revlog WHERE cid = ? ORDER BY id")?;
            let rows = stmt.query_map([card], |r| {
                Ok(AnkiReview {
                    id: r.get(0)?,
                    ease: r.get(1)?,
                    duration_ms: r.get(2)?,
                })
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        };
        read().map_err(unreadable)
    }
}

fn note_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<AnkiNote> {
    let flds: String = r.get(3)?;
    let tags: String = r.get(4)?;
    Ok(AnkiNote {
        id: r.get(0)?,
        guid: r.get(1)?,
        notetype: r.get(2)?,
        fields: flds.split('\x1f').map(String::from).collect(),
        tags: tags.split_whitespace().map(String::from).collect(),
    })
}

/// A failure reading the file's collection, in the learner's words.
pub(super) fn unreadable(e: rusqlite::Error) -> crate::CoreError {
    crate::CoreError::invalid(format!(
        "The Anki collection inside the file can't be read ({e})."
    ))
}

/// Opens the collection at `path`, a scratch copy the import owns: it may gain the indexes
/// Anki's own collections have (looking up a note's cards and a card's reviews), should a
/// file made by another program lack them.
pub(super) fn read_collection(path: &Path) -> rusqlite::Result<AnkiCollection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // Bounded cache: a large collection is read in pages, not held whole.
    conn.execute_batch(
        "PRAGMA cache_size = -8000;
         CREATE INDEX IF NOT EXISTS pf_cards_nid ON cards (nid);
         CREATE INDEX IF NOT EXISTS pf_revlog_cid ON revlog (cid);",
    )?;
    let modern: bool = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'notetypes'",
        [],
        |r| r.get(0),
    )?;
    let types = if modern {
        read_modern_types(&conn)
    } else {
        read_legacy_types(&conn)
    }?;
    Ok(AnkiCollection {
        created_secs: conn.query_row("SELECT crt FROM col", [], |r| r.get(0))?,
        notetypes: types.notetypes,
        decks: types.decks,
        conn,
    })
}

/// Note types and decks by id.
#[derive(Default)]
struct Types {
    notetypes: HashMap<i64, Notetype>,
    decks: HashMap<i64, String>,
}

fn bad(what: &str) -> rusqlite::Error {
    rusqlite::Error::InvalidColumnType(0, what.into(), rusqlite::types::Type::Blob)
}

/// Schema 18: `notetypes`, `fields`, `templates` and `decks` tables, configs as protobuf.
fn read_modern_types(conn: &Connection) -> rusqlite::Result<Types> {
    let mut col = Types::default();
    let mut stmt = conn.prepare("SELECT id, name, config FROM notetypes")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let config: Vec<u8> = r.get(2)?;
        let fields = protobuf::fields(&config).ok_or_else(|| bad("note type config"))?;
        col.notetypes.insert(
            r.get(0)?,
            Notetype {
                name: r.get(1)?,
                cloze: protobuf::int(&fields, 1) == 1,
                fields: Vec::new(),
                templates: Vec::new(),
            },
        );
    }
    let mut stmt = conn.prepare("SELECT ntid, name FROM fields ORDER BY ntid, ord")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(nt) = col.notetypes.get_mut(&r.get::<_, i64>(0)?) {
            nt.fields.push(r.get(1)?);
        }
    }
    let mut stmt = conn.prepare("SELECT ntid, config FROM templates ORDER BY ntid, ord")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let config: Vec<u8> = r.get(1)?;
        let f = protobuf::fields(&config).ok_or_else(|| bad("template config"))?;
        if let Some(nt) = col.notetypes.get_mut(&r.get::<_, i64>(0)?) {
            nt.templates.push((
                protobuf::string(&f, 1).unwrap_or_default(),
                protobuf::string(&f, 2).unwrap_or_default(),
            ));
        }
    }
    let mut stmt = conn.prepare("SELECT id, name FROM decks")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let name: String = r.get(1)?;
        col.decks.insert(r.get(0)?, name.replace('\x1f', "::"));
    }
    Ok(col)
}

#[derive(serde::Deserialize)]
struct LegacyNotetype {
    name: String,
    #[serde(rename = "type", default)]
    kind: i64,
    flds: Vec<LegacyField>,
    tmpls: Vec<LegacyTemplate>,
}

#[derive(serde::Deserialize)]
struct LegacyField {
    name: String,
    #[serde(default)]
    ord: i64,
}

#[derive(serde::Deserialize)]
struct LegacyTemplate {
    #[serde(default)]
    qfmt: String,
    #[serde(default)]
    afmt: String,
    #[serde(default)]
    ord: i64,
}

#[derive(serde::Deserialize)]
struct LegacyDeck {
    name: String,
}

/// Schema 11: note types and decks are JSON objects keyed by id in the `col` row.
fn read_legacy_types(conn: &Connection) -> rusqlite::Result<Types> {
    let mut col = Types::default();
    let (models, decks): (String, String) =
        conn.query_row("SELECT models, decks FROM col", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let models: HashMap<String, LegacyNotetype> =
        serde_json::from_str(&models).map_err(|_| bad("note types"))?;
    for (id, mut m) in models {
        m.flds.sort_by_key(|f| f.ord);
        m.tmpls.sort_by_key(|t| t.ord);
        col.notetypes.insert(
            id.parse().map_err(|_| bad("note type id"))?,
            Notetype {
                name: m.name,
                cloze: m.kind == 1,
                fields: m.flds.into_iter().map(|f| f.name).collect(),
                templates: m.tmpls.into_iter().map(|t| (t.qfmt, t.afmt)).collect(),
            },
        );
    }
    let decks: HashMap<String, LegacyDeck> =
        serde_json::from_str(&decks).map_err(|_| bad("decks"))?;
    for (id, d) in decks {
        col.decks
            .insert(id.parse().map_err(|_| bad("deck id"))?, d.name);
    }
    Ok(col)
}
