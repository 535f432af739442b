//! A centre in memory: the push/pull rules of the protocol and nothing else (no accounts, no
//! storage). Core tests use it to drive the sync client and to check merges converge; the real
//! centre is tested against the same client in the workspace's end-to-end tests.

use super::protocol::{
    ApiErrorBody, AssessmentRecord, EnrolmentRecord, MissingBlobs, Origin, PullBody, PullResponse,
    PulledChange, PushGap, PushRequest, PushResponse,
};
use super::transport::{PushOutcome, Transport, TransportError};
use super::{rules, Hlc};
use crate::apprenticeship::{EmployerCheck, EmployerVerdict, HoursDecision, Programme, Verdict};
use crate::model::{AssessorStatus, DeviceId, EvidenceId, HoursEntryId};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Shared state of the fake centre.
#[derive(Debug, Default)]
pub struct CentreState {
    last_seq: BTreeMap<DeviceId, u64>,
    log: Vec<PulledChange>,
    blobs: BTreeMap<String, Vec<u8>>,
    clock: Option<Hlc>,
    /// The latest device time it has been sent: its stand-in for a clock of its own.
    latest_ms: i64,
    enrolment: Option<EnrolmentRecord>,
    programme: Option<Programme>,
    reviews_held: Vec<chrono::NaiveDate>,
    progress_reviews: Vec<crate::apprenticeship::SignedReview>,
    unit_sign_offs: Vec<crate::unit_sign_off::UnitSignOff>,
    /// Plays a centre made before centres said which kinds they take: it takes only
    /// [`super::kinds::BASELINE_KINDS`], refuses a push holding any other kind as that
    /// centre's JSON reader did, and says nothing of kinds in its pulls.
    pub older: bool,
    /// Requests answered, for counting round trips.
    pub requests: usize,
}

impl CentreState {
    /// The learner's stream, in cursor order.
    pub fn log(&self) -> &[PulledChange] {
        &self.log
    }

    /// The last change the centre stored from `device` (0 when none).
    pub fn last_seq(&self, device: DeviceId) -> u64 {
        self.last_seq.get(&device).copied().unwrap_or(0)
    }

    /// Whether the centre holds the attachment.
    pub fn has_blob(&self, sha256: &str) -> bool {
        self.blobs.contains_key(sha256)
    }
}

/// One device's connection to a shared [`CentreState`], with fault injection.
#[derive(Debug, Clone)]
pub struct MemoryCentre {
    state: Arc<Mutex<CentreState>>,
    /// The next request is carried out but its reply is lost.
    pub drop_next_reply: bool,
    /// Every request fails as if offline.
    pub offline: bool,
}

impl MemoryCentre {
    /// A new, empty centre.
    pub fn new() -> MemoryCentre {
        MemoryCentre {
            state: Arc::default(),
            drop_next_reply: false,
            offline: false,
        }
    }

    /// A centre made before centres said which kinds they take (see [`CentreState::older`]).
    pub fn older() -> MemoryCentre {
        let centre = MemoryCentre::new();
        centre.state().older = true;
        centre
    }

    /// Another connection to the same centre (another device).
    pub fn connect(&self) -> MemoryCentre {
        MemoryCentre {
            state: self.state.clone(),
            drop_next_reply: false,
            offline: false,
        }
    }

    /// The provider records, edits or signs a progress review (with its log) on the centre:
    /// pulls with a programme carry every review.
    pub fn put_progress_review(&self, review: crate::apprenticeship::SignedReview) {
        let mut state = self.state();
        state
            .progress_reviews
            .retain(|r| r.review.id != review.review.id);
        state.progress_reviews.push(review);
    }

    /// The assessor signs a unit off on the centre: every pull carries every sign-off.
    pub fn put_unit_sign_off(&self, sign_off: crate::unit_sign_off::UnitSignOff) {
        let mut state = self.state();
        state
            .unit_sign_offs
            .retain(|s| s.unit_id != sign_off.unit_id);
        state.unit_sign_offs.push(sign_off);
    }

    /// The sign-offs as the centre holds them.
    pub fn unit_sign_offs(&self) -> Vec<crate::unit_sign_off::UnitSignOff> {
        self.state().unit_sign_offs.clone()
    }

    /// The reviews as the centre holds them.
    pub fn progress_reviews(&self) -> Vec<crate::apprenticeship::SignedReview> {
        self.state().progress_reviews.clone()
    }

    /// The shared state.
    pub fn state(&self) -> std::sync::MutexGuard<'_, CentreState> {
        self.state.lock().expect("centre state")
    }

    /// The centre enrols the learner: every later pull carries it (`None`: not enrolled).
    pub fn enrol(&self, enrolment: Option<EnrolmentRecord>) {
        self.state().enrolment = enrolment;
    }

    /// The provider records a progress review held on `day`: pulls with a programme carry it.
    pub fn hold_review(&self, day: chrono::NaiveDate) {
        self.state().reviews_held.push(day);
    }

    /// The provider sets the apprentice's programme: every later pull carries it.
    pub fn set_programme(&self, programme: Option<Programme>) {
        self.state().programme = programme;
    }

    /// The assessor confirms or rejects the version of an hours entry the centre holds now;
    /// false (and nothing happens) if it never arrived or was deleted.
    pub fn decide_hours(
        &self,
        entry_id: HoursEntryId,
        verdict: Verdict,
        reason: &str,
        now_ms: i64,
    ) -> bool {
        let mut state = self.state();
        let Some(version) = rules::hours_in_stream(&state.log, entry_id).map(|r| r.hlc) else {
            return false;
        };
        let hlc = Hlc::tick(state.clock, now_ms, uuid::Uuid::nil());
        state.clock = Some(hlc);
        let cursor = state.log.len() as u64 + 1;
        state.log.push(PulledChange {
            cursor,
            origin: Origin::Assessor,
            body: PullBody::HoursDecision(HoursDecision {
                entry_id,
                verdict,
                reason: reason.to_string(),
                assessor: "A. Assessor".into(),
                time_ms: now_ms,
                version,
                hlc,
            }),
            made_ms: None,
        });
        true
    }

    /// The employer confirms or queries, through their link, the version of an hours entry
    /// the centre holds now; false (and nothing happens) if it never arrived or was deleted.
    pub fn employer_checks_hours(
        &self,
        entry_id: HoursEntryId,
        verdict: EmployerVerdict,
        reason: &str,
        now_ms: i64,
    ) -> bool {
        let mut state = self.state();
        let Some(version) = rules::hours_in_stream(&state.log, entry_id).map(|r| r.hlc) else {
            return false;
        };
        let hlc = Hlc::tick(state.clock, now_ms, uuid::Uuid::nil());
        state.clock = Some(hlc);
        let cursor = state.log.len() as u64 + 1;
        state.log.push(PulledChange {
            cursor,
            origin: Origin::Centre,
            body: PullBody::EmployerCheck(EmployerCheck {
                entry_id,
                verdict,
                reason: reason.to_string(),
                employer: "E. Employer".into(),
                time_ms: now_ms,
                version,
                hlc,
            }),
            made_ms: None,
        });
        true
    }

    /// The assessor decides on an item; false (and nothing happens) if the centre has never
    /// received the item, since an assessor can only see what was pushed, or if the item is not
    /// waiting for a decision (a draft, or already decided).
    pub fn assess(
        &self,
        evidence_id: EvidenceId,
        status: AssessorStatus,
        feedback: &str,
        now_ms: i64,
    ) -> bool {
        let mut state = self.state();
        // The same lifecycle rule as the real centre: only an item with the assessor can be
        // decided, and the decision names the submission it is about.
        let Some(lifecycle) = rules::lifecycle_in_stream(&state.log, evidence_id) else {
            return false;
        };
        let Ok((next, _)) = lifecycle.decide(status) else {
            return false;
        };
        let submission = next.decision.map_or(0, |d| d.submission);
        let version = next.decision.and_then(|d| d.version);
        let hlc = Hlc::tick(state.clock, now_ms, uuid::Uuid::nil());
        state.clock = Some(hlc);
        // Signed as the real centre signs: after the learner's declaration, else not at all.
        let held: Vec<_> = state
            .log
            .iter()
            .filter_map(|c| match &c.body {
                PullBody::Assessment(a) if a.evidence_id == evidence_id => {
                    a.signature.as_deref().cloned()
                }
                _ => None,
            })
            .collect();
        let signature = rules::learner_version_in_stream(&state.log, evidence_id).and_then(|r| {
            let decider = crate::evidence::Decider {
                signer: crate::signing::Signer {
                    role: crate::signing::SignerRole::Assessor,
                    name: "A. Assessor".into(),
                    account_id: Some("assessor-1".into()),
                    witness: None,
                },
                now_ms,
                last_hlc: Some(hlc),
                node: uuid::Uuid::nil(),
            };
            crate::evidence::sign_decision(r, &held, decider, status)
                .ok()
                .flatten()
                .map(Box::new)
        });
        let cursor = state.log.len() as u64 + 1;
        state.log.push(PulledChange {
            cursor,
            origin: Origin::Assessor,
            body: PullBody::Assessment(AssessmentRecord {
                evidence_id,
                status,
                feedback: feedback.to_string(),
                criteria_signed_off: Vec::new(),
                assessor: "A. Assessor".into(),
                time_ms: now_ms,
                submission,
                version,
                hlc,
                signature,
            }),
            made_ms: None,
        });
        true
    }

    fn reply<T>(&mut self, value: T) -> Result<T, TransportError> {
        self.state().requests += 1;
        if std::mem::take(&mut self.drop_next_reply) {
            return Err(TransportError::Offline("the reply was lost".into()));
        }
        Ok(value)
    }

    /// An older centre's refusal of a push holding a kind it does not know, worded as that
    /// centre's JSON reader worded it.
    fn unknown_kind(&self, request: &PushRequest) -> Option<ApiErrorBody> {
        if !self.state().older {
            return None;
        }
        let (at, kind) = request
            .changes
            .iter()
            .map(|c| c.body.kind())
            .enumerate()
            .find(|(_, kind)| !super::kinds::BASELINE_KINDS.contains(&kind.as_str()))?;
        Some(ApiErrorBody {
            error: format!("The request body is not valid: unknown variant `{kind}`."),
            field: Some(format!("changes[{at}].body.t")),
        })
    }

    fn check_online(&self) -> Result<(), TransportError> {
        if self.offline {
            return Err(TransportError::Offline("no connection".into()));
        }
        Ok(())
    }
}

impl Default for MemoryCentre {
    fn default() -> Self {
        MemoryCentre::new()
    }
}

impl Transport for MemoryCentre {
    fn push(&mut self, request: &PushRequest) -> Result<PushOutcome, TransportError> {
        self.check_online()?;
        // The same checks as the real centre. It has no clock of its own: its time is the
        // newest device time it has been sent, now or before (so a device whose clock is slow
        // is judged by the others', as the real centre would judge it by its own).
        let newest = request.changes.iter().map(|c| c.time_ms).max().unwrap_or(0);
        let now = {
            let mut state = self.state();
            state.latest_ms = state.latest_ms.max(newest);
            state.latest_ms
        };
        if let Some(refusal) = self.unknown_kind(request) {
            return self.reply(PushOutcome::Refused(refusal));
        }
        if let Err(invalid) = super::validate::check_push(request, now) {
            return self.reply(PushOutcome::Refused(ApiErrorBody {
                error: invalid.message,
                field: Some(invalid.field),
            }));
        }
        let outcome = {
            let mut state = self.state();
            let last = state.last_seq.get(&request.device_id).copied().unwrap_or(0);
            let missing: Vec<String> = request
                .changes
                .iter()
                .filter(|c| c.seq > last)
                .flat_map(|c| c.body.attachment_hashes().map(str::to_string))
                .filter(|sha| !state.blobs.contains_key(sha))
                .collect();
            if request.first_seq > last + 1 {
                PushOutcome::Gap(PushGap {
                    expected_seq: last + 1,
                })
            } else if !missing.is_empty() {
                PushOutcome::MissingBlobs(MissingBlobs { missing })
            } else {
                let mut last_seq = last;
                for change in request.changes.iter().filter(|c| c.seq > last) {
                    let cursor = state.log.len() as u64 + 1;
                    state.log.push(PulledChange {
                        cursor,
                        origin: Origin::Device {
                            device_id: request.device_id,
                        },
                        body: PullBody::Learner(change.body.clone()),
                        made_ms: Some(change.time_ms),
                    });
                    last_seq = change.seq;
                    // The real centre's rule: the learner's signature is kept only if it fits.
                    if let crate::sync::protocol::ChangeBody::ReviewSigned(signed) = &change.body {
                        if let Some(review) = state
                            .progress_reviews
                            .iter_mut()
                            .find(|r| r.review.id == signed.review_id)
                        {
                            let _ = review.take_signature(
                                signed.event.clone(),
                                crate::signing::SignerRole::Learner,
                                "learner",
                            );
                        }
                    }
                    if let crate::sync::protocol::ChangeBody::UnitAcknowledged(ack) = &change.body {
                        if let Some(sign_off) = state
                            .unit_sign_offs
                            .iter_mut()
                            .find(|s| s.unit_id == ack.unit_id)
                        {
                            let _ = sign_off.take_acknowledgement(ack.event.clone(), "learner");
                        }
                    }
                }
                state.last_seq.insert(request.device_id, last_seq);
                PushOutcome::Accepted(PushResponse { last_seq })
            }
        };
        self.reply(outcome)
    }

    fn pull(&mut self, since: u64, limit: u32) -> Result<PullResponse, TransportError> {
        self.check_online()?;
        let page = {
            let state = self.state();
            let mut bytes = 0;
            let changes: Vec<PulledChange> = state
                .log
                .iter()
                .filter(|c| c.cursor > since)
                .take(limit as usize)
                .take_while(|c| {
                    // Like the real centre: a page stops at its byte cap, after one change.
                    let first = bytes == 0;
                    bytes += serde_json::to_string(c).map_or(0, |s| s.len());
                    first || bytes <= super::protocol::limits::MAX_PULL_PAGE_BYTES
                })
                .cloned()
                .collect();
            let cursor = changes.last().map_or(since, |c| c.cursor);
            PullResponse {
                more: state.log.len() as u64 > cursor,
                changes,
                cursor,
                enrolment: state.enrolment.clone(),
                official: None,
                programme: state.programme.clone(),
                reviews_held: state.programme.as_ref().map(|_| state.reviews_held.clone()),
                progress_reviews: state
                    .programme
                    .as_ref()
                    .map(|_| state.progress_reviews.clone()),
                unit_sign_offs: Some(state.unit_sign_offs.clone()),
                accepted_kinds: (!state.older).then(super::kinds::accepted_kinds),
            }
        };
        self.reply(page)
    }

    fn upload_blob(&mut self, sha256: &str, bytes: &[u8]) -> Result<(), TransportError> {
        self.check_online()?;
        self.state()
            .blobs
            .insert(sha256.to_string(), bytes.to_vec());
        self.reply(())
    }

    fn download_blob(&mut self, sha256: &str) -> Result<Vec<u8>, TransportError> {
        self.check_online()?;
        let bytes = self.state().blobs.get(sha256).cloned();
        match bytes {
            Some(bytes) => self.reply(bytes),
            None => Err(TransportError::Rejected(format!("no attachment {sha256}"))),
        }
    }
}

impl super::scenario::ScenarioCentre for MemoryCentre {
    type Link = MemoryCentre;
    fn connect(&self) -> MemoryCentre {
        MemoryCentre::connect(self)
    }
    fn assess(
        &self,
        item: EvidenceId,
        status: AssessorStatus,
        feedback: &str,
        now_ms: i64,
    ) -> bool {
        MemoryCentre::assess(self, item, status, feedback, now_ms)
    }
    fn stream_len(&self) -> usize {
        self.state().log.len()
    }
    fn last_seq(&self, device: DeviceId) -> u64 {
        self.state().last_seq(device)
    }
}
