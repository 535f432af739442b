//! Scheduler figures on a real review log, for docs/scheduler.md (issue 12).
//!
//! `cargo run --release -p pocketfolio-core --example fsrs_figures -- COLLECTION.anki2`
//!
//! Takes an Anki collection (`.anki2`, or an `.apkg`/`.colpkg` holding one) and fits FSRS
//! parameters two ways:
//! - **ours**: the file goes through our Anki import into a fresh collection, exactly as in
//!   the app, and the phone's Optimise (`scheduler::fit::fit`) fits on the answers it stored;
//! - **the crate's**: training items are built straight from the file's `revlog` table the way
//!   the `fsrs` project's own converter does (answers 1–4 only; manual changes and
//!   filtered-deck reviews that do not reschedule left out; only the history since the card's
//!   last reset; days starting at 04:00 UTC), and `fsrs::compute_parameters` fits them.
//!
//! Each parameter set, and the defaults, is then scored (log loss, binned RMSE: the crate's
//! own evaluation) on every item, and on a held-out fifth of the cards after refitting on the
//! other four fifths, so the in-sample gain can be told from a real one.

use fsrs::{ComputeParametersInput, FSRSItem, FSRSReview};
use pocketfolio_core::scheduler::fit::{self, Answer, Fitness};
use pocketfolio_core::{Collection, SystemClock};
use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// Anki's day rolls over at 04:00 by default; the import keeps our default, which is the same.
const ROLLOVER_HOUR: i64 = 4;

fn main() -> anyhow::Result<()> {
    let path = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: fsrs_figures COLLECTION.anki2"))?;
    let dir = tempfile::tempdir()?;
    let mut col = Collection::open(&dir.path().join("collection.db"), Arc::new(SystemClock))?;
    let report = col.import_path_with_progress(&path, Path::new(&path), "Imported", &mut |_| {})?;
    let inputs = col.tool_inputs()?;
    println!(
        "imported: notes={} cards={} reviews={}; answers in our log={}",
        report.added,
        report.cards,
        report.reviews,
        inputs.answers.len()
    );

    // Ours, through the import.
    let ours_items = fit::training_items(&inputs.answers, inputs.rollover_hour, inputs.now_ms)?;
    let started = Instant::now();
    let ours = fit::fit(&inputs.answers, inputs.rollover_hour, inputs.now_ms, None)?
        .ok_or_else(|| anyhow::anyhow!("too little history for a fit"))?;
    let ours_ms = started.elapsed().as_millis();

    // The crate's, from the raw revlog.
    let by_card = revlog_by_card(&path_of_collection(&path, dir.path())?)?;
    let crate_items = items_of(by_card.values());
    let started = Instant::now();
    let crates = compute(crate_items.clone())?;
    let crate_ms = started.elapsed().as_millis();

    println!(
        "items: ours={} crate's={}; fit time: ours={ours_ms} ms crate's={crate_ms} ms",
        ours_items.len(),
        crate_items.len()
    );
    println!("parameters ours:    {ours:.4?}");
    println!("parameters crate's: {crates:.4?}");
    for (name, items) in [("ours", &ours_items), ("crate's", &crate_items)] {
        println!("in-sample, on {name} items ({}):", items.len());
        for (label, params) in [("defaults", &[][..]), ("ours", &ours), ("crate's", &crates)] {
            print_fitness(label, fit::fitness(params, items)?);
        }
    }

    // Held out: every fifth card (by a stable key) is kept for scoring only.
    let held_out = |key: u64| key.is_multiple_of(5);
    let (train, test): (Vec<Answer>, Vec<Answer>) = inputs
        .answers
        .iter()
        .copied()
        .partition(|a| !held_out(stable_key(&a.card.to_le_bytes())));
    let ours_train = fit::fit(&train, inputs.rollover_hour, inputs.now_ms, None)?
        .ok_or_else(|| anyhow::anyhow!("too little history in the training cards"))?;
    let ours_test = fit::training_items(&test, inputs.rollover_hour, inputs.now_ms)?;
    let (crate_train, crate_test): (Vec<_>, Vec<_>) = by_card
        .iter()
        .partition(|(cid, _)| !held_out(stable_key(&cid.to_le_bytes())));
    let crates_train = compute(items_of(crate_train.iter().map(|(_, r)| *r)))?;
    let crate_test = items_of(crate_test.iter().map(|(_, r)| *r));
    println!(
        "held out (fit on 4/5 of the cards, scored on the other 1/5): ours {} items, crate's {} items",
        ours_test.len(),
        crate_test.len()
    );
    for (name, items) in [("ours", &ours_test), ("crate's", &crate_test)] {
        println!("  on {name} held-out items:");
        for (label, params) in [
            ("defaults", &[][..]),
            ("ours", &ours_train),
            ("crate's", &crates_train),
        ] {
            print_fitness(label, fit::fitness(params, items)?);
        }
    }
    Ok(())
}

fn print_fitness(label: &str, f: Fitness) {
    println!(
        "    {label:<9} log_loss={:.4} rmse_bins={:.4}",
        f.log_loss, f.rmse
    );
}

fn compute(items: Vec<FSRSItem>) -> anyhow::Result<Vec<f32>> {
    fsrs::compute_parameters(ComputeParametersInput {
        train_set: items,
        ..ComputeParametersInput::default()
    })
    .map_err(|e| anyhow::anyhow!("fsrs: {e}"))
}

/// FNV-1a: a split that is the same on every run and machine.
fn stable_key(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// A bare collection is read where it lies; a package is unpacked by `unzip` into `dir`
/// (only its collection file is needed here; the import above unpacked it the app's way).
fn path_of_collection(path: &str, dir: &Path) -> anyhow::Result<std::path::PathBuf> {
    if path.ends_with(".anki2") || path.ends_with(".anki21") {
        return Ok(path.into());
    }
    let status = std::process::Command::new("unzip")
        .args([
            "-o",
            "-q",
            path,
            "collection.anki21",
            "collection.anki2",
            "-d",
        ])
        .arg(dir)
        .status()?;
    anyhow::ensure!(
        status.code().is_some_and(|c| c <= 11),
        "unzip failed on {path}"
    );
    for name in ["collection.anki21", "collection.anki2"] {
        if dir.join(name).exists() {
            return Ok(dir.join(name));
        }
    }
    anyhow::bail!("no legacy collection in {path}: export it from Anki as .anki2")
}

/// One revlog row: (time ms, ease, kind).
type Row = (i64, u32, i64);

/// The revlog, per card, in time order.
fn revlog_by_card(path: &Path) -> anyhow::Result<BTreeMap<i64, Vec<Row>>> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut stmt = conn.prepare("SELECT cid, id, ease, type FROM revlog ORDER BY cid, id")?;
    let mut rows = stmt.query([])?;
    let mut by_card: BTreeMap<i64, Vec<Row>> = BTreeMap::new();
    while let Some(r) = rows.next()? {
        by_card
            .entry(r.get(0)?)
            .or_default()
            .push((r.get(1)?, r.get(2)?, r.get(3)?));
    }
    Ok(by_card)
}

/// Training items the way the FSRS project's converter builds them from Anki's revlog.
fn items_of<'a>(cards: impl Iterator<Item = &'a Vec<Row>>) -> Vec<FSRSItem> {
    let mut items = Vec::new();
    for rows in cards {
        // Kinds: 0 learn, 1 review, 2 relearn, 3 filtered without rescheduling, 4 manual,
        // 5 rescheduled. Ease 0 marks a manual change.
        let answers: Vec<&Row> = rows
            .iter()
            .filter(|(_, ease, kind)| (1..=4).contains(ease) && *kind <= 2)
            .collect();
        // Only the history since the card was last reset (a learning answer after a review).
        let start = answers
            .windows(2)
            .rposition(|w| w[1].2 == 0 && w[0].2 != 0)
            .map_or(0, |i| i + 1);
        let mut reviews = Vec::new();
        let mut last_day = None;
        for (time_ms, ease, _) in &answers[start..] {
            let day = (time_ms / 1000 - ROLLOVER_HOUR * 3600).div_euclid(86_400);
            let delta = last_day.map_or(0, |d: i64| (day - d).max(0) as u32);
            last_day = Some(day);
            reviews.push(FSRSReview {
                rating: *ease,
                delta_t: delta,
            });
            if reviews.len() >= 2 && delta > 0 {
                items.push(FSRSItem {
                    reviews: reviews.clone(),
                });
            }
        }
    }
    items
}
