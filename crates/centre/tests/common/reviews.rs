//! Apprentices' progress reviews as the tests drive them: a programme to review against, the
//! reviews as the learner's phone pulls them, and the learner's signature made and pushed as
//! the phone makes it (the core's rules, a typed name).

use super::{batch, change, Centre};
use chrono::{Duration, NaiveDate, Utc};
use pocketfolio_centre::services::progress_reviews::ReviewInput;
use pocketfolio_core::apprenticeship::{Plan, Programme, SignedReview, WorkingDay};
use pocketfolio_core::model::DeviceId;
use pocketfolio_core::signing::{Made, Mark, SignRequest, Signer, SignerRole};
use pocketfolio_core::sync::protocol::{ChangeBody, ReviewSignature};
use pocketfolio_core::sync::Hlc;
use reqwest::StatusCode;

/// A programme that started 100 days before `today` (after August 2025, so reviews fall every
/// three calendar months) and ends 300 days after it, with 187 hours planned.
pub fn programme(today: NaiveDate) -> Programme {
    Programme {
        start: today - Duration::days(100),
        planned_end: today + Duration::days(300),
        gateway: None,
        breaks: vec![],
        working_day: WorkingDay::default(),
        plan: Plan::Total { minutes: 187 * 60 },
    }
}

/// A review held on `held_on` that sets `targets`.
pub fn input(held_on: NaiveDate, targets: &str) -> ReviewInput {
    ReviewInput {
        held_on,
        progress: "Finished the negotiation unit".into(),
        targets: targets.into(),
        comments: String::new(),
    }
}

/// The reviews as the learner's phone pulls them.
pub async fn pulled(c: &Centre, token: &str) -> Vec<SignedReview> {
    let (status, page) = c.get(token, "/v1/sync/pull?since=0").await;
    assert_eq!(status, StatusCode::OK);
    serde_json::from_value(page["progress_reviews"].clone()).unwrap()
}

/// The learner's signature on `review` as their phone makes it now.
pub fn learner_signs(review: &SignedReview, phone: DeviceId) -> ReviewSignature {
    let mut on_phone = review.clone();
    let now = Utc::now().timestamp_millis();
    let event = on_phone
        .sign(SignRequest {
            signer: Signer {
                role: SignerRole::Learner,
                name: "Lee Park".into(),
                account_id: None,
                witness: None,
            },
            mark: Some(Mark::Typed {
                name: "Lee Park".into(),
            }),
            declaration: None,
            made: Made {
                device_ms: now,
                hlc: Hlc::tick(review.signatures.last().map(|e| e.hlc), now, phone.0),
                device: phone.0.to_string(),
            },
        })
        .unwrap();
    ReviewSignature {
        review_id: review.review.id,
        event,
    }
}

/// The learner signs the first review they pulled on their phone, which pushes the signature
/// as its change `seq`.
pub async fn push_learner_signature(c: &Centre, token: &str, seq: u64) {
    let phone = DeviceId::new_at(1);
    let signature = learner_signs(&pulled(c, token).await[0], phone);
    let signed = ChangeBody::ReviewSigned(Box::new(signature));
    let (status, body) = c
        .push(token, &batch(phone, seq, vec![change(seq, signed)]))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
