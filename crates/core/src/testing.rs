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
    /// Fills the collection with `cards` synthetic cards and `logs` review-log entries, in
    /// one transaction: a fifth of the cards stay new; the rest have histories of a learner
    /// who reviews each card when it falls due, shifted so that today sees a steady-state
    /// share of them due. Every schedule is its replayed log, as the answer path leaves it.
    /// For benchmarks and load tests.
    pub fn seed_synthetic(&mut self, cards: usize, logs: usize) -> Result<SeedReport> {
        let now = self.clock.now_ms();
        let device = self.device;
        let scheduler = self.scheduler.clone();
        let reviewed = cards - cards / 5;
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
                    id: NoteId(uuid::Uuid::from_u128(0x5EED_0000_0000 + i as u128)),
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
                let n_logs = if i < reviewed {
                    logs * (i + 1) / reviewed - logs * i / reviewed
                } else {
                    0
                };
                let history = synthetic_history(&scheduler, card_id, device, now, i, n_logs)?;
                col.store.add_card(&Card {
                    id: card_id,
                    note_id: note.id,
                    ord: 0,
                    position: i as i64,
                    schedule: scheduler.replay(card_id, &history)?,
                })?;
                let mut so_far = Schedule::default();
                for log in &history {
                    col.store.add_review(log, so_far.state)?;
                    so_far = scheduler.apply(card_id, &so_far, log)?;
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

/// A learner who answers a card whenever it falls due, mostly Good, with the history moved
/// (by whole days, so day boundaries are kept) to leave the card due somewhere between
/// yesterday and the end of its current interval.
fn synthetic_history(
    scheduler: &crate::scheduler::Scheduler,
    card: CardId,
    device: crate::model::DeviceId,
    now: i64,
    i: usize,
    n: usize,
) -> Result<Vec<ReviewLog>> {
    let mut logs = Vec::with_capacity(n);
    let mut schedule = Schedule::default();
    let mut t = 0;
    for k in 0..n {
        let rating = match (i * 7 + k * 3) % 20 {
            // The last answers are Good, so a history ends graduated, as most cards are.
            _ if k + 2 >= n => Rating::Good,
            0 | 1 => Rating::Again,
            2 => Rating::Hard,
            3 => Rating::Easy,
            _ => Rating::Good,
        };
        let log = ReviewLog {
            id: ReviewId(uuid::Uuid::nil()),
            card_id: card,
            time_ms: t,
            event: ReviewEvent::Answer(rating),
            duration_ms: 5_000,
            device_id: device,
            tz_offset_min: 0,
            retention: 0.9,
            undone: false,
        };
        schedule = scheduler.apply(card, &schedule, &log)?;
        logs.push(log);
        t = schedule.due_ms.max(t + 60_000);
    }
    let Some(last_time) = logs.last().map(|l| l.time_ms) else {
        return Ok(logs);
    };
    let spread = i64::from(schedule.interval_days.max(1)) + 1;
    let target_due = now - DAY_MS + (i as i64 * 7_919 % spread) * DAY_MS;
    // Whole days only, and never past now.
    let shift = (target_due - schedule.due_ms).min(now - 60_000 - last_time);
    let shift = shift.div_euclid(DAY_MS) * DAY_MS;
    for log in &mut logs {
        log.time_ms += shift;
        log.id = ReviewId::new_at(log.time_ms);
    }
    Ok(logs)
}

impl Collection {
    /// The id of the deck called `name`, made if absent (test helper).
    pub fn deck_named_for_tests(&mut self, name: &str) -> DeckId {
        self.transact(crate::collection::NOTES, |col| col.deck_named_in_txn(name))
            .expect("deck")
    }

    /// Writes a new learner version of an item whatever its stage, keeping its submission
    /// count: what a modified client sends, or a device that changed the item before it saw
    /// the decision (test helper; the app refuses such edits).
    pub fn edit_evidence_regardless_for_tests(
        &mut self,
        id: crate::model::EvidenceId,
        what: &str,
    ) -> Result<()> {
        let mut item = self.evidence(id)?;
        if item.withdrawn {
            return Ok(());
        }
        item.fields.insert("what".into(), what.into());
        item.updated_ms = self.clock.now_ms();
        self.transact(crate::evidence::EVIDENCE, |col| {
            col.store.put_evidence(&item)?;
            col.log_and_queue(
                &item,
                crate::evidence::LifecycleEvent::Edited.summary(),
                serde_json::json!({}),
            )
        })
    }
}

/// Everything two converged devices must agree on, as comparable text: every card's schedule,
/// every note, deck and evidence item (both sides), and the settings. Leaves out what is
/// rightly local (history wording, new-card positions, outbox, cursor).
pub fn state_digest(col: &Collection) -> Result<String> {
    use std::fmt::Write;
    let mut out = String::new();
    let conn = col.store.conn();
    let mut stmt = conn.prepare(
        "SELECT hex(id), state, due_ms, stability, difficulty, reps, lapses, suspended, leech FROM card ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (id, state, due): (String, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let (s, d): (Option<f64>, Option<f64>) = (r.get(3)?, r.get(4)?);
        let (reps, lapses, suspended, leech): (i64, i64, bool, bool) =
            (r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?);
        writeln!(
            out,
            "card {id} {state} {due} {s:?} {d:?} {reps} {lapses} {suspended} {leech}"
        )
        .ok();
    }
    let mut stmt = conn.prepare(
        "SELECT hex(n.id), hex(n.deck_id), n.fields, n.tags,
           (SELECT group_concat(criterion_id) FROM (SELECT criterion_id FROM note_criterion WHERE note_id = n.id ORDER BY 1))
         FROM note n ORDER BY n.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let v: (String, String, String, String, Option<String>) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        writeln!(out, "note {v:?}").ok();
    }
    let mut stmt = conn.prepare("SELECT hex(id), name, description FROM deck ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let v: (String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        writeln!(out, "deck {v:?}").ok();
    }
    let mut items = col.evidence_items()?;
    items.sort_by_key(|i| i.id);
    for item in items {
        writeln!(
            out,
            "evidence {} {:?} {:?} {} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
            item.id,
            // The stage every surface shows: reopened, withdrawn and decided alike.
            item.stage(),
            item.kind,
            item.title,
            item.fields,
            item.criteria,
            // Name and content hash: a device that hasn't downloaded a file doesn't know its size.
            item.attachments
                .iter()
                .map(|a| (&a.sha256, &a.file_name))
                .collect::<Vec<_>>(),
            item.learner_status,
            item.assessor_status,
            item.feedback,
            item.signed_off,
            item.location
        )
        .ok();
    }
    writeln!(out, "settings {:?}", col.settings()).ok();
    Ok(out)
}

/// Lines of `a` and `b` that differ, for a readable failure when two states should match.
pub fn digest_difference(a: &str, b: &str) -> String {
    let left: std::collections::BTreeSet<&str> = a.lines().collect();
    let right: std::collections::BTreeSet<&str> = b.lines().collect();
    let mut out = String::new();
    for line in left.difference(&right) {
        out.push_str(&format!("- {line}\n"));
    }
    for line in right.difference(&left) {
        out.push_str(&format!("+ {line}\n"));
    }
    out
}

/// Up to `n` card ids, spread across the collection (for benchmarks that answer cards).
pub fn card_ids(col: &Collection, n: usize) -> Result<Vec<CardId>> {
    let mut stmt = col
        .store
        .conn()
        .prepare("SELECT id FROM card ORDER BY (rowid * 7919) % 100003 LIMIT ?")?;
    let rows = stmt.query_map([n as i64], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Answers the card the queue offers next, `n` times, cycling through the ratings, each
/// answer taking `duration_ms`. Fails if the queue runs dry.
pub fn answer_next_cards(col: &mut Collection, n: usize, duration_ms: u32) -> Result<()> {
    for i in 0..n {
        let next = col
            .build_queue(&crate::queue::Scope::All)?
            .next(i64::MAX / 2)
            .ok_or_else(|| crate::CoreError::invalid("No card is left to answer."))?
            .card_id;
        col.answer_card(next, Rating::ALL[i % 4], duration_ms)?;
    }
    Ok(())
}

/// `len` bytes that don't compress, like a photo's (xorshift from `seed`).
pub fn incompressible_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
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
            "CREATE TABLE IF NOT EXISTS bench_probe (id INTEGER PRIMARY KEY, v BLOB NOT NULL)",
        )?;
        Ok(RawInsertProbe { conn, n: 0 })
    }

    /// One transaction that inserts one row.
    pub fn insert_one(&mut self) -> Result<()> {
        self.n += 1;
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        self.conn
            .prepare_cached("INSERT INTO bench_probe (v) VALUES (?)")?
            .execute([&self.n.to_le_bytes()[..]])?;
        self.conn.execute_batch("COMMIT")?;
        Ok(())
    }
}

/// Signs the current declaration of authenticity as "Test Learner" with a typed name, so a
/// test can submit evidence.
pub fn declare(col: &mut Collection) -> Result<()> {
    col.sign_declaration(
        "Test Learner",
        crate::signing::Mark::Typed {
            name: "Test Learner".into(),
        },
    )
}
