//! Structure-aware fuzzing of `POST /v1/sync/push` on SQLite and (with PF_TEST_POSTGRES_URL)
//! PostgreSQL: a valid push (reviews, decks, notes, evidence with an uploaded attachment or
//! none, settings, deletions) with one leaf of its JSON replaced by a hostile value (NUL,
//! huge or odd Unicode text, 1e39, negative or out-of-range numbers, an unknown enum variant,
//! a stamp far in the future, a sequence number near u64::MAX, another id of the same push).
//!
//! The centre must answer 2xx or a 4xx with a JSON body (naming the field when it is a 400 or
//! 422), never 5xx; and after every accepted push a fresh device must pull the learner's whole
//! stream, every learner change in it passing the core's push rules again — a value accepted
//! but unreadable would break that learner's sync for ever.
//!
//! `PF_FUZZ_CASES` sets how many pushes each backend gets (default 256, a few seconds on two
//! cores in a debug build).

mod common;

use common::{Backend, Centre};
use pocketfolio_centre::blobs::sha256_hex;
use pocketfolio_core::model::{
    CardId, ChangeId, DeckId, DeckPreset, DeviceId, EvidenceId, EvidenceKind, NoteFields, NoteId,
    ReviewId, Settings,
};
use pocketfolio_core::sync::protocol::{
    limits, Change, ChangeBody, DeckRecord, EvidenceRecord, NoteRecord, PullBody, PullResponse,
    PushResponse, ReviewRecord, SettingsRecord,
};
use pocketfolio_core::sync::validate::check_change;
use pocketfolio_core::sync::Hlc;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Criteria a learner might claim (any text is allowed; these look real).
const CRITERIA: [&str; 3] = [
    "negotiate/lo1/ac1.1",
    "negotiate/lo1/ac1.2",
    "service/lo2/ac2.1",
];

fn cases() -> u32 {
    std::env::var("PF_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// A tiny deterministic generator, so one proptest-chosen seed makes one whole change.
struct Seed(u64);

impl Seed {
    fn next(&mut self) -> u64 {
        // SplitMix64.
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    /// A time in the last day.
    fn recent(&mut self, now: i64) -> i64 {
        now - 1 - self.below(86_400_000) as i64
    }
    fn hlc(&mut self, now: i64, device: DeviceId) -> Hlc {
        Hlc {
            wall_ms: self.recent(now),
            counter: self.below(5) as u32,
            node: device.0,
        }
    }
    fn text(&mut self, words: &[&str]) -> String {
        (0..1 + self.below(4))
            .map(|_| *self.pick(words))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// What the learner already holds on the centre, for changes to refer to.
struct Known {
    attachments: Vec<(String, String)>,
}

/// Words for texts: markup, accents, an emoji.
const WORDS: [&str; 7] = [
    "Till",
    "customer",
    "négociation",
    "plan",
    "<b>bold</b>",
    "ü",
    "👍",
];

/// One valid change body of kind `kind` (0–10), built from `seed`.
fn body(kind: u8, seed: &mut Seed, now: i64, device: DeviceId, known: &Known) -> ChangeBody {
    let words = WORDS;
    let t = seed.recent(now);
    match kind {
        0 => ChangeBody::Review(ReviewRecord(
            ReviewId::new_at(t),
            CardId::new_at(seed.recent(now)),
            t,
            *seed.pick(&[1, 2, 3, 4, 10, 11, 12, 13, 14]),
            seed.below(400) as u32,
            seed.below(60_000) as u32,
            device,
            *seed.pick(&[0, 60, -300, 330, 840]),
            *seed.pick(&[0.8, 0.9, 0.95]),
        )),
        1 => ChangeBody::ReviewUndone(ReviewId::new_at(t)),
        2 => ChangeBody::DeckPut(DeckRecord {
            id: DeckId::new_at(t),
            name: seed.text(&words),
            description: seed.text(&words),
            hlc: seed.hlc(now, device),
        }),
        3 => ChangeBody::DeckDeleted(DeckId::new_at(t)),
        4 => {
            let fields = match seed.below(3) {
                0 => NoteFields::Basic {
                    front: seed.text(&words),
                    back: seed.text(&words),
                },
                1 => NoteFields::Reversed {
                    front: seed.text(&words),
                    back: seed.text(&words),
                },
                _ => NoteFields::Cloze {
                    text: format!("{{{{c1::{}}}}}", seed.text(&words)),
                    extra: seed.text(&words),
                },
            };
            ChangeBody::NotePut(NoteRecord {
                id: NoteId::new_at(t),
                deck_id: DeckId::new_at(seed.recent(now)),
                fields,
                tags: vec![seed.pick(&["leech", "unit-1", "ü"]).to_string()],
                criteria: vec![seed.pick(&CRITERIA).to_string()],
                cards: vec![(0, CardId::new_at(t)), (1, CardId::new_at(t + 1))],
                hlc: seed.hlc(now, device),
            })
        }
        5 => ChangeBody::NoteDeleted(NoteId::new_at(t)),
        6 => {
            let submitted = seed.below(2) == 0;
            ChangeBody::EvidencePut(evidence_record(seed, now, device, known, t, submitted))
        }
        7 => ChangeBody::EvidenceDeleted(EvidenceId::new_at(t)),
        // Only a submitted item is withdrawn.
        8 => ChangeBody::EvidenceWithdrawn(evidence_record(seed, now, device, known, t, true)),
        9 => {
            let cards = 1 + seed.below(20) as u32;
            ChangeBody::StrengthMeasured(pocketfolio_core::strength::UnitStrength {
                unit_id: "negotiate".into(),
                measured_ms: t,
                criteria: vec![(
                    seed.pick(&CRITERIA).to_string(),
                    cards,
                    seed.below(u64::from(cards) + 1) as u32,
                    *seed.pick(&[0.0, 0.25, 0.5, 1.0]),
                )],
            })
        }
        _ => {
            let deck = DeckId::new_at(t);
            let mut settings = Settings {
                desired_retention: *seed.pick(&[0.8, 0.9, 0.95]),
                new_per_day: seed.below(100) as u32,
                rollover_hour: seed.below(24) as u8,
                ..Settings::default()
            };
            settings.presets.push(DeckPreset {
                id: 1,
                name: "Exam week".into(),
                ..DeckPreset::default()
            });
            settings.deck_presets.insert(deck, 1);
            settings.assessment_dates.insert(
                "negotiate".into(),
                chrono::NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
            );
            ChangeBody::SettingsPut(SettingsRecord {
                settings,
                hlc: seed.hlc(now, device),
            })
        }
    }
}

/// A learner's version of an evidence item, valid, submitted or a draft.
fn evidence_record(
    seed: &mut Seed,
    now: i64,
    device: DeviceId,
    known: &Known,
    t: i64,
    submitted: bool,
) -> EvidenceRecord {
    let words = WORDS;
    let mut fields = BTreeMap::new();
    fields.insert("situation".to_string(), seed.text(&words));
    fields.insert("outcome".to_string(), seed.text(&words));
    let attachments = if seed.below(2) == 0 {
        vec![seed.pick(&known.attachments).clone()]
    } else {
        vec![]
    };
    EvidenceRecord {
        id: EvidenceId::new_at(t),
        kind: seed.pick(&EvidenceKind::ALL).as_str().to_string(),
        template_id: if seed.below(2) == 0 {
            Some("star".into())
        } else {
            None
        },
        title: seed.text(&words),
        fields,
        criteria: vec![seed.pick(&CRITERIA).to_string()],
        attachments,
        location: None,
        learner_status: if submitted { "submitted" } else { "draft" }.into(),
        submissions: u32::from(submitted),
        updated_ms: t,
        hlc: seed.hlc(now, device),
    }
}

/// A valid push from a new device, as JSON.
fn valid_push(kinds: &[(u8, u64)], now: i64, known: &Known) -> Value {
    let device = DeviceId(uuid::Uuid::new_v4());
    let changes: Vec<Change> = kinds
        .iter()
        .enumerate()
        .map(|(i, &(kind, seed))| {
            let mut seed = Seed(seed);
            let body = body(kind, &mut seed, now, device, known);
            Change {
                seq: 1 + i as u64,
                id: ChangeId(uuid::Uuid::new_v4()),
                time_ms: seed.recent(now),
                body,
            }
        })
        .collect();
    json!({"device_id": device, "first_seq": 1, "changes": changes})
}

/// Every leaf of `value` (and every empty array or object) as a JSON pointer.
fn leaves(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                let key = k.replace('~', "~0").replace('/', "~1");
                leaves(v, format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, v) in items.iter().enumerate() {
                leaves(v, format!("{at}/{i}"), out);
            }
        }
        _ => out.push(at),
    }
}

/// Hostile replacements for a text leaf.
fn hostile_texts() -> Vec<Value> {
    vec![
        json!(""),
        json!("   "),
        json!("a\u{0}b"),
        json!("\u{0}"),
        json!("x".repeat(300 * 1024)),
        json!("y".repeat(5_000)),
        json!("\u{202E}\u{FEFF}é𝔘\u{10FFFF}\u{200B}"),
        json!("ＡＤＭＩＮ"),
        json!("unknown_variant"),
        json!("00000000-0000-0000-0000-000000000000"),
        json!("ffffffff-ffff-ffff-ffff-ffffffffffff"),
        json!("not-a-uuid"),
        json!("'); DROP TABLE feed; --"),
        json!("%00"),
        json!("NaN"),
        json!("1e39"),
        json!("18446744073709551615"),
        json!("2999-01-01"),
        json!("0".repeat(64)),
        json!("G".repeat(64)),
    ]
}

/// Hostile replacements for a number leaf; `now` places stamps just and far ahead.
fn hostile_numbers(now: i64) -> Vec<Value> {
    vec![
        json!(1e39),
        json!(-1e39),
        json!(1e308),
        json!(5e-324),
        json!(-1),
        json!(0),
        json!(-0.0),
        json!(1.5),
        json!(0.0001),
        json!(9_007_199_254_740_993u64),
        json!(u64::MAX),
        json!(u64::MAX - 1),
        json!(limits::MAX_SEQ),
        json!(limits::MAX_SEQ + 1),
        json!(i64::MIN),
        json!(i64::MAX),
        json!(u32::MAX),
        json!(u32::MAX as u64 + 1),
        json!(u16::MAX as u32 + 1),
        json!(256),
        json!(now + limits::MAX_CLOCK_AHEAD_MS + 60_000),
        json!(now + 10 * 365 * 86_400_000),
        json!(limits::MAX_HLC_COUNTER + 1),
    ]
}

/// Hostile replacements for any leaf: a wrong type or a NaN-ish stand-in.
fn hostile_any() -> Vec<Value> {
    vec![
        json!(null),
        json!(true),
        json!([]),
        json!({}),
        json!([null]),
    ]
}

/// Replaces one leaf of `push` (chosen by `at`) with a hostile value (chosen by `what`), or
/// (when `what` says so) with another UUID of the same push. Returns a description.
fn mutate(push: &mut Value, at: u32, what: u32, now: i64) -> String {
    let mut paths = Vec::new();
    leaves(push, String::new(), &mut paths);
    let path = paths[at as usize % paths.len()].clone();
    let old = push.pointer(&path).cloned().unwrap();
    let uuids: Vec<Value> = paths
        .iter()
        .filter_map(|p| push.pointer(p))
        .filter(|v| v.as_str().is_some_and(|s| uuid::Uuid::parse_str(s).is_ok()))
        .cloned()
        .collect();
    let mut pool = match &old {
        Value::String(_) => hostile_texts(),
        Value::Number(_) => hostile_numbers(now),
        _ => Vec::new(),
    };
    if old
        .as_str()
        .is_some_and(|s| uuid::Uuid::parse_str(s).is_ok())
    {
        // A duplicated id: the same id twice in one push.
        pool.extend(uuids.iter().cloned());
    }
    pool.extend(hostile_any());
    let new = pool[what as usize % pool.len()].clone();
    let shown = match &new {
        Value::String(s) if s.len() > 80 => format!("a string of {} bytes", s.len()),
        other => other.to_string(),
    };
    *push.pointer_mut(&path).unwrap() = new;
    format!("{path}: {old} -> {shown}")
}

/// Pulls the learner's whole stream as a fresh device; every page must decode and every
/// learner change must pass the push rules again.
async fn pull_everything(c: &Centre, token: &str) -> Result<usize, String> {
    let (mut since, mut count, now) = (0, 0, now_ms());
    loop {
        let (s, body) = c.get(token, &format!("/v1/sync/pull?since={since}")).await;
        if s != StatusCode::OK {
            return Err(format!("pull since {since}: {s} {body}"));
        }
        let page: PullResponse = serde_json::from_value(body.clone())
            .map_err(|e| format!("pull page since {since} does not decode: {e}: {body}"))?;
        for pulled in &page.changes {
            if let PullBody::Learner(body) = &pulled.body {
                let change = Change {
                    seq: 1,
                    id: ChangeId(uuid::Uuid::nil()),
                    time_ms: now,
                    body: body.clone(),
                };
                check_change(&change, now, &format!("cursor {}", pulled.cursor))
                    .map_err(|e| format!("pulled change is invalid: {} ({e})", e.field))?;
            }
        }
        count += page.changes.len();
        if !page.more {
            return Ok(count);
        }
        since = page.cursor;
    }
}

/// Checks the reply to one mutated push.
fn check_reply(status: StatusCode, body: &Value) -> Result<(), String> {
    if status.is_success() {
        serde_json::from_value::<PushResponse>(body.clone())
            .map_err(|e| format!("a 2xx reply that does not decode: {e}: {body}"))?;
        return Ok(());
    }
    if !status.is_client_error() {
        return Err(format!("{status}: {body}"));
    }
    if !body.is_object() {
        return Err(format!("{status} without a JSON body"));
    }
    if matches!(status.as_u16(), 400 | 422) {
        let named = body["field"].as_str().is_some_and(|f| !f.is_empty());
        if !named || !body["error"].is_string() {
            return Err(format!("{status} that names no field: {body}"));
        }
    }
    Ok(())
}

async fn hostile_leaves_never_break_the_stream(backend: Backend) {
    let c = Centre::start(backend).await;
    let (_, token) = c.learner("fuzz", None).await;
    let mut known = Known {
        attachments: Vec::new(),
    };
    for (i, name) in ["receipt.jpg", "plan.pdf"].into_iter().enumerate() {
        let data = format!("attachment {i}").into_bytes();
        let sha = sha256_hex(&data);
        assert!(c.put_blob(&token, &sha, data).await.is_success());
        known.attachments.push((sha, name.to_string()));
    }
    let strategy = (
        prop::collection::vec((0u8..11, any::<u64>()), 1..6),
        any::<u32>(),
        any::<u32>(),
    );
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let handle = tokio::runtime::Handle::current();
    let (accepted, refused) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let result = tokio::task::block_in_place(|| {
        runner.run(&strategy, |(kinds, at, what)| {
            handle.block_on(async {
                let now = now_ms();
                let mut push = valid_push(&kinds, now, &known);
                let mutation = mutate(&mut push, at, what, now);
                let fail = |why: String| TestCaseError::fail(format!("{mutation}: {why}"));
                let (status, reply) = c.push(&token, &push).await;
                check_reply(status, &reply).map_err(fail)?;
                if status.is_success() {
                    accepted.fetch_add(1, Ordering::Relaxed);
                    pull_everything(&c, &token).await.map_err(fail)?;
                } else {
                    refused.fetch_add(1, Ordering::Relaxed);
                }
                Ok(())
            })
        })
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // Both outcomes must occur, or the fuzzing exercised nothing.
    let (accepted, refused) = (accepted.into_inner(), refused.into_inner());
    assert!(
        accepted > 0 && refused > 0,
        "{accepted} accepted, {refused} refused"
    );
}
both_backends!(hostile_leaves_never_break_the_stream);

/// The mutator reaches every kind of change and replaces exactly one leaf.
#[test]
fn every_change_kind_is_generated_valid_and_mutated_in_one_leaf() {
    let now = now_ms();
    let known = Known {
        attachments: vec![("a".repeat(64), "a.jpg".into())],
    };
    let kinds: Vec<(u8, u64)> = (0..11).map(|k| (k, u64::from(k) * 7)).collect();
    let push = valid_push(&kinds, now, &known);
    let request: pocketfolio_core::sync::protocol::PushRequest =
        serde_json::from_value(push.clone()).unwrap();
    pocketfolio_core::sync::validate::check_push(&request, now).unwrap();
    let mut paths = Vec::new();
    leaves(&push, String::new(), &mut paths);
    let mut mutated = push.clone();
    mutate(&mut mutated, 3, 0, now);
    let mut after = Vec::new();
    leaves(&mutated, String::new(), &mut after);
    let differ = paths
        .iter()
        .filter(|p| push.pointer(p) != mutated.pointer(p))
        .count();
    assert_eq!(differ, 1);
}
