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
    pub note: i64,
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
    pub card: i64,
    /// 1–4; 0 for manual changes.
    pub ease: i64,
    pub duration_ms: i64,
}

/// Everything we take from a collection.
#[derive(Debug, Default)]
pub(super) struct AnkiCollection {
    /// When the collection's day 0 began, in seconds.
    pub created_secs: i64,
    pub notetypes: HashMap<i64, Notetype>,
    /// Deck id → full name, `Parent::Child`.
    pub decks: HashMap<i64, String>,
    pub notes: Vec<AnkiNote>,
    pub cards: Vec<AnkiCard>,
    pub reviews: Vec<AnkiReview>,
}

impl AnkiCollection {
    /// Anki's day number at `now_ms` (days since its collection began).
    pub fn day_at(&self, now_ms: i64) -> i64 {
        (now_ms / 1000 - self.created_secs).div_euclid(86_400)
    }
}

/// Reads the collection at `path` (opened read-only; nothing is written beside it).
pub(super) fn read_collection(path: &Path) -> rusqlite::Result<AnkiCollection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // Bounded cache: a large collection is read in pages, not held whole.
    conn.execute_batch("PRAGMA cache_size = -8000; PRAGMA query_only = 1;")?;
    let modern: bool = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'notetypes'",
        [],
        |r| r.get(0),
    )?;
    let mut col = AnkiCollection {
        created_secs: conn.query_row("SELECT crt FROM col", [], |r| r.get(0))?,
        ..AnkiCollection::default()
    };
    if modern {
        read_modern_types(&conn, &mut col)?;
    } else {
        read_legacy_types(&conn, &mut col)?;
    }
    let mut stmt = conn.prepare("SELECT id, guid, mid, flds, tags FROM notes ORDER BY id")?;
    col.notes = stmt
        .query_map([], |r| {
            let flds: String = r.get(3)?;
            let tags: String = r.get(4)?;
            Ok(AnkiNote {
                id: r.get(0)?,
                guid: r.get(1)?,
                notetype: r.get(2)?,
                fields: flds.split('\x1f').map(String::from).collect(),
                tags: tags.split_whitespace().map(String::from).collect(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    // A card in a filtered deck keeps its home deck and due in odid/odue.
    let mut stmt = conn.prepare(
        "SELECT id, nid, CASE WHEN odid != 0 THEN odid ELSE did END, ord, type, queue,
           CASE WHEN odid != 0 AND odue != 0 THEN odue ELSE due END
         FROM cards ORDER BY nid, ord",
    )?;
    col.cards = stmt
        .query_map([], |r| {
            Ok(AnkiCard {
                id: r.get(0)?,
                note: r.get(1)?,
                deck: r.get(2)?,
                ord: r.get(3)?,
                kind: r.get(4)?,
                queue: r.get(5)?,
                due: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare("SELECT id, cid, ease, time FROM revlog ORDER BY cid, id")?;
    col.reviews = stmt
        .query_map([], |r| {
            Ok(AnkiReview {
                id: r.get(0)?,
                card: r.get(1)?,
                ease: r.get(2)?,
                duration_ms: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(col)
}

fn bad(what: &str) -> rusqlite::Error {
    rusqlite::Error::InvalidColumnType(0, what.into(), rusqlite::types::Type::Blob)
}

/// Schema 18: `notetypes`, `fields`, `templates` and `decks` tables, configs as protobuf.
fn read_modern_types(conn: &Connection, col: &mut AnkiCollection) -> rusqlite::Result<()> {
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
    Ok(())
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
fn read_legacy_types(conn: &Connection, col: &mut AnkiCollection) -> rusqlite::Result<()> {
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
    Ok(())
}
