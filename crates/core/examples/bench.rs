//! Local-store benchmark: a collection with 100,000 cards and 1,000,000 review-log entries.
//!
//! `cargo run --release -p pocketfolio-core --example bench [-- CARDS LOGS]`
//!
//! Prints one `name: value unit` line per figure. Answers and bare inserts are measured
//! alternately in the same loop, so both see the same disk and cache conditions.

use pocketfolio_core::queue::Scope;
use pocketfolio_core::testing::{manual_clock, RawInsertProbe};
use pocketfolio_core::{Clock, Collection};
use std::time::{Duration, Instant};

const ANSWERS: usize = 2_000;

/// Autosaves timed: a long note typed in pauses.
const AUTOSAVES: usize = 500;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let cards: usize = args.next().map_or(Ok(100_000), |a| a.parse())?;
    let logs: usize = args.next().map_or(Ok(1_000_000), |a| a.parse())?;
    let dir = tempfile::tempdir()?;
    // PF_BENCH_DB=/some/file.db keeps the seeded store between runs (it is copied, so every
    // run starts from the same state).
    let kept = std::env::var_os("PF_BENCH_DB").map(std::path::PathBuf::from);
    let path = dir.path().join("bench.db");
    let clock = manual_clock();

    match kept.as_ref().filter(|k| k.exists()) {
        Some(kept) => {
            std::fs::copy(kept, &path)?;
        }
        None => {
            let started = Instant::now();
            let seeded = {
                let mut col = Collection::open(&path, clock.clone())?;
                col.seed_synthetic(cards, logs)?
            };
            line("seed_s", started.elapsed().as_secs_f64(), "s");
            line("cards", seeded.cards as f64, "cards");
            line("review_logs", seeded.logs as f64, "logs");
            if let Some(kept) = &kept {
                std::fs::copy(&path, kept)?;
            }
        }
    }
    line(
        "db_size_mb",
        std::fs::metadata(&path)?.len() as f64 / 1e6,
        "MB",
    );

    let open_times: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            let col = Collection::open(&path, clock.clone()).expect("open");
            let elapsed = t.elapsed();
            drop(col);
            elapsed
        })
        .collect();
    line("open_ms", ms(percentile(open_times, 50)), "ms");

    let mut col = Collection::open(&path, clock.clone())?;
    let queue_times: Vec<Duration> = (0..20)
        .map(|_| {
            let t = Instant::now();
            let q = col.build_queue(&Scope::All).expect("queue");
            let elapsed = t.elapsed();
            assert!(!q.is_empty(), "the synthetic collection has due cards");
            elapsed
        })
        .collect();
    let due = col.build_queue(&Scope::All)?.counts();
    line("queue_cards", f64::from(due.total()), "cards");
    line("queue_build_ms", ms(percentile(queue_times, 50)), "ms");
    // The screens that count from the same queue (issue 12): Stats (forecast, heatmap,
    // retention and today's queue), Today (everything and each unit) and the deck list.
    let timed = |f: &dyn Fn()| {
        let times: Vec<Duration> = (0..10)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect();
        ms(percentile(times, 50))
    };
    line(
        "stats_ms",
        timed(&|| drop(col.stats().expect("stats"))),
        "ms",
    );
    line(
        "today_ms",
        timed(&|| drop(col.today_counts().expect("today"))),
        "ms",
    );
    line(
        "decks_ms",
        timed(&|| drop(col.decks().expect("decks"))),
        "ms",
    );
    // Answer → next card through a session, as the review screen does it.
    let mut session = col.start_session(Scope::All)?;
    let mut steps = Vec::with_capacity(200);
    for _ in 0..200 {
        let Some(card) = session.next(clock.now_ms()) else {
            break;
        };
        clock.advance_ms(7_000);
        let t = Instant::now();
        col.answer_in_session(
            &mut session,
            card.card_id,
            pocketfolio_core::model::Rating::Good,
            7_000,
        )?;
        let next = session.next(clock.now_ms());
        steps.push(t.elapsed());
        let _ = next;
    }
    line(
        "answer_next_p50_us",
        us(percentile(steps.clone(), 50)),
        "us",
    );
    line("answer_next_p99_us", us(percentile(steps, 99)), "us");

    // The floor: a bare one-row insert transaction with the same pragmas, on the same disk. In
    // its own file: a second connection writing to the collection's file would make SQLite
    // drop the collection connection's page cache before every answer.
    let mut probe = RawInsertProbe::open(&dir.path().join("probe.db"))?;
    let mut answers = Vec::with_capacity(ANSWERS);
    let mut raws = Vec::with_capacity(ANSWERS);
    let ids: Vec<_> = pocketfolio_core::testing::card_ids(&col, ANSWERS)?;
    for (i, id) in ids.iter().enumerate() {
        clock.advance_ms(7_000);
        let rating = pocketfolio_core::model::Rating::ALL[i % 4];
        let t = Instant::now();
        col.answer_card(*id, rating, 7_000)?;
        answers.push(t.elapsed());
        let t = Instant::now();
        probe.insert_one()?;
        raws.push(t.elapsed());
    }
    let _ = clock.now_ms();
    line("answer_p50_us", us(percentile(answers.clone(), 50)), "us");
    line("answer_p99_us", us(percentile(answers, 99)), "us");
    line("raw_txn_p50_us", us(percentile(raws.clone(), 50)), "us");
    line("raw_txn_p99_us", us(percentile(raws, 99)), "us");

    // Typing a quick note: one autosave per pause, each its own transaction and outbox row.
    let note = col.create_quick_note("")?;
    let mut text = String::new();
    let mut saves = Vec::with_capacity(AUTOSAVES);
    for i in 0..AUTOSAVES {
        clock.advance_ms(600);
        text.push_str(if i % 8 == 7 { ".\n" } else { " word" });
        let fields = std::collections::BTreeMap::from([("note".to_string(), text.clone())]);
        let t = Instant::now();
        col.autosave_evidence(note, "", fields)?;
        saves.push(t.elapsed());
    }
    line("autosave_p50_us", us(percentile(saves.clone(), 50)), "us");
    line("autosave_p99_us", us(percentile(saves, 99)), "us");
    Ok(())
}

fn percentile(mut v: Vec<Duration>, p: usize) -> Duration {
    v.sort();
    v[((v.len() - 1) * p) / 100]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn line(name: &str, value: f64, unit: &str) {
    if value >= 100.0 || value.fract() == 0.0 {
        println!("{name}: {value:.0} {unit}");
    } else {
        println!("{name}: {value:.2} {unit}");
    }
}
