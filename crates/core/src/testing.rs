//! Fixtures for tests and benchmarks: a manual clock, collections with or without the
//! built-in content, and a large synthetic collection.

use crate::clock::{ManualClock, DAY_MS};
use crate::model::{
    Card, CardId, DeckId, Note, NoteFields, NoteId, Rating, ReviewEvent, ReviewId, ReviewLog,
    Schedule,
};
use crate::{Collection, Result};
use std::sync::Arc;

/// Monday 2026-11-23 12:00 UTC: tests run at a fixed instant.
pub const T0: i64 = 1_795_435_200_000;

/// A clock stopped at [`T0`], in UTC.
pub fn manual_clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(T0, 0))
}

/// An in-memory collection with no content.
pub fn empty_collection() -> (Collection, Arc<ManualClock>) {
    let clock = manual_clock();
    let col = Collection::open_in_memory(clock.clone(), None).expect("in-memory collection");
    (col, clock)
}

/// An in-memory collection with the built-in content installed.
pub fn builtin_collection() -> (Collection, Arc<ManualClock>) {
    let (mut col, clock) = empty_collection();
    col.install_builtin_content()
        .expect("built-in content installs");
    (col, clock)
}

/// What [`Collection::seed_synthetic`] made.
#[derive(Debug, Clone, Copy)]
pub struct SeedReport {
    /// Cards made.
    pub cards: usize,
    /// Review-log entries made.
    pub logs: usize,
}

impl Collection {
    /// Fills the collection with `cards` synthetic cards and about `logs` review-log entries
    /// spread over the year before now, in one transaction. Every card's schedule is its
    /// replayed log, as the real answer path would leave it. For benchmarks and load tests.
    pub fn seed_synthetic(&mut self, cards: usize, logs: usize) -> Result<SeedReport> {
        let now = self.clock.now_ms();
        let device = self.device;
        let scheduler = self.scheduler.clone();
        let per_card = logs.div_ceil(cards.max(1)).max(1);
        self.transact(crate::collection::NOTES, |col| {
            let deck = DeckId::new_at(now);
            col.store.put_deck(
                &crate::model::Deck {
                    id: deck,
                    name: "Synthetic".into(),
                    description: String::new(),
                    unit_id: None,
                    builtin: None,
                },
                now,
            )?;
            let mut made_logs = 0;
            for i in 0..cards {
                let note = Note {
                    id: NoteId::new_at(now - (cards - i) as i64),
                    deck_id: deck,
                    fields: NoteFields::Basic {
                        front: format!("Question {i}"),
                        back: format!("Answer {i}"),
                    },
                    tags: vec![],
                    criteria: vec![],
                    builtin: None,
                };
                col.store.put_note(&note, now)?;
                let card_id = CardId::new_at(now - (cards - i) as i64);
                // A fifth of cards stay new; the rest get a history.
                let n_logs = if i % 5 == 4 || made_logs >= logs {
                    0
                } else {
                    per_card
                };
                let history = synthetic_history(card_id, device, now, i, n_logs);
                let schedule = if history.is_empty() {
                    Schedule::default()
                } else {
                    scheduler.replay(card_id, &history)?
                };
                col.store.add_card(&Card {
                    id: card_id,
                    note_id: note.id,
                    ord: 0,
                    position: i as i64,
                    schedule,
                })?;
                let mut prior = crate::model::CardState::New;
                let mut so_far = Schedule::default();
                for log in &history {
                    col.store.add_review(log, prior)?;
                    so_far = scheduler.apply(card_id, &so_far, log)?;
                    prior = so_far.state;
                }
                made_logs += history.len();
            }
            Ok(SeedReport {
                cards,
                logs: made_logs,
            })
        })
    }
}

/// A plausible history: reviews every few days, mostly Good, ending within the last year.
fn synthetic_history(
    card: CardId,
    device: crate::model::DeviceId,
    now: i64,
    i: usize,
    n: usize,
) -> Vec<ReviewLog> {
    let mut t = now - 365 * DAY_MS + (i as i64 % 97) * DAY_MS / 3;
    (0..n)
        .map(|k| {
            let rating = match (i + k) % 10 {
                0 => Rating::Again,
                1 => Rating::Hard,
                9 => Rating::Easy,
                _ => Rating::Good,
            };
            t += DAY_MS * (1 + ((i + 3 * k) % 30) as i64);
            let time_ms = t.min(now - 60_000);
            ReviewLog {
                id: ReviewId::new_at(time_ms),
                card_id: card,
                time_ms,
                event: ReviewEvent::Answer(rating),
                duration_ms: 5_000,
                device_id: device,
                tz_offset_min: 0,
                retention: 0.9,
                undone: false,
            }
        })
        .collect()
}

/// A bare one-row insert transaction with the store's pragmas, for comparing the answer path
/// against SQLite's floor on the same disk.
pub struct RawInsertProbe {
    conn: rusqlite::Connection,
    n: i64,
}

impl RawInsertProbe {
    /// Opens `path` (a scratch file) with the same pragmas as the store.
    pub fn open(path: &std::path::Path) -> Result<RawInsertProbe> {
        let conn = rusqlite::Connection::open(path)?;
        crate::store::configure(&conn)?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY, v BLOB NOT NULL)",
        )?;
        Ok(RawInsertProbe { conn, n: 0 })
    }

    /// One transaction that inserts one row.
    pub fn insert_one(&mut self) -> Result<()> {
        self.n += 1;
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        self.conn
            .prepare_cached("INSERT INTO probe (v) VALUES (?)")?
            .execute([&self.n.to_le_bytes()[..]])?;
        self.conn.execute_batch("COMMIT")?;
        Ok(())
    }
}
