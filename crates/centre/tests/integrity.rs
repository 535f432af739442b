//! Issue 19 defects 1–3: the centre enforces the evidence lifecycle itself, by the core's
//! rules. A version made after the accepted one reopens the item (never silently replaces what
//! was assessed); sign-offs stand only on the accepted submission, for criteria the learner is
//! enrolled on; deleting submitted evidence withdraws it, visibly.

mod common;

use common::browser::{hidden, Browser};
use common::{batch, change, evidence, Backend, Centre};
use pocketfolio_centre::db::accounts::{Account, Role};
use pocketfolio_centre::error::ApiError;
use pocketfolio_centre::services;
use pocketfolio_core::model::{AssessorStatus, DeviceId, EvidenceId, Stage};
use pocketfolio_core::sync::protocol::{ChangeBody, EvidenceRecord, PullBody, PullResponse};
use reqwest::StatusCode;

const CLAIMED: &str = "negotiate/lo1/ac1.1";

/// A centre with assessor ann and learner lee (enrolled on proqual-cs-l2), and lee's phone
/// having pushed item 5 (submitted once, stamped 10 s into 2023).
struct Setup {
    c: Centre,
    ann: Account,
    lee: Account,
    token: String,
    phone: DeviceId,
    item: EvidenceId,
    first: EvidenceRecord,
}

const T: i64 = 1_700_000_010_000;

async fn setup(backend: Backend) -> Setup {
    let c = Centre::start(backend).await;
    let ann = c.account(Role::Assessor, "ann").await;
    let (lee, token) = c.learner("lee", Some(&ann)).await;
    c.state
        .db
        .add_enrolment(&lee.id, "proqual-cs-l2")
        .await
        .unwrap();
    let phone = DeviceId::new_at(1);
    let item = EvidenceId::new_at(5);
    let first = evidence(item, "Kettle returns", T, phone);
    let (s, _) = c
        .push(
            &token,
            &batch(
                phone,
                1,
                vec![change(1, ChangeBody::EvidencePut(first.clone()))],
            ),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    Setup {
        c,
        ann,
        lee,
        token,
        phone,
        item,
        first,
    }
}

impl Setup {
    fn path(&self) -> String {
        format!("/learners/{}/evidence/{}", self.lee.id, self.item)
    }

    async fn decide(
        &self,
        status: AssessorStatus,
    ) -> pocketfolio_core::sync::protocol::AssessmentRecord {
        services::evidence::decide(
            &self.c.state.db,
            &self.ann,
            &self.lee.id,
            &self.item.to_string(),
            status,
            "Noted.",
        )
        .await
        .map_err(ApiError::from)
        .unwrap()
    }

    async fn view(&self) -> pocketfolio_centre::db::evidence::EvidenceView {
        self.c
            .state
            .db
            .get_evidence(&self.ann.scope(), &self.lee.id, &self.item.to_string())
            .await
            .unwrap()
            .expect("the assessor sees the item")
    }

    async fn signed_off(&self) -> Vec<String> {
        self.c
            .state
            .db
            .get_signed_off(&self.ann.scope(), &self.lee.id)
            .await
            .unwrap()
            .into_iter()
            .map(|(c, _)| c)
            .collect()
    }

    /// Ann signs in and signs `criterion` off on the item page; the response status.
    async fn sign_off(&self, b: &mut Browser<'_>, criterion: &str) -> StatusCode {
        let page = b.get(&self.path()).await;
        let csrf = hidden(&page.body, "csrf");
        b.post(
            &format!("{}/sign-off", self.path()),
            &[("csrf", &csrf), ("criterion", criterion)],
        )
        .await
        .status
    }

    /// Another device of lee's pushes `body` as its first change.
    async fn push_from(&self, device: DeviceId, seq: u64, body: ChangeBody) {
        let (s, body) = self
            .c
            .push(&self.token, &batch(device, seq, vec![change(seq, body)]))
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
    }
}

/// Defect 1: a learner version made after the accepted one (a second device that submitted
/// the same draft offline, or a modified client) used to replace the assessed content while
/// the item stayed Accepted and signed off. Now it reopens the item: a new submission in the
/// queue, the accepted version kept in history, the sign-off no longer counted.
async fn a_version_made_after_acceptance_reopens_the_item(backend: Backend) {
    let s = setup(backend).await;
    let accepted = s.decide(AssessorStatus::Accepted).await;
    assert_eq!(
        accepted.version,
        Some(s.first.hlc),
        "names the version decided"
    );
    let mut b = Browser::new(&s.c);
    b.sign_in("ann").await;
    assert_eq!(s.sign_off(&mut b, CLAIMED).await, StatusCode::SEE_OTHER);
    assert_eq!(s.signed_off().await, vec![CLAIMED.to_string()]);

    let tablet = DeviceId::new_at(2);
    let mut later = evidence(s.item, "SWAPPED after sign-off", T + 60_000, tablet);
    later
        .fields
        .insert("situation".into(), "COMPLETELY DIFFERENT TEXT".into());
    s.push_from(tablet, 1, ChangeBody::EvidencePut(later)).await;

    let view = s.view().await;
    assert_eq!(view.stage, Stage::Resubmitted, "back with the assessor");
    let queue = s.c.state.db.get_queue(&s.ann.scope()).await.unwrap();
    assert_eq!(queue.len(), 1, "in the queue again");
    assert!(
        s.signed_off().await.is_empty(),
        "the sign-off no longer counts"
    );
    let history =
        s.c.state
            .db
            .get_history(&s.ann.scope(), &s.lee.id, &s.item.to_string())
            .await
            .unwrap();
    let reopened = history.last().unwrap();
    assert!(
        reopened
            .summary
            .starts_with("Changed after it was accepted"),
        "{}",
        reopened.summary
    );
    assert!(
        reopened.detail.contains("Kettle returns") && reopened.detail.contains("SWAPPED"),
        "the accepted version is kept beside the new one: {}",
        reopened.detail
    );
    let page = b.get(&s.path()).await;
    assert!(
        page.body.contains("Status: <strong>Resubmitted</strong>"),
        "{}",
        page.body
    );
    assert!(!page
        .body
        .contains("<span class=\"signed\">Signed off</span>"));
    let matrix = b
        .get(&format!("/learners/{}/matrix/negotiate", s.lee.id))
        .await;
    assert!(!matrix.body.contains(">Signed off<"), "{}", matrix.body);

    // The assessor decides on the new version; the old sign-off does not come back with it.
    let again = s.decide(AssessorStatus::Accepted).await;
    assert_eq!(again.submission, 2);
    assert!(again.criteria_signed_off.is_empty());
    assert_eq!(s.view().await.stage, Stage::Accepted);
    // An earlier version arriving late changes nothing.
    let stale = evidence(s.item, "Stale", T - 5_000, DeviceId::new_at(3));
    s.push_from(DeviceId::new_at(3), 1, ChangeBody::EvidencePut(stale))
        .await;
    assert_eq!(s.view().await.stage, Stage::Accepted);
    assert_eq!(s.view().await.title, "SWAPPED after sign-off");
}
both_backends!(a_version_made_after_acceptance_reopens_the_item);

/// Defect 2: sign-off only for criteria in the content pack and in a unit of a qualification
/// the learner is enrolled on (422, nothing stored), never on a referred-back item (409), and
/// a new decision does not carry earlier sign-offs.
async fn sign_off_needs_an_enrolled_criterion_and_the_accepted_submission(backend: Backend) {
    let mut s = setup(backend).await;
    // Claim a criterion of a qualification lee is not enrolled on, and one in no pack.
    s.first.criteria = vec![
        CLAIMED.into(),
        "retail-relationships/lo1/ac1.1".into(),
        "no/such/criterion".into(),
    ];
    s.first.hlc.counter = 1;
    let phone = s.phone;
    s.push_from(phone, 2, ChangeBody::EvidencePut(s.first.clone()))
        .await;
    let mut b = Browser::new(&s.c);
    b.sign_in("ann").await;
    s.decide(AssessorStatus::ReferredBack).await;
    assert_eq!(s.sign_off(&mut b, CLAIMED).await, StatusCode::CONFLICT);
    let mut resent = s.first.clone();
    resent.submissions = 2;
    resent.hlc.wall_ms += 1_000;
    s.push_from(phone, 3, ChangeBody::EvidencePut(resent)).await;
    s.decide(AssessorStatus::Accepted).await;
    for outside in ["retail-relationships/lo1/ac1.1", "no/such/criterion"] {
        assert_eq!(
            s.sign_off(&mut b, outside).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{outside}"
        );
    }
    assert!(s.signed_off().await.is_empty(), "nothing stored");
    assert!(s.view().await.signed_off.is_empty());
    assert_eq!(s.sign_off(&mut b, CLAIMED).await, StatusCode::SEE_OTHER);
    assert_eq!(s.signed_off().await, vec![CLAIMED.to_string()]);
}
both_backends!(sign_off_needs_an_enrolled_criterion_and_the_accepted_submission);

/// A withdrawal names the version withdrawn. A version from a second device that never saw
/// the withdrawal (the item had been referred back, so it could still edit) used to merge
/// into the withdrawn item: still Withdrawn, showing the newer content. Whichever arrives
/// first, the withdrawn content stands, the second device's push is taken (its outbox is not
/// wedged) and the item is not back in the queue.
async fn a_version_made_after_a_withdrawal_does_not_replace_it(backend: Backend) {
    for withdrawal_first in [true, false] {
        let s = setup(backend).await;
        s.decide(AssessorStatus::ReferredBack).await;
        let tablet = DeviceId::new_at(2);
        let mut later = s.first.clone();
        later.title = "The tablet's later words".into();
        later.submissions = 2;
        later.hlc.wall_ms += 60_000;
        later.hlc.node = tablet.0;
        let withdrawal = ChangeBody::EvidenceWithdrawn(s.first.clone());
        if withdrawal_first {
            s.push_from(s.phone, 2, withdrawal).await;
            s.push_from(tablet, 1, ChangeBody::EvidencePut(later)).await;
        } else {
            s.push_from(tablet, 1, ChangeBody::EvidencePut(later)).await;
            s.push_from(s.phone, 2, withdrawal).await;
        }
        let view = s.view().await;
        assert_eq!(
            view.stage,
            Stage::Withdrawn,
            "withdrawal first: {withdrawal_first}"
        );
        assert_eq!(
            view.title, "Kettle returns",
            "withdrawal first: {withdrawal_first}"
        );
        assert!(s
            .c
            .state
            .db
            .get_queue(&s.ann.scope())
            .await
            .unwrap()
            .is_empty());
    }
}
both_backends!(a_version_made_after_a_withdrawal_does_not_replace_it);

/// Defect 3: deleting accepted, signed-off evidence used to hide it from every page, the
/// matrix and the ZIP. Now it is withdrawn: kept and shown as withdrawn everywhere (not in
/// the queue), its sign-off shown as resting on withdrawn evidence and no longer counted. A
/// draft is still deleted outright.
async fn deleting_submitted_evidence_withdraws_it_visibly(backend: Backend) {
    let s = setup(backend).await;
    s.decide(AssessorStatus::Accepted).await;
    let mut b = Browser::new(&s.c);
    b.sign_in("ann").await;
    assert_eq!(s.sign_off(&mut b, CLAIMED).await, StatusCode::SEE_OTHER);
    s.push_from(s.phone, 2, ChangeBody::EvidenceDeleted(s.item))
        .await;

    let view = s.view().await;
    assert_eq!(view.stage, Stage::Withdrawn);
    assert!(view.withdrawn_ms.is_some(), "dated");
    assert!(s
        .c
        .state
        .db
        .get_queue(&s.ann.scope())
        .await
        .unwrap()
        .is_empty());
    assert!(s.signed_off().await.is_empty(), "no longer counted");
    let listed =
        s.c.state
            .db
            .get_learner_evidence(&s.ann.scope(), &s.lee.id)
            .await
            .unwrap();
    assert_eq!(listed.len(), 1);
    let learner_page = b.get(&format!("/learners/{}", s.lee.id)).await;
    assert!(
        learner_page.body.contains("Kettle returns") && learner_page.body.contains("Withdrawn")
    );
    let page = b.get(&s.path()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Status: <strong>Withdrawn</strong>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Signed off on withdrawn evidence"));
    let matrix = b
        .get(&format!("/learners/{}/matrix/negotiate", s.lee.id))
        .await;
    assert!(
        matrix.body.contains("Signed off on withdrawn evidence"),
        "{}",
        matrix.body
    );
    let r =
        s.c.client
            .get(s.c.url(&format!("/learners/{}/portfolio.zip", s.lee.id)))
            .header("cookie", b.cookie_header())
            .send()
            .await
            .unwrap();
    let bytes = r.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut index = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("index.html").unwrap(), &mut index).unwrap();
    assert!(
        index.contains("Kettle returns") && index.contains("Withdrawn"),
        "{index}"
    );
    assert!(
        index.contains("Signed off on withdrawn evidence"),
        "{index}"
    );
    // Nothing more can be decided on it.
    let err = services::evidence::decide(
        &s.c.state.db,
        &s.ann,
        &s.lee.id,
        &s.item.to_string(),
        AssessorStatus::ReferredBack,
        "x",
    )
    .await
    .map_err(ApiError::from)
    .unwrap_err();
    assert_eq!(err.status(), 409, "{err}");

    // A draft is deleted outright.
    let draft_id = EvidenceId::new_at(6);
    let mut draft = evidence(draft_id, "Scribble", T, s.phone);
    draft.learner_status = "draft".into();
    draft.submissions = 0;
    s.push_from(s.phone, 3, ChangeBody::EvidencePut(draft))
        .await;
    s.push_from(s.phone, 4, ChangeBody::EvidenceDeleted(draft_id))
        .await;
    let gone =
        s.c.state
            .db
            .get_evidence(&s.ann.scope(), &s.lee.id, &draft_id.to_string())
            .await
            .unwrap();
    assert!(gone.is_none());
}
both_backends!(deleting_submitted_evidence_withdraws_it_visibly);

/// A deletion made on a device that held only the draft, arriving before another device's
/// submission of it: the outcome is the one every device reaches (withdrawn), whatever the
/// order they arrive in.
async fn a_deletion_before_the_submission_arrives_still_withdraws(backend: Backend) {
    let s = setup(backend).await;
    let other = EvidenceId::new_at(7);
    let mut draft = evidence(other, "Two devices", T, s.phone);
    draft.learner_status = "draft".into();
    draft.submissions = 0;
    s.push_from(s.phone, 2, ChangeBody::EvidencePut(draft))
        .await;
    s.push_from(s.phone, 3, ChangeBody::EvidenceDeleted(other))
        .await;
    let tablet = DeviceId::new_at(2);
    let sent = evidence(other, "Two devices", T + 1_000, tablet);
    s.push_from(tablet, 1, ChangeBody::EvidencePut(sent)).await;
    let view =
        s.c.state
            .db
            .get_evidence(&s.ann.scope(), &s.lee.id, &other.to_string())
            .await
            .unwrap()
            .expect("kept");
    assert_eq!(view.stage, Stage::Withdrawn);
    // The phone's pull carries all three, so it reaches the same stage.
    let (_, body) =
        s.c.get(
            &s.token,
            &format!("/v1/sync/pull?since=0&device_id={}", DeviceId::new_at(9)),
        )
        .await;
    let pulled: PullResponse = serde_json::from_value(body).unwrap();
    let stream: Vec<_> = pulled
        .changes
        .into_iter()
        .filter(|c| matches!(c.body, PullBody::Learner(_)))
        .collect();
    let life = pocketfolio_core::sync::rules::lifecycle_in_stream(&stream, other);
    assert_eq!(life.map(|l| l.stage()), Some(Stage::Withdrawn));
}
both_backends!(a_deletion_before_the_submission_arrives_still_withdraws);
