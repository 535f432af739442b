//! A seeded centre — 3 assessors with mixed risk ratings, 60 learners, one decision each —
//! and the plan drawn for it: counts that follow the strategy, a coverage grid counted by
//! hand, and a proposal that fills each assessor's gap.

mod common;

use common::{batch, change, evidence, Backend, Centre};
use pocketfolio_centre::db::accounts::{Account, Role};
use pocketfolio_centre::error::ApiError;
use pocketfolio_centre::services;
use pocketfolio_core::model::{AssessorStatus, DeviceId, EvidenceId};
use pocketfolio_core::quality::RiskRating;
use pocketfolio_core::sync::protocol::ChangeBody;
use reqwest::StatusCode;
use std::collections::HashMap;

const QUALIFICATION: &str = "proqual-cs-l2";
const KINDS: [&str; 3] = ["observation", "witness_testimony", "quick_note"];

/// Learner `n` (of `assessor`) with one item of kind `KINDS[n % 3]`, accepted by `assessor`.
async fn seed_learner(c: &Centre, n: usize, assessor: &Account) -> Account {
    let (learner, token) = c.learner(&format!("l{n:02}"), Some(assessor)).await;
    let phone = DeviceId::new_at(n as i64);
    let item = EvidenceId::new_at(n as i64);
    let mut record = evidence(item, &format!("Item {n}"), 1_700_000_000_000, phone);
    record.kind = KINDS[n % 3].into();
    let put = ChangeBody::EvidencePut(record);
    let (status, body) = c.push(&token, &batch(phone, 1, vec![change(1, put)])).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let db = &c.state.db;
    db.add_enrolment(&learner.id, QUALIFICATION).await.unwrap();
    let accepted = AssessorStatus::Accepted;
    services::evidence::decide(
        db,
        assessor,
        &learner.id,
        &item.to_string(),
        accepted,
        "Fine.",
    )
    .await
    .unwrap();
    learner
}

async fn the_plan_of_a_seeded_centre_follows_the_strategy(backend: Backend) {
    let c = Centre::start(backend).await;
    let db = &c.state.db;
    let admin = c.account(Role::Admin, "root").await;
    let ann = c.account(Role::Assessor, "ann").await;
    let bob = c.account(Role::Assessor, "bob").await;
    let cat = c.account(Role::Assessor, "cat").await;
    let ivy = c.iqa(&admin, "ivy").await;
    // Ann has l00–l19, Bob l20–l49, Cat l50–l59.
    let mut learners = Vec::new();
    for n in 0..60 {
        let assessor = match n {
            0..=19 => &ann,
            20..=49 => &bob,
            _ => &cat,
        };
        learners.push(seed_learner(&c, n, assessor).await);
    }
    // Ratings: Ann is new (the default, set anyway), Bob experienced, Cat under action. An
    // assessor may not rate; the IQA may.
    let err = services::plans::set_rating(db, &bob, "bob", RiskRating::Experienced)
        .await
        .unwrap_err();
    assert_eq!(ApiError::from(err).status(), StatusCode::FORBIDDEN);
    for (who, rating) in [
        ("ann", RiskRating::New),
        ("bob", RiskRating::Experienced),
        ("cat", RiskRating::UnderAction),
    ] {
        services::plans::set_rating(db, &ivy, who, rating)
            .await
            .unwrap();
    }
    // Ivy has sampled l00 (observation), l20 (quick note) and l21 (observation).
    for n in [0, 20, 21] {
        services::samples::start(db, &ivy, &learners[n].id)
            .await
            .unwrap();
    }

    let view = services::plans::plan(db, &c.state.content, &ivy, QUALIFICATION, 0, i64::MAX)
        .await
        .unwrap();
    let name = |id: &str| {
        [&ann, &bob, &cat]
            .iter()
            .find(|a| a.id == id)
            .unwrap()
            .username
            .clone()
    };
    // By hand, standard strategy: Ann new, 50 % of 20 = 10 (interim 50 % = 5); Bob experienced,
    // 10 % of 30 = 3 (interim 30 % of 3 = 0.9 → 1); Cat under action, 100 % of 10 = 10
    // (interim 70 % = 7).
    let lines: Vec<(String, u32, u32, u32, u32)> = view
        .lines
        .iter()
        .map(|l| {
            (
                name(&l.assessor_id),
                l.learners,
                l.to_sample,
                l.interim,
                l.summative,
            )
        })
        .collect();
    let mut lines = lines;
    lines.sort();
    assert_eq!(
        lines,
        vec![
            ("ann".into(), 20, 10, 5, 5),
            ("bob".into(), 30, 3, 1, 2),
            ("cat".into(), 10, 10, 7, 3),
        ]
    );
    // The grid by assessor: (decisions, planned, sampled learners, uncovered).
    let mut by_assessor: Vec<(String, u32, u32, u32, u32)> = view
        .grid
        .assessors
        .iter()
        .map(|r| {
            (
                name(&r.key),
                r.decisions,
                r.planned,
                r.sampled,
                r.uncovered(),
            )
        })
        .collect();
    by_assessor.sort();
    assert_eq!(
        by_assessor,
        vec![
            ("ann".into(), 20, 10, 1, 9),
            ("bob".into(), 30, 3, 2, 1),
            ("cat".into(), 10, 10, 0, 10),
        ]
    );
    // Methods: 20 of each; sampled l00 and l21 (observations), l20 (a quick note); quick notes
    // are required by no rating.
    let methods: Vec<(&str, u32, u32, u32)> = view
        .grid
        .methods
        .iter()
        .map(|r| (r.key.as_str(), r.decisions, r.planned, r.sampled))
        .collect();
    assert_eq!(
        methods,
        vec![
            ("observation", 20, 1, 2),
            ("quick_note", 20, 0, 1),
            ("witness_testimony", 20, 1, 0),
        ]
    );
    // Every item claims two criteria of one unit.
    let units: Vec<(&str, u32, u32)> = view
        .grid
        .units
        .iter()
        .map(|r| (r.key.as_str(), r.decisions, r.sampled))
        .collect();
    assert_eq!(units, vec![("negotiate", 60, 3)]);
    assert_eq!(view.grid.candidates.len(), 60);
    assert_eq!(
        view.grid
            .candidates
            .iter()
            .filter(|r| r.sampled > 0)
            .count(),
        3
    );

    // The proposal fills each count with learners not yet sampled; Bob's one must be a witness
    // testimony (his only required method not yet sampled), as must Ann's first.
    let kind_of: HashMap<&str, &str> = learners
        .iter()
        .enumerate()
        .map(|(n, l)| (l.id.as_str(), KINDS[n % 3]))
        .collect();
    let picks = |who: &Account| -> Vec<&str> {
        view.proposal
            .iter()
            .filter(|(a, _)| *a == who.id)
            .map(|(_, l)| l.as_str())
            .collect()
    };
    let (a, b, k) = (picks(&ann), picks(&bob), picks(&cat));
    assert_eq!((a.len(), b.len(), k.len()), (9, 1, 10));
    assert_eq!(kind_of[b[0]], "witness_testimony");
    assert_eq!(kind_of[a[0]], "witness_testimony");
    for sampled in [0, 20, 21] {
        assert!(!view
            .proposal
            .iter()
            .any(|(_, l)| *l == learners[sampled].id));
    }
}
both_backends!(the_plan_of_a_seeded_centre_follows_the_strategy);
