//! Wire types, defined once and used by both the app and the centre server.
//!
//! Every local change is recorded as a [`Change`] in the outbox, in the same transaction as the
//! change itself. A device numbers its changes 1, 2, 3 … (`seq`); the centre applies each
//! change at most once, by (device, seq), and the change id makes replays harmless.

use super::hlc::Hlc;
use crate::apprenticeship::{EmployerCheck, HoursDecision, HoursEntry, Programme};
use crate::model::{
    AssessorStatus, CardId, ChangeId, DeckId, DeviceId, EvidenceId, HoursEntryId, LearnerStatus,
    NoteFields, NoteId, ReviewEvent, ReviewId, ReviewLog, Settings,
};
use crate::signing::SignatureEvent;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One change from one device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The device's sequence number for it (1, 2, 3 …).
    pub seq: u64,
    /// Globally unique.
    pub id: ChangeId,
    /// When it was made, on the device's clock (ms).
    pub time_ms: i64,
    /// What changed.
    pub body: ChangeBody,
}

/// What a change does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", content = "v", rename_all = "snake_case")]
pub enum ChangeBody {
    /// A review-log entry (answer or manual scheduling event). Logs are a set: union by id.
    Review(ReviewRecord),
    /// A review-log entry was undone.
    ReviewUndone(ReviewId),
    /// A deck was created or renamed.
    DeckPut(DeckRecord),
    /// A deck and its notes were deleted (tombstone).
    DeckDeleted(DeckId),
    /// A note was created or edited.
    NotePut(NoteRecord),
    /// A note and its cards were deleted (tombstone).
    NoteDeleted(NoteId),
    /// The learner's fields of an evidence item changed.
    EvidencePut(EvidenceRecord),
    /// An evidence item was deleted (tombstone). Devices send it for drafts; from older
    /// devices it also withdraws a submitted item, whose later versions then keep merging.
    EvidenceDeleted(EvidenceId),
    /// The learner withdrew a submitted item at this version of it (its stamp is the clock
    /// stamp it withdrew at): every node keeps exactly this version, shown as withdrawn, and
    /// applies no other version of the item after it, whenever that arrives (see
    /// [`super::rules::withdrawal_wins`]); two withdrawals of one version join their
    /// signature logs ([`super::rules::WithdrawalMerge::SameVersion`]).
    EvidenceWithdrawn(EvidenceRecord),
    /// The learner's settings changed.
    SettingsPut(SettingsRecord),
    /// An off-the-job hours entry was logged or changed.
    HoursPut(HoursRecord),
    /// An hours entry was deleted (tombstone).
    HoursDeleted(HoursEntryId),
    /// The learner signed a progress review on the device. The centre takes the signature
    /// only when it fits the review's log as the centre holds it (the learner's turn, made on
    /// the review as it stands); otherwise the next pull brings the review back to sign again.
    ReviewSigned(Box<ReviewSignature>),
    /// The learner signed the declaration of authenticity: their signature event, naming the
    /// version signed. The one that stands is the latest version, then the latest stamp
    /// ([`super::rules::declaration_wins`]), so a new device or a reinstall learns which
    /// version the learner signed.
    DeclarationSigned(Box<SignatureEvent>),
    /// The learner acknowledged their assessor's sign-off of a unit on the device. The centre
    /// takes it only when it fits the sign-off's log as the centre holds it
    /// (`UnitSignOff::take_acknowledgement`); otherwise it is left out and the next pull
    /// brings the sign-off back as it stands.
    UnitAcknowledged(Box<UnitAcknowledgement>),
    /// The public half of the key this device seals its portfolio exports with, so the
    /// centre can say whose device sealed an export it is shown. Sent when the device makes
    /// its key (and by devices that made one before this change existed). The centre keeps
    /// every key a device registered, the latest standing; other devices ignore it.
    ExportKeyRegistered(ExportKeyRecord),
    /// The knowledge strength of one of the learner's units as the device worked it out
    /// (`crate::strength`), at most once a day: the centre holds the review log but not the
    /// device's cards, so it keeps these to show how knowledge moved between progress reviews.
    /// Devices ignore it in a pull.
    StrengthMeasured(crate::strength::UnitStrength),
}

/// A device's export key, as it registers it with the centre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportKeyRecord {
    /// The Ed25519 public key, 64 hex digits (as the device's export seals carry it).
    pub public_key: String,
}

/// The learner's acknowledgement of a unit's sign-off, made on the device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitAcknowledgement {
    /// The unit.
    pub unit_id: String,
    /// The signature event, made by the core's signing rules.
    pub event: crate::signing::SignatureEvent,
}

/// The learner's signature of a progress review, made on the device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewSignature {
    /// The review signed.
    pub review_id: crate::model::ProgressReviewId,
    /// The signature event, made by the core's signing rules.
    pub event: crate::signing::SignatureEvent,
}

impl ChangeBody {
    /// The attachments (SHA-256s) a change names: the centre must hold each before it takes
    /// the change.
    pub fn attachment_hashes(&self) -> impl Iterator<Item = &str> {
        let attachments = match self {
            ChangeBody::EvidencePut(e) | ChangeBody::EvidenceWithdrawn(e) => {
                e.attachments.as_slice()
            }
            _ => &[],
        };
        attachments.iter().map(|(sha, _)| sha.as_str())
    }
}

/// A review-log entry as a JSON array: a day's work is hundreds of these, so no field names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewRecord(
    /// Id.
    pub ReviewId,
    /// Card.
    pub CardId,
    /// Time (ms).
    pub i64,
    /// Event kind (1–4 answer rating, 10+ manual).
    pub u8,
    /// Event value (days for "set due").
    pub u32,
    /// Duration (ms).
    pub u32,
    /// Device.
    pub DeviceId,
    /// UTC offset (minutes).
    pub i32,
    /// Desired retention used.
    pub f32,
);

impl From<&ReviewLog> for ReviewRecord {
    fn from(log: &ReviewLog) -> Self {
        let (kind, value) = log.event.to_code();
        ReviewRecord(
            log.id,
            log.card_id,
            log.time_ms,
            kind,
            value,
            log.duration_ms,
            log.device_id,
            log.tz_offset_min,
            log.retention,
        )
    }
}

impl ReviewRecord {
    /// Back to a log entry; `None` for an unknown event kind.
    pub fn to_log(&self) -> Option<ReviewLog> {
        Some(ReviewLog {
            id: self.0,
            card_id: self.1,
            time_ms: self.2,
            event: ReviewEvent::from_code(self.3, self.4)?,
            duration_ms: self.5,
            device_id: self.6,
            tz_offset_min: self.7,
            retention: self.8,
            undone: false,
        })
    }
}

/// A wire record whose versions are ordered by a clock stamp; [`super::rules::remote_wins`]
/// compares two of them.
pub trait Versioned {
    /// The stamp of this version.
    fn hlc(&self) -> Hlc;
}

macro_rules! versioned {
    ($($t:ty),*) => {$(
        impl Versioned for $t {
            fn hlc(&self) -> Hlc {
                self.hlc
            }
        }
    )*};
}
versioned!(
    DeckRecord,
    SettingsRecord,
    NoteRecord,
    EvidenceRecord,
    HoursRecord
);

/// A deck on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeckRecord {
    /// Id.
    pub id: DeckId,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Orders concurrent edits: the higher stamp wins.
    pub hlc: Hlc,
}

/// The learner's settings on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingsRecord {
    /// The settings.
    pub settings: Settings,
    /// Orders concurrent edits: the higher stamp wins.
    pub hlc: Hlc,
}

/// A note on the wire, with the ids of the cards it makes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoteRecord {
    /// Id.
    pub id: NoteId,
    /// Deck.
    pub deck_id: DeckId,
    /// Fields.
    pub fields: NoteFields,
    /// Tags.
    pub tags: Vec<String>,
    /// Criteria it serves.
    pub criteria: Vec<String>,
    /// Its cards: (ord, id).
    pub cards: Vec<(u16, CardId)>,
    /// Orders concurrent edits: the higher stamp wins.
    pub hlc: Hlc,
}

/// The learner-owned part of an evidence item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceRecord {
    /// Id.
    pub id: EvidenceId,
    /// Kind (snake case).
    pub kind: String,
    /// Template.
    pub template_id: Option<String>,
    /// Title.
    pub title: String,
    /// Fields.
    pub fields: BTreeMap<String, String>,
    /// Criteria claimed.
    pub criteria: Vec<String>,
    /// Attachments' SHA-256s and file names.
    pub attachments: Vec<(String, String)>,
    /// Where it was gathered or assessed (snake case, see `model::AssessmentLocation`); absent
    /// when not said, and from phones made before it was asked. Text rather than the enum, as
    /// `kind` is, so an unknown location is refused by the push's validation with a sentence
    /// naming the field rather than by the JSON decoder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// "draft" or "submitted".
    pub learner_status: String,
    /// How many times the learner has sent it for assessment (absent from versions made
    /// before it was counted; see [`EvidenceRecord::submission_count`]).
    #[serde(default)]
    pub submissions: u32,
    /// When changed (ms).
    pub updated_ms: i64,
    /// Orders concurrent learner edits: the higher stamp wins.
    pub hlc: Hlc,
}

impl EvidenceRecord {
    /// The learner's status this version states.
    pub fn learner_status(&self) -> LearnerStatus {
        if self.learner_status == "submitted" || self.submissions > 0 {
            LearnerStatus::Submitted
        } else {
            LearnerStatus::Draft
        }
    }

    /// Times submitted; a version from before counting that says "submitted" counts one.
    pub fn submission_count(&self) -> u32 {
        match self.learner_status() {
            LearnerStatus::Submitted => self.submissions.max(1),
            LearnerStatus::Draft => 0,
        }
    }
}

/// A version of an off-the-job hours entry: every version is kept by the centre (who, when,
/// before and after), and the assessor's decision names the one it was about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursRecord {
    /// The entry as the learner logged it.
    pub entry: HoursEntry,
    /// When changed (ms, the device's clock).
    pub updated_ms: i64,
    /// Orders concurrent edits: the higher stamp wins.
    pub hlc: Hlc,
}

/// The assessor-owned part of an evidence item, sent from the centre to the learner's devices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentRecord {
    /// The item.
    pub evidence_id: EvidenceId,
    /// The decision.
    pub status: AssessorStatus,
    /// Written feedback.
    pub feedback: String,
    /// Criteria the assessor has signed off with this item.
    pub criteria_signed_off: Vec<String>,
    /// The assessor's display name.
    pub assessor: String,
    /// When decided (ms, centre clock).
    pub time_ms: i64,
    /// The submission decided (1 for the first; absent, and read as 1, from centres that did
    /// not count).
    #[serde(default)]
    pub submission: u32,
    /// The stamp of the learner's version decided on: a version with the same submission
    /// count stamped later reopens an accepted item (see `evidence::Lifecycle::reopened`).
    /// Absent from decisions made before it was recorded: those never reopen (comparing the
    /// centre's stamp with a device's would reopen items wherever that device's clock ran
    /// fast), and read as they always did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<Hlc>,
    /// Orders concurrent assessor edits.
    pub hlc: Hlc,
    /// The assessor's signature of this decision, which each device adds to the item's
    /// signature log (absent when the decision was not signed: a centre from before, an
    /// item the learner had not declared, a witness testimony referred back).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<Box<crate::signing::SignatureEvent>>,
}

/// A witness's answer to the request to confirm their testimony, made on the centre.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WitnessAnswer {
    /// The testimony.
    pub evidence_id: EvidenceId,
    /// The answer's signature event (`confirmation` says confirmed or disputed, and why).
    pub event: Box<crate::signing::SignatureEvent>,
}

/// `POST /v1/sync/push`: a device's next outbox changes, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    /// The pushing device.
    pub device_id: DeviceId,
    /// `seq` of the first change; must be at most the centre's `last_seq + 1`.
    pub first_seq: u64,
    /// The changes, with consecutive `seq`s from `first_seq`.
    pub changes: Vec<Change>,
}

/// The reply to a push: every change up to `last_seq` is stored and the device may forget it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    /// The highest `seq` the centre has from this device.
    pub last_seq: u64,
}

/// The 409 reply when a push would leave a gap: send from `expected_seq`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushGap {
    /// The next `seq` the centre needs.
    pub expected_seq: u64,
}

/// The 409 reply when a push names attachments the centre lacks: upload these, then retry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingBlobs {
    /// SHA-256s to `PUT /v1/blobs/{sha256}` first.
    pub missing: Vec<String>,
}

/// The path of an attachment: `PUT` stores it (whole, or one `Content-Range` chunk), `GET`
/// fetches it.
pub fn blob_path(sha256: &str) -> String {
    format!("/v1/blobs/{sha256}")
}

/// The path that tells where an upload of an attachment stands ([`UploadStatus`]).
pub fn upload_status_path(sha256: &str) -> String {
    format!("/v1/blobs/{sha256}/upload")
}

/// `GET /v1/blobs/{sha256}/upload`: how much of an attachment the centre holds for the
/// signed-in learner. Asking finishes an upload whose bytes have all arrived, so `complete`
/// is the only signal a client needs; otherwise it sends from `received`. Also the body of a
/// chunk's reply (202, or 416 when the chunk was out of place).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadStatus {
    /// Bytes held contiguously from the start of the file.
    pub received: u64,
    /// True when the whole file is stored and recorded as the learner's.
    #[serde(default)]
    pub complete: bool,
}

/// Who a pulled change came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// Another (or this) device of the learner.
    Device {
        /// The device.
        device_id: DeviceId,
    },
    /// The learner's assessor.
    Assessor,
    /// The centre itself (e.g. fitted scheduler parameters).
    Centre,
}

/// What a pulled change carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", content = "v", rename_all = "snake_case")]
pub enum PullBody {
    /// A learner change made on a device.
    Learner(ChangeBody),
    /// An assessor's decision on an evidence item.
    Assessment(AssessmentRecord),
    /// The assessor confirmed or rejected an hours entry.
    HoursDecision(HoursDecision),
    /// The employer confirmed or queried an hours entry through their one-time link.
    EmployerCheck(EmployerCheck),
    /// A witness answered the centre's one-time link: their confirmation or dispute of the
    /// testimony they signed, which each device adds to the item's signature log.
    WitnessAnswer(WitnessAnswer),
    /// FSRS parameters the centre fitted from the learner's reviews.
    Parameters {
        /// The 21 FSRS-6 parameters.
        parameters: Vec<f32>,
        /// Reviews they were fitted from.
        review_count: u64,
        /// When fitted (ms).
        fitted_ms: i64,
    },
    /// A kind of change this version of the app does not know, from a newer centre (see
    /// [`PulledChange::body`]). Skipped (the cursor moves past it), so an app a learner has
    /// not updated keeps syncing instead of failing every pull from that change on. Never
    /// sent.
    #[serde(skip)]
    Unknown,
}

/// One change in a pull page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PulledChange {
    /// Position in the learner's server-ordered stream.
    pub cursor: u64,
    /// Where it came from.
    pub origin: Origin,
    /// What it is; [`PullBody::Unknown`] when it names a kind (or a choice inside it) this
    /// version does not know.
    #[serde(deserialize_with = "body_or_unknown")]
    pub body: PullBody,
    /// When a device's change was made, on that device's clock (ms): a withdrawal shows this
    /// time on every device, not when it arrived. Absent for changes the centre made and from
    /// centres and stream rows that predate it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub made_ms: Option<i64>,
}

/// A pulled change's body, or [`PullBody::Unknown`] when it cannot be read because it names
/// a variant this version lacks; any other fault in it is still an error. The body is taken
/// as its raw text and read once (a page of 1,000 changes used to be built as a tree of
/// values first and then read from that tree).
fn body_or_unknown<'de, D: serde::Deserializer<'de>>(d: D) -> Result<PullBody, D::Error> {
    use serde::de::Error;
    let raw = Box::<serde_json::value::RawValue>::deserialize(d)?;
    match serde_json::from_str(raw.get()) {
        Ok(body) => Ok(body),
        // serde's words for a variant name it was not built with.
        Err(e) if e.to_string().starts_with("unknown variant") => Ok(PullBody::Unknown),
        Err(e) => Err(D::Error::custom(e)),
    }
}

/// `GET /v1/sync/pull?since=CURSOR&limit=N`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    /// Changes after `since`, in server order.
    pub changes: Vec<PulledChange>,
    /// The cursor to ask from next time (store it with the applied changes).
    pub cursor: u64,
    /// True when more pages wait.
    pub more: bool,
    /// The learner's enrolment as the centre holds it now, on every page (it is small). Absent
    /// from centres that don't send one and when the learner is not enrolled; clients that
    /// predate it ignore it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrolment: Option<EnrolmentRecord>,
    /// The awarding body's references for criteria as the centre has loaded them, on every
    /// page (a few kilobytes); an empty list when it has none. Absent only from centres that
    /// predate them, and then the device keeps what it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub official: Option<OfficialRecord>,
    /// The apprentice's programme as the provider set it (start, plan, breaks, gateway), on
    /// every page; absent when the learner is not an apprentice or the centre predates it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programme: Option<Programme>,
    /// The days the apprentice's progress reviews were held, with the programme, so the phone
    /// shows when the next is due or that it is overdue; absent with no programme, and then
    /// the device keeps what it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviews_held: Option<Vec<chrono::NaiveDate>>,
    /// The apprentice's progress reviews with their signature logs, oldest first, so the
    /// learner reads and signs them on the phone; absent with no programme, and then the
    /// device keeps what it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress_reviews: Option<Vec<crate::apprenticeship::SignedReview>>,
    /// Every unit the assessor has signed off for the learner, with its signature log, so the
    /// learner acknowledges it on the phone; absent from centres that predate sign-offs, and
    /// then the device keeps what it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_sign_offs: Option<Vec<crate::unit_sign_off::UnitSignOff>>,
    /// The kinds of change this centre takes in a push (`super::kinds::known_kinds`), on
    /// every page, so the phone leaves out housekeeping it would refuse. Absent from centres
    /// that predate the list: they take `super::kinds::BASELINE_KINDS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_kinds: Option<Vec<String>>,
}

/// The centre's official references on the wire: they replace whatever the device held.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficialRecord {
    /// One per criterion the centre has a reference for.
    pub references: Vec<OfficialReference>,
    /// When the centre last loaded them (ms, centre clock).
    pub updated_ms: i64,
}

/// One criterion's reference in the awarding body's specification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficialReference {
    /// The pack's criterion id, e.g. `negotiate/lo2/ac2.2`.
    pub criterion: String,
    /// The awarding body's unit reference, e.g. "R/650/1234".
    pub unit_ref: String,
    /// The awarding body's criterion reference, e.g. "AC 2.3".
    pub reference: String,
    /// The criterion's text in the specification.
    pub text: String,
}

/// The learner's enrolment on the wire: it replaces whatever the device held, including a
/// choice the learner made on the device before a centre enrolled them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentRecord {
    /// Qualification ids.
    pub qualifications: Vec<String>,
    /// The units taken (the centre resolves "all units" before sending).
    pub units: Vec<String>,
    /// When the centre last changed it (ms, centre clock).
    pub updated_ms: i64,
}

/// The JSON body of every API error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    /// A sentence saying what went wrong.
    pub error: String,
    /// The request field at fault, when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// What a centre accepts, shared by the centre, the in-memory centre and the client. A change
/// past any of these is refused (422) naming its field; see [`super::validate`].
pub mod limits {
    /// Most changes in one push.
    pub const MAX_PUSH_CHANGES: usize = 2_000;
    /// Most changes in one pull page.
    pub const MAX_PULL_CHANGES: u64 = 1_000;
    /// A pull page stops once its changes hold this many bytes of JSON (it always carries at
    /// least one change, and one change is far smaller than this).
    pub const MAX_PULL_PAGE_BYTES: usize = 4 * 1024 * 1024;
    /// Highest sequence number (the centre stores them as signed 64-bit integers).
    pub const MAX_SEQ: u64 = i64::MAX as u64;
    /// How far ahead of the centre's clock a time or clock stamp may be (a week). A stamp far
    /// in the future would win every later merge; a phone whose clock is a day or two fast
    /// (and the devices whose stamps have moved past its stamps) must still sync.
    pub const MAX_CLOCK_AHEAD_MS: i64 = 7 * 24 * 3_600_000;
    /// Highest clock-stamp counter (devices add one to it; far below `u32::MAX`).
    pub const MAX_HLC_COUNTER: u32 = 1 << 24;
    /// Longest review duration the app records (it caps answers at an hour).
    pub const MAX_REVIEW_DURATION_MS: u32 = 3_600_000;
    /// Largest "set due" value in days (a hundred years).
    pub const MAX_SET_DUE_DAYS: u32 = 36_500;
    /// Largest UTC offset in minutes (±18 hours).
    pub const MAX_TZ_OFFSET_MIN: u32 = 18 * 60;
    /// Largest short name: deck names, tags, criterion ids, field names, file names (bytes).
    pub const MAX_NAME_BYTES: usize = 1_024;
    /// Most criteria in one unit's strength measure.
    pub const MAX_STRENGTH_CRITERIA: usize = 500;
    /// Largest evidence title (bytes).
    pub const MAX_TITLE_BYTES: usize = 4_096;
    /// Largest single text: a note side, a deck description, an evidence field (bytes).
    pub const MAX_TEXT_BYTES: usize = 256 * 1024;
    /// Largest total of an evidence item's fields (bytes).
    pub const MAX_EVIDENCE_TEXT_BYTES: usize = 1024 * 1024;
    /// Most fields in one evidence item.
    pub const MAX_FIELDS: usize = 100;
    /// Most criteria claimed by one item or note.
    pub const MAX_CRITERIA: usize = 500;
    /// Most tags on one note.
    pub const MAX_TAGS: usize = 100;
    /// Most cards one note makes.
    pub const MAX_CARDS_PER_NOTE: usize = 500;
    /// Most attachments on one evidence item.
    pub const MAX_ATTACHMENTS: usize = 200;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Rating;

    #[test]
    fn review_records_are_compact_arrays_and_round_trip() {
        let log = ReviewLog {
            id: ReviewId::new_at(5),
            card_id: CardId::new_at(1),
            time_ms: 5,
            event: ReviewEvent::Answer(Rating::Good),
            duration_ms: 4200,
            device_id: DeviceId::new_at(0),
            tz_offset_min: 60,
            retention: 0.9,
            undone: false,
        };
        let body = ChangeBody::Review(ReviewRecord::from(&log));
        let json = serde_json::to_string(&body).unwrap();
        assert!(json.starts_with(r#"{"t":"review","v":["#), "{json}");
        let back: ChangeBody = serde_json::from_str(&json).unwrap();
        let ChangeBody::Review(rec) = back else {
            panic!("wrong variant")
        };
        assert_eq!(rec.to_log().unwrap(), log);
    }
}
