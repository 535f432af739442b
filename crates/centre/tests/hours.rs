//! Apprentices' off-the-job hours on the centre, on SQLite and (with PF_TEST_POSTGRES_URL)
//! PostgreSQL: entries arrive by push with every version kept, the assessor confirms or
//! rejects them, and the decision goes back to the phone.

mod common;

use chrono::NaiveDate;
use common::{batch, change, Backend, Centre};
use pocketfolio_centre::db::accounts::Role;
use pocketfolio_core::apprenticeship::{Activity, HoursEntry};
use pocketfolio_core::model::{DeviceId, HoursEntryId};
use pocketfolio_core::sync::protocol::{ChangeBody, HoursRecord};
use pocketfolio_core::sync::Hlc;
use reqwest::StatusCode;

fn version(id: HoursEntryId, minutes: u16, hlc_ms: i64, device: DeviceId) -> HoursRecord {
    HoursRecord {
        entry: HoursEntry {
            id,
            date: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            start_min: 9 * 60,
            duration_min: minutes,
            activity: Activity::Shadowing,
            description: "Shadowed the team leader on returns".into(),
            evidence: vec![],
            cards: vec![],
        },
        updated_ms: hlc_ms,
        hlc: Hlc {
            wall_ms: hlc_ms,
            counter: 0,
            node: device.0,
        },
    }
}

/// (action, minutes before, minutes after) of each history row, in arrival order.
async fn history(c: &Centre, entry: HoursEntryId) -> Vec<(String, Option<i64>, Option<i64>)> {
    let rows: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT action, before_record, after_record FROM hours_history WHERE entry_id = $1 \
         ORDER BY id",
    )
    .bind(entry.to_string())
    .fetch_all(&c.state.db.pool)
    .await
    .unwrap();
    let minutes = |r: Option<String>| {
        r.map(|t| {
            serde_json::from_str::<HoursRecord>(&t)
                .unwrap()
                .entry
                .duration_min as i64
        })
    };
    rows.into_iter()
        .map(|(a, b, af)| (a, minutes(b), minutes(af)))
        .collect()
}

async fn every_version_pushed_is_kept_and_the_latest_stands(backend: Backend) {
    let c = Centre::start(backend).await;
    let assessor = c.account(Role::Assessor, "ash").await;
    let (_, token) = c.learner("lee", Some(&assessor)).await;
    let phone = DeviceId::new_at(1);
    let id = HoursEntryId::new_at(1);
    let t = 1_700_000_000_000;
    let changes = vec![
        change(1, ChangeBody::HoursPut(version(id, 60, t, phone))),
        change(2, ChangeBody::HoursPut(version(id, 90, t + 2_000, phone))),
        // An edit made earlier on another device, arriving late: kept, but it does not stand.
        change(
            3,
            ChangeBody::HoursPut(version(id, 75, t + 1_000, DeviceId::new_at(2))),
        ),
    ];
    let (status, body) = c.push(&token, &batch(phone, 1, changes)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (minutes, state): (i64, String) =
        sqlx::query_as("SELECT minutes, state FROM hours_entries WHERE id = $1")
            .bind(id.to_string())
            .fetch_one(&c.state.db.pool)
            .await
            .unwrap();
    assert_eq!((minutes, state.as_str()), (90, "pending"));
    assert_eq!(
        history(&c, id).await,
        vec![
            ("logged".into(), None, Some(60)),
            ("changed".into(), Some(60), Some(90)),
            ("superseded".into(), Some(90), Some(75)),
        ]
    );
    let (status, _) = c
        .push(
            &token,
            &batch(phone, 4, vec![change(4, ChangeBody::HoursDeleted(id))]),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let late = version(id, 30, t + 9_000, phone);
    let (status, _) = c
        .push(
            &token,
            &batch(phone, 5, vec![change(5, ChangeBody::HoursPut(late))]),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (deleted, record): (i64, Option<String>) =
        sqlx::query_as("SELECT deleted, record FROM hours_entries WHERE id = $1")
            .bind(id.to_string())
            .fetch_one(&c.state.db.pool)
            .await
            .unwrap();
    assert_eq!(
        (deleted, record),
        (1, None),
        "a deletion wins over a later edit"
    );
    let actions: Vec<String> = history(&c, id).await.into_iter().map(|h| h.0).collect();
    assert_eq!(actions[3..], ["deleted", "superseded"]);
}
both_backends!(every_version_pushed_is_kept_and_the_latest_stands);

async fn the_assessor_confirms_and_rejects_with_history_audit_and_the_phone_hears(
    backend: Backend,
) {
    use pocketfolio_centre::services::hours;
    use pocketfolio_core::apprenticeship::{Plan, Programme, Verdict, WorkingDay};
    use pocketfolio_core::sync::protocol::{PullBody, PullResponse};

    let c = Centre::start(backend).await;
    let assessor = c.account(Role::Assessor, "ash").await;
    let other = c.account(Role::Assessor, "oli").await;
    let (learner, token) = c.learner("lee", Some(&assessor)).await;
    let phone = DeviceId::new_at(1);
    let id = HoursEntryId::new_at(1);
    let t = 1_700_000_000_000;
    let changes = vec![change(1, ChangeBody::HoursPut(version(id, 90, t, phone)))];
    let (status, _) = c.push(&token, &batch(phone, 1, changes)).await;
    assert_eq!(status, StatusCode::OK);
    let entry = id.to_string();

    // Who may decide: the learner's assessor, not the learner, not another assessor.
    let db = &c.state.db;
    let err = hours::decide(db, &learner, &learner.id, &entry, Verdict::Confirmed, "")
        .await
        .unwrap_err();
    assert_eq!(err.status(), StatusCode::FORBIDDEN);
    let err = hours::decide(db, &other, &learner.id, &entry, Verdict::Confirmed, "")
        .await
        .unwrap_err();
    assert_eq!(err.status(), StatusCode::NOT_FOUND);
    let err = hours::decide(db, &assessor, &learner.id, &entry, Verdict::Rejected, "  ")
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Give a reason for rejecting these hours, so the learner knows what to put right."
    );

    hours::decide(
        db,
        &assessor,
        &learner.id,
        &entry,
        Verdict::Rejected,
        "That was normal work",
    )
    .await
    .unwrap();
    hours::decide(db, &assessor, &learner.id, &entry, Verdict::Confirmed, "")
        .await
        .unwrap();
    let actions: Vec<String> = history(&c, id).await.into_iter().map(|h| h.0).collect();
    assert_eq!(actions, ["logged", "rejected", "confirmed"]);
    let audited: Vec<(String,)> =
        sqlx::query_as("SELECT action FROM audit WHERE action LIKE 'hours.%' ORDER BY seq")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    assert_eq!(
        audited.into_iter().map(|a| a.0).collect::<Vec<_>>(),
        ["hours.reject", "hours.confirm"]
    );

    let programme = Programme {
        start: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
        planned_end: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        gateway: None,
        breaks: vec![],
        working_day: WorkingDay::default(),
        plan: Plan::Total { minutes: 187 * 60 },
    };
    hours::set_programme(db, &assessor, &learner.id, &programme)
        .await
        .unwrap();
    let (status, page) = c.get(&token, "/v1/sync/pull?since=0").await;
    assert_eq!(status, StatusCode::OK);
    let page: PullResponse = serde_json::from_value(page).unwrap();
    assert_eq!(page.programme, Some(programme));
    let decisions: Vec<Verdict> = page
        .changes
        .iter()
        .filter_map(|ch| match &ch.body {
            PullBody::HoursDecision(d) => Some(d.verdict),
            _ => None,
        })
        .collect();
    assert_eq!(decisions, [Verdict::Rejected, Verdict::Confirmed]);

    let view = hours::learner_hours(db, &assessor.scope(), &learner.id)
        .await
        .unwrap();
    assert_eq!(view.progress.as_ref().unwrap().confirmed, 90);
    let csv = String::from_utf8(hours::entries_csv(&[view]).unwrap()).unwrap();
    assert!(
        csv.contains(
            "2026-03-02,09:00,90,1.50,Shadowing,Shadowed the team leader on returns,Confirmed,ash"
        ),
        "{csv}"
    );

    // A later edit on the phone sends the entry back to the assessor.
    let changes = vec![change(
        2,
        ChangeBody::HoursPut(version(id, 120, t + 5_000, phone)),
    )];
    let (status, _) = c.push(&token, &batch(phone, 2, changes)).await;
    assert_eq!(status, StatusCode::OK);
    let view = hours::learner_hours(db, &assessor.scope(), &learner.id)
        .await
        .unwrap();
    let progress = view.progress.unwrap();
    assert_eq!((progress.confirmed, progress.pending), (0, 120));
}
both_backends!(the_assessor_confirms_and_rejects_with_history_audit_and_the_phone_hears);
