//! An item's assessment location end to end at the centre: pushed by a phone (and absent from
//! an old phone's push), refused with a sentence when unknown, pulled back by the learner's
//! other device, shown on the item page and in the portfolio export, and counted in the
//! sampling plan's location rows, whose gaps the proposed sample fills.

mod common;

use common::{batch, change, evidence, Backend, Centre};
use pocketfolio_centre::db::accounts::{Account, Role};
use pocketfolio_centre::services;
use pocketfolio_core::model::{AssessorStatus, DeviceId, EvidenceId};
use pocketfolio_core::quality::LOCATION_NOT_RECORDED;
use pocketfolio_core::sync::protocol::{ChangeBody, PullBody, PullResponse};
use reqwest::StatusCode;
use std::io::Read;

const QUALIFICATION: &str = "proqual-cs-l2";
const T: i64 = 1_700_000_000_000;

/// Learner `name` of `assessor`, enrolled, with item `n` gathered at `location` (none: an old
/// phone that never sends the field), accepted by `assessor`.
async fn seed(
    c: &Centre,
    name: &str,
    n: i64,
    location: Option<&str>,
    assessor: &Account,
) -> (Account, String, EvidenceId) {
    let (learner, token) = c.learner(name, Some(assessor)).await;
    let phone = DeviceId::new_at(n);
    let item = EvidenceId::new_at(n);
    let mut record = evidence(item, &format!("Item {n}"), T, phone);
    record.location = location.map(str::to_string);
    let (status, body) = c
        .push(
            &token,
            &batch(phone, 1, vec![change(1, ChangeBody::EvidencePut(record))]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let db = &c.state.db;
    db.add_enrolment(&learner.id, QUALIFICATION).await.unwrap();
    services::evidence::decide(
        db,
        assessor,
        &learner.id,
        &item.to_string(),
        AssessorStatus::Accepted,
        "Fine.",
    )
    .await
    .unwrap();
    (learner, token, item)
}

async fn a_location_travels_from_the_phone_to_every_centre_surface(backend: Backend) {
    let c = Centre::start(backend).await;
    let db = &c.state.db;
    let admin = c.account(Role::Admin, "root").await;
    let ann = c.account(Role::Assessor, "ann").await;
    let ivy = c.iqa(&admin, "ivy").await;
    // Ann's three learners: one at work, one from an old phone that never says, one remote
    // (added last, so her id is the highest: the proposal's tie-break would not pick her).
    let (work, _, _) = seed(&c, "wendy", 1, Some("workplace"), &ann).await;
    let (unsaid, _, unsaid_item) = seed(&c, "olga", 3, None, &ann).await;
    let (remote, remote_token, remote_item) = seed(&c, "rita", 2, Some("remote"), &ann).await;

    // A location the centre does not know is refused, naming the field, and stores nothing.
    let phone = DeviceId::new_at(9);
    let mut odd = evidence(EvidenceId::new_at(9), "Odd", T, phone);
    odd.location = Some("on the moon".into());
    let (status, body) = c
        .push(
            &remote_token,
            &batch(phone, 1, vec![change(1, ChangeBody::EvidencePut(odd))]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("location"), "{body}");
    assert!(
        body.to_string().contains("not an assessment location"),
        "{body}"
    );

    // The learner's other device pulls the item with its location.
    let tablet = DeviceId::new_at(99);
    let (status, body) = c
        .get(
            &remote_token,
            &format!("/v1/sync/pull?since=0&device_id={tablet}"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let page: PullResponse = serde_json::from_value(body).unwrap();
    let pulled: Vec<Option<String>> = page
        .changes
        .iter()
        .filter_map(|ch| match &ch.body {
            PullBody::Learner(ChangeBody::EvidencePut(r)) => Some(r.location.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(pulled, vec![Some("remote".to_string())]);

    // The item page says where; an old phone's item says it was not recorded.
    let cookie = c.page_cookie("ann").await;
    let item_page = |learner: &Account, item: EvidenceId| {
        let url = c.url(&format!("/learners/{}/evidence/{item}", learner.id));
        let cookie = cookie.clone();
        let client = c.client.clone();
        async move {
            let r = client
                .get(url)
                .header("cookie", cookie)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            r.text().await.unwrap()
        }
    };
    assert!(item_page(&remote, remote_item)
        .await
        .contains(r#"<span id="location">Location: Remote</span>"#));
    assert!(item_page(&unsaid, unsaid_item)
        .await
        .contains(r#"<span id="location">Location not recorded</span>"#));

    // The portfolio export carries it, in the item's data and on its page.
    let r = c
        .client
        .get(c.url(&format!("/learners/{}/portfolio.zip", remote.id)))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut index = String::new();
    zip.by_name("index.html")
        .unwrap()
        .read_to_string(&mut index)
        .unwrap();
    assert!(index.contains("Location: Remote"), "{index}");

    // Ivy samples Wendy (at work). The grid: each place assessed planned once, the remote
    // one uncovered; the old phone's item counted as not recorded, planned never.
    services::samples::start(db, &ivy, &work.id).await.unwrap();
    let view = services::plans::plan(db, &c.state.content, &ivy, QUALIFICATION, 0, i64::MAX)
        .await
        .unwrap();
    let rows: Vec<(&str, u32, u32, u32, u32)> = view
        .grid
        .locations
        .iter()
        .map(|r| {
            (
                r.key.as_str(),
                r.decisions,
                r.planned,
                r.sampled,
                r.uncovered(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("workplace", 1, 1, 1, 0),
            ("remote", 1, 1, 0, 1),
            (LOCATION_NOT_RECORDED, 1, 0, 0, 0),
        ]
    );
    // Ann is new: half of three learners, rounded up, is two; one is sampled. Rita's and
    // Olga's items are alike but for where: Rita's fills the remote gap, so she is proposed.
    assert_eq!(
        view.proposal,
        vec![(ann.id.clone(), remote.id.clone())],
        "olga is {}",
        unsaid.id
    );

    // The plan page shows the rows by name.
    let ivy_cookie = c.page_cookie("ivy").await;
    let r = c
        .client
        .get(c.url(&format!("/quality/plan?qualification={QUALIFICATION}")))
        .header("cookie", ivy_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("<h3>Locations</h3>"), "{html}");
    assert!(html.contains("<td>Not recorded</td>"), "{html}");
    assert!(html.contains("<td>Remote</td>"), "{html}");
}
both_backends!(a_location_travels_from_the_phone_to_every_centre_surface);
