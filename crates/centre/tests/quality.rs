//! Quality assurance end to end on a real centre: who may sample, the refusal of an IQA
//! sampling their own decisions, snapshots that later edits do not change, verdicts, actions
//! for assessors, and every step in the audit log.

mod common;

use common::{batch, change, decided_learner, evidence, Backend, Centre};
use pocketfolio_centre::db::accounts::{Account, Role};
use pocketfolio_centre::error::ApiError;
use pocketfolio_centre::services::{self, Actor, QaError};
use pocketfolio_core::model::{AssessorStatus, DeviceId};
use pocketfolio_core::quality::{ActionState, QaRole, QualityError, Verdict, VerdictInput};
use pocketfolio_core::sync::protocol::ChangeBody;
use reqwest::StatusCode;

const C1: &str = "negotiate/lo1/ac1.1";
const C2: &str = "negotiate/lo1/ac1.2";
const DAY: i64 = 86_400_000;

async fn grant_iqa(c: &Centre, admin: &Account, who: &str) {
    services::roles::grant(&c.state.db, Actor::Account(admin), who, QaRole::Iqa)
        .await
        .unwrap();
}

async fn audit_seq(c: &Centre) -> i64 {
    c.state.db.get_audit_head().await.unwrap().seq
}

fn verdict<'a>(
    item: &'a str,
    criterion: &'a str,
    v: Verdict,
    feedback: &'a str,
    due: Option<i64>,
) -> VerdictInput<'a> {
    VerdictInput {
        evidence_id: item,
        criterion,
        verdict: v,
        feedback,
        due_ms: due,
    }
}

async fn only_an_iqa_samples_and_never_their_own_decisions(backend: Backend) {
    let c = Centre::start(backend).await;
    let db = &c.state.db;
    let admin = c.account(Role::Admin, "root").await;
    let ann = c.account(Role::Assessor, "ann").await;
    let bob = c.account(Role::Assessor, "bob").await;
    let (lee, _, _) = decided_learner(&c, "lee", &ann).await;

    // Bob assesses but is not an IQA.
    let before = audit_seq(&c).await;
    let err = services::samples::start(db, &bob, &lee.id)
        .await
        .unwrap_err();
    assert!(matches!(err, QaError::Rule(QualityError::NotIqa)), "{err}");
    assert_eq!(ApiError::from(err).status(), StatusCode::FORBIDDEN);

    // Ann is an assessor and an IQA: she may sample, but not the decisions she made.
    grant_iqa(&c, &admin, "ann").await;
    let roles = services::roles::roles_of(db, &ann).await.unwrap();
    assert_eq!(roles.roles(), &[QaRole::Assessor, QaRole::Iqa]);
    let before = audit_seq(&c).await.max(before);
    let err = services::samples::start(db, &ann, &lee.id)
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "You made assessment decisions on \u{201c}Served a customer\u{201d}, so you cannot \
         sample them; another IQA must."
    );
    assert_eq!(ApiError::from(err).status(), StatusCode::CONFLICT);
    assert_eq!(audit_seq(&c).await, before, "a refusal records nothing");
    assert!(db.get_samples().await.unwrap().is_empty());

    // Nobody but the administrator grants or takes away roles.
    for who in [&ann, &bob, &lee] {
        let err = services::roles::grant(db, Actor::Account(who), "bob", QaRole::Iqa)
            .await
            .unwrap_err();
        assert_eq!(ApiError::from(err).status(), StatusCode::FORBIDDEN);
        let err = services::roles::revoke(db, Actor::Account(who), "ann", QaRole::Iqa)
            .await
            .unwrap_err();
        assert_eq!(ApiError::from(err).status(), StatusCode::FORBIDDEN);
    }
    // A learner holds no other role.
    let err = services::roles::grant(db, Actor::Account(&admin), "lee", QaRole::Iqa)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("holds no other role"), "{err}");

    // Bob, once an IQA, may sample Ann's decisions.
    grant_iqa(&c, &admin, "bob").await;
    let sample = services::samples::start(db, &bob, &lee.id).await.unwrap();
    assert_eq!(sample.iqa_id, bob.id);
    let kinds: Vec<String> = db
        .get_audit(50)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for kind in ["role.grant", "qa.sample.start"] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} not recorded");
    }
}
both_backends!(only_an_iqa_samples_and_never_their_own_decisions);

async fn a_snapshot_stays_as_the_iqa_saw_it(backend: Backend) {
    let c = Centre::start(backend).await;
    let db = &c.state.db;
    let admin = c.account(Role::Admin, "root").await;
    let ann = c.account(Role::Assessor, "ann").await;
    let ivy = c.account(Role::Assessor, "ivy").await;
    grant_iqa(&c, &admin, "ivy").await;
    let (lee, token, item) = decided_learner(&c, "lee", &ann).await;
    let row = services::samples::start(db, &ivy, &lee.id).await.unwrap();
    let frozen = services::samples::get(db, &ivy, &row.id)
        .await
        .unwrap()
        .snapshot;
    assert_eq!(frozen.items.len(), 1);
    assert_eq!(frozen.items[0].decided_by, vec![ann.id.clone()]);
    assert_eq!(frozen.decisions().len(), 2);

    // The learner edits the live item on a tablet (which reopens it) and the assessor decides
    // again.
    let tablet = DeviceId::new_at(8);
    let mut edited = evidence(item, "Served two customers", 1_700_000_100_000, tablet);
    edited
        .fields
        .insert("situation".into(), "Rewritten afterwards".into());
    edited.submissions = 2;
    let put = ChangeBody::EvidencePut(edited);
    let (status, body) = c
        .push(&token, &batch(tablet, 1, vec![change(1, put)]))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let referred = AssessorStatus::ReferredBack;
    services::evidence::decide(
        db,
        &ann,
        &lee.id,
        &item.to_string(),
        referred,
        "Changed my mind.",
    )
    .await
    .unwrap();
    let live = db
        .get_evidence(&ann.scope(), &lee.id, &item.to_string())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(live.title, "Served two customers");

    // The sample still shows what the IQA saw.
    let again = services::samples::get(db, &ivy, &row.id)
        .await
        .unwrap()
        .snapshot;
    assert_eq!(again, frozen);
    let seen = &again.items[0].item;
    assert_eq!(seen.title, "Served a customer");
    assert_eq!(seen.assessor_status, Some(AssessorStatus::Accepted));
    assert_eq!(
        seen.feedback.as_deref(),
        Some("Clear account of the customer's needs.")
    );
    assert_eq!(seen.signed_off, vec![C1.to_string()]);

    // An edit of the stored snapshot itself is caught by its digest.
    sqlx::query(
        "UPDATE qa_samples SET snapshot = REPLACE(snapshot, 'Served a customer', 'Served nobody')",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let err = services::samples::get(db, &ivy, &row.id).await.unwrap_err();
    assert!(
        matches!(err, QaError::Rule(QualityError::SnapshotAltered)),
        "{err}"
    );
}
both_backends!(a_snapshot_stays_as_the_iqa_saw_it);

async fn a_disagreement_raises_an_action_the_assessor_answers_and_the_iqa_closes(backend: Backend) {
    let c = Centre::start(backend).await;
    let db = &c.state.db;
    let admin = c.account(Role::Admin, "root").await;
    let ann = c.account(Role::Assessor, "ann").await;
    let bob = c.account(Role::Assessor, "bob").await;
    let ivy = c.account(Role::Assessor, "ivy").await;
    grant_iqa(&c, &admin, "ivy").await;
    grant_iqa(&c, &admin, "bob").await;
    let (lee, _, item) = decided_learner(&c, "lee", &ann).await;
    let sample = services::samples::start(db, &ivy, &lee.id).await.unwrap();
    let id = item.to_string();
    let now = pocketfolio_centre::db::now_ms();

    // Only the sample's IQA gives verdicts, only on decisions in it, disagreeing with reasons.
    let agree = verdict(&id, C1, Verdict::Agree, "", None);
    let err = services::samples::give_verdict(db, &bob, &sample.id, &agree)
        .await
        .unwrap_err();
    assert_eq!(ApiError::from(err).status(), StatusCode::FORBIDDEN);
    let stranger = verdict(&id, "negotiate/lo2/ac2.1", Verdict::Agree, "", None);
    let err = services::samples::give_verdict(db, &ivy, &sample.id, &stranger)
        .await
        .unwrap_err();
    assert!(
        matches!(err, QaError::Rule(QualityError::NotInSample)),
        "{err}"
    );
    let silent = verdict(&id, C2, Verdict::Disagree, " ", Some(now + 7 * DAY));
    let err = services::samples::give_verdict(db, &ivy, &sample.id, &silent)
        .await
        .unwrap_err();
    assert_eq!(
        ApiError::from(err).status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let undated = verdict(&id, C2, Verdict::Disagree, "Not observed.", None);
    let err = services::samples::give_verdict(db, &ivy, &sample.id, &undated)
        .await
        .unwrap_err();
    assert!(
        matches!(err, QaError::Rule(QualityError::DueDateNeeded)),
        "{err}"
    );

    services::samples::give_verdict(db, &ivy, &sample.id, &agree)
        .await
        .unwrap();
    let disagree = verdict(
        &id,
        C2,
        Verdict::Disagree,
        "Not observed: ask for a witness.",
        Some(now + 7 * DAY),
    );
    services::samples::give_verdict(db, &ivy, &sample.id, &disagree)
        .await
        .unwrap();
    let err = services::samples::give_verdict(db, &ivy, &sample.id, &agree)
        .await
        .unwrap_err();
    assert!(
        matches!(err, QaError::Rule(QualityError::VerdictGiven)),
        "{err}"
    );
    let verdicts = db.get_verdicts(&sample.id).await.unwrap();
    assert_eq!(verdicts.len(), 2);

    // The disagreement asks Ann, who decided, to act by the due date.
    let actions = services::qa_actions::for_assessor(db, &ann).await.unwrap();
    assert_eq!(actions.len(), 1);
    let action = &actions[0];
    assert_eq!(
        (action.criterion.as_str(), action.state),
        (C2, ActionState::Open)
    );
    assert_eq!(action.request, "Not observed: ask for a witness.");
    assert_eq!(action.due_ms, now + 7 * DAY);
    assert!(services::qa_actions::for_assessor(db, &bob)
        .await
        .unwrap()
        .is_empty());

    // Nobody else moves it; the steps keep their order.
    let err = services::qa_actions::answer(db, &bob, &action.id, "Done")
        .await
        .unwrap_err();
    assert_eq!(ApiError::from(err).status(), StatusCode::NOT_FOUND);
    let err = services::qa_actions::close(db, &ivy, &action.id)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not answered"), "{err}");
    let err = services::qa_actions::close(db, &ann, &action.id)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Only the IQA"), "{err}");
    let answered = services::qa_actions::answer(db, &ann, &action.id, "Witness statement added.")
        .await
        .unwrap();
    assert_eq!(answered.state, ActionState::Answered);
    assert_eq!(answered.answer, "Witness statement added.");
    let reopened = services::qa_actions::reopen(db, &ivy, &action.id)
        .await
        .unwrap();
    assert_eq!(reopened.state, ActionState::Open);
    services::qa_actions::answer(db, &ann, &action.id, "Witness statement signed.")
        .await
        .unwrap();
    let closed = services::qa_actions::close(db, &ivy, &action.id)
        .await
        .unwrap();
    assert_eq!(closed.state, ActionState::Closed);
    assert_eq!(closed.answer, "Witness statement signed.");
    assert!(closed.closed_ms.is_some());

    // Ivy signs, typing her name; then the sample is final.
    let err = services::samples::sign(db, &ivy, &sample.id, "Someone Else")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Type your name"), "{err}");
    let err = services::samples::sign(db, &bob, &sample.id, "bob name")
        .await
        .unwrap_err();
    assert_eq!(ApiError::from(err).status(), StatusCode::FORBIDDEN);
    services::samples::sign(db, &ivy, &sample.id, "ivy name")
        .await
        .unwrap();
    let record = services::samples::record(db, &ivy, &sample.id)
        .await
        .unwrap();
    assert_eq!(
        pocketfolio_core::quality::signature_holds(&record),
        Some(true)
    );
    let event = record.signature.as_ref().unwrap();
    assert_eq!(event.signer.account_id.as_deref(), Some(ivy.id.as_str()));
    let err = services::samples::sign(db, &ivy, &sample.id, "ivy name")
        .await
        .unwrap_err();
    assert!(matches!(err, QaError::Rule(QualityError::Signed)), "{err}");
    let late = verdict(&id, C1, Verdict::Agree, "", None);
    let err = services::samples::give_verdict(db, &ivy, &sample.id, &late)
        .await
        .unwrap_err();
    assert!(matches!(err, QaError::Rule(QualityError::Signed)), "{err}");

    // Every step is in the log, which still verifies.
    let kinds: Vec<String> = db
        .get_audit(100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    let count = |k: &str| kinds.iter().filter(|x| *x == k).count();
    assert_eq!(count("qa.verdict"), 2);
    assert_eq!(count("qa.action.answer"), 2);
    assert_eq!(count("qa.action.reopen"), 1);
    assert_eq!(count("qa.action.close"), 1);
    assert_eq!(count("qa.sample.sign"), 1);
    assert!(services::audit::verify(db).await.unwrap().is_ok());
}
both_backends!(a_disagreement_raises_an_action_the_assessor_answers_and_the_iqa_closes);

/// The same journey on the pages: the admin makes Ivy an IQA, Ivy samples and disagrees, Ann
/// answers on her Quality page, Ivy closes it, and the report says all of it.
async fn the_pages_run_a_sample_from_start_to_closed_action(backend: Backend) {
    use common::browser::Browser;
    let c = Centre::start(backend).await;
    c.account(Role::Admin, "root").await;
    let ann = c.account(Role::Assessor, "ann").await;
    c.account(Role::Assessor, "ivy").await;
    let (lee, _, item) = decided_learner(&c, "lee", &ann).await;

    let mut root = Browser::new(&c);
    root.sign_in("root").await;
    let csrf = root.csrf().await;
    let p = root.get("/admin/accounts/ivy").await;
    assert!(p.body.contains("Make an IQA too"), "{}", p.body);
    let p = root
        .post(
            "/admin/roles/grant",
            &[("csrf", &csrf), ("username", "ivy"), ("role", "iqa")],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    let p = root.get("/admin/accounts/ivy").await;
    assert!(
        p.body.contains("assessor, internal quality assurer (IQA)"),
        "{}",
        p.body
    );

    // Ann is no IQA: she sees no sampling form, and a forged post is refused.
    let mut ann_b = Browser::new(&c);
    ann_b.sign_in("ann").await;
    let ann_csrf = ann_b.csrf().await;
    assert!(!ann_b
        .get("/quality")
        .await
        .body
        .contains("Start the sample"));
    let p = ann_b
        .post(
            "/quality/samples",
            &[("csrf", &ann_csrf), ("learner", &lee.id)],
        )
        .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);

    let mut ivy = Browser::new(&c);
    ivy.sign_in("ivy").await;
    let ivy_csrf = ivy.csrf().await;
    let home = ivy.get("/quality").await;
    assert!(home.body.contains("lee name (lee)"), "{}", home.body);
    let p = ivy
        .post(
            "/quality/samples",
            &[("csrf", &ivy_csrf), ("learner", &lee.id)],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let at = p.headers["location"].to_str().unwrap().to_string();
    let page = ivy.get(&at).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body.matches("Record the verdict").count(), 2);
    let id = item.to_string();
    let p = ivy
        .post(
            &format!("{at}/verdict"),
            &[
                ("csrf", &ivy_csrf),
                ("evidence", &id),
                ("criterion", C1),
                ("verdict", "agree"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    // A disagreement without a due date is refused with the core's sentence.
    let p = ivy
        .post(
            &format!("{at}/verdict"),
            &[
                ("csrf", &ivy_csrf),
                ("evidence", &id),
                ("criterion", C2),
                ("verdict", "disagree"),
                ("feedback", "No witness."),
                ("due", ""),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("due date"), "{}", p.body);
    let due = (chrono::Utc::now() + chrono::Duration::days(14))
        .format("%Y-%m-%d")
        .to_string();
    let p = ivy
        .post(
            &format!("{at}/verdict"),
            &[
                ("csrf", &ivy_csrf),
                ("evidence", &id),
                ("criterion", C2),
                ("verdict", "disagree"),
                ("feedback", "No witness."),
                ("due", &due),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);

    // Ann answers on her Quality page.
    let mine = ann_b.get("/quality").await;
    assert!(
        mine.body.contains("The IQA asks: No witness."),
        "{}",
        mine.body
    );
    let action = services::qa_actions::for_assessor(&c.state.db, &ann)
        .await
        .unwrap()
        .remove(0);
    let p = ann_b
        .post(
            &format!("/quality/actions/{}/answer", action.id),
            &[
                ("csrf", &ann_csrf),
                ("answer", "Added a witness statement."),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let page = ivy.get(&at).await;
    assert!(page.body.contains("Close the action"), "{}", page.body);
    let p = ivy
        .post(
            &format!("/quality/actions/{}/close", action.id),
            &[("csrf", &ivy_csrf)],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);

    let report = ivy.get(&format!("{at}/report.html")).await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(report.body.contains("Added a witness statement."));
    assert!(report.body.contains(">Closed ("), "{}", report.body);
    assert!(!report.body.contains("<script"));
    // Ivy signs, and the page and the report say so.
    let page = ivy.get(&at).await;
    assert!(page.body.contains("Sign the sample"), "{}", page.body);
    let p = ivy
        .post(
            &format!("{at}/sign"),
            &[("csrf", &ivy_csrf), ("typed_name", "ivy name")],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let page = ivy.get(&at).await;
    assert!(
        page.body
            .contains("The signature verifies against this record."),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Record the verdict"));
    let report = ivy.get(&format!("{at}/report.html")).await;
    assert!(
        report.body.contains("Signed by ivy name on"),
        "{}",
        report.body
    );
    // Ann, not an IQA, cannot read the sample.
    assert_eq!(ann_b.get(&at).await.status, StatusCode::NOT_FOUND);
}
both_backends!(the_pages_run_a_sample_from_start_to_closed_action);
