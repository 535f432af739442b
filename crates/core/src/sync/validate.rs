//! Checks every field of every change a device sends, before a centre stores it.
//!
//! A centre must never accept what it cannot give back: a value that does not survive the
//! round trip (a retention of 1e39 is infinite as an `f32` and comes back as `null`), a text
//! one database refuses (PostgreSQL has no NUL in text), a clock stamp far in the future (that
//! edit would win every merge for ever) or a size no device needs. These rules are pure, so
//! the real centre and the in-memory one apply the same ones. The limits are in
//! [`protocol::limits`](super::protocol::limits).

use super::protocol::limits::*;
use super::protocol::{
    Change, ChangeBody, DeckRecord, EvidenceRecord, ExportKeyRecord, HoursRecord, NoteRecord,
    PushRequest, ReviewRecord, SettingsRecord,
};
use super::Hlc;
use crate::model::{AssessmentLocation, EvidenceKind, NoteFields};
use crate::signing::{SignatureEvent, SignerRole};
use crate::strength::UnitStrength;

/// Why a push was refused: the field at fault (as a path into the request) and a sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Invalid {
    /// Where, e.g. `changes[3].body.title`.
    pub field: String,
    /// What is wrong, in a sentence.
    pub message: String,
}

impl Invalid {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Invalid {
        Invalid {
            field: field.into(),
            message: message.into(),
        }
    }
}

type Checked = Result<(), Invalid>;

/// Checks a whole push at the centre's time `now_ms`: its numbering (with checked arithmetic)
/// and every change in it.
pub fn check_push(request: &PushRequest, now_ms: i64) -> Checked {
    if request.first_seq == 0 {
        return Err(Invalid::new("first_seq", "Sequence numbers start at 1."));
    }
    let count = request.changes.len() as u64;
    let last = count
        .checked_sub(1)
        .and_then(|n| request.first_seq.checked_add(n))
        .unwrap_or(request.first_seq);
    if last > MAX_SEQ {
        return Err(Invalid::new(
            "first_seq",
            format!("Sequence numbers must stay at most {MAX_SEQ}."),
        ));
    }
    let mut ids = std::collections::HashSet::with_capacity(request.changes.len());
    for (i, change) in request.changes.iter().enumerate() {
        let at = format!("changes[{i}]");
        if Some(change.seq) != request.first_seq.checked_add(i as u64) {
            return Err(Invalid::new(
                format!("{at}.seq"),
                "Changes must have consecutive sequence numbers from first_seq.",
            ));
        }
        // A change id names one change: a second change under it in the same push could be
        // neither stored beside the first nor skipped as its replay.
        if !ids.insert(change.id) {
            return Err(Invalid::new(
                format!("{at}.id"),
                "Two changes in this push have the same id; each change needs its own.",
            ));
        }
        check_change(change, now_ms, &at)?;
    }
    Ok(())
}

/// Checks one change; `at` is its path in the request (`changes[i]`).
pub fn check_change(change: &Change, now_ms: i64, at: &str) -> Checked {
    check_time(&format!("{at}.time_ms"), change.time_ms, now_ms)?;
    let at = format!("{at}.body");
    match &change.body {
        ChangeBody::Review(review) => check_review(review, now_ms, &at),
        ChangeBody::ReviewUndone(_) | ChangeBody::DeckDeleted(_) => Ok(()),
        ChangeBody::NoteDeleted(_) | ChangeBody::EvidenceDeleted(_) => Ok(()),
        ChangeBody::HoursDeleted(_) => Ok(()),
        ChangeBody::ReviewSigned(signature) => check_learner_signature(
            &signature.event,
            "a progress review",
            now_ms,
            &format!("{at}.event"),
        ),
        ChangeBody::UnitAcknowledged(ack) => {
            check_text(&format!("{at}.unit_id"), &ack.unit_id, MAX_NAME_BYTES)?;
            check_learner_signature(
                &ack.event,
                "a unit's sign-off",
                now_ms,
                &format!("{at}.event"),
            )
        }
        ChangeBody::HoursPut(record) => check_hours(record, now_ms, &at),
        ChangeBody::DeckPut(deck) => check_deck(deck, now_ms, &at),
        ChangeBody::NotePut(note) => check_note(note, now_ms, &at),
        ChangeBody::EvidencePut(record) => check_evidence(record, now_ms, &at),
        ChangeBody::EvidenceWithdrawn(record) => {
            check_evidence(record, now_ms, &at)?;
            if record.submission_count() == 0 {
                return Err(Invalid::new(
                    format!("{at}.learner_status"),
                    "Only a submitted item can be withdrawn; a draft is deleted (evidence_deleted).",
                ));
            }
            Ok(())
        }
        ChangeBody::SettingsPut(settings) => check_settings(settings, now_ms, &at),
        ChangeBody::DeclarationSigned(event) => check_declaration(event, now_ms, &at),
        ChangeBody::ExportKeyRegistered(record) => check_export_key(record, &at),
        ChangeBody::StrengthMeasured(measure) => check_strength(measure, now_ms, &at),
    }
}

/// A unit's measured strength: a time, a unit, and for each criterion counts that add up and a
/// strength between 0 and 1 (a NaN or 1e39 would not come back from the centre).
pub fn check_strength(measure: &UnitStrength, now_ms: i64, at: &str) -> Checked {
    check_time(&format!("{at}.measured_ms"), measure.measured_ms, now_ms)?;
    check_text(&format!("{at}.unit_id"), &measure.unit_id, MAX_NAME_BYTES)?;
    if measure.unit_id.is_empty() {
        return Err(Invalid::new(
            format!("{at}.unit_id"),
            "Name the unit measured.",
        ));
    }
    if measure.criteria.len() > MAX_STRENGTH_CRITERIA {
        return Err(Invalid::new(
            format!("{at}.criteria"),
            format!("A unit has at most {MAX_STRENGTH_CRITERIA} criteria."),
        ));
    }
    for (i, (criterion, cards, not_started, strength)) in measure.criteria.iter().enumerate() {
        let field = format!("{at}.criteria[{i}]");
        check_text(&field, criterion, MAX_NAME_BYTES)?;
        if *cards == 0 || not_started > cards {
            return Err(Invalid::new(
                field,
                "A criterion's cards not started cannot be more than its cards, and a measured \
                 criterion has at least one card.",
            ));
        }
        if !strength.is_finite() || !(0.0..=1.0).contains(strength) {
            return Err(Invalid::new(field, "A strength is between 0 and 1."));
        }
    }
    Ok(())
}

/// A device's export key: an Ed25519 public key, or the centre could never check a seal
/// made with it.
fn check_export_key(record: &ExportKeyRecord, at: &str) -> Checked {
    crate::portfolio::SealPublicKey::from_hex(&record.public_key)
        .map(|_| ())
        .map_err(|e| Invalid::new(format!("{at}.public_key"), e.to_string()))
}

/// A time in ms since the epoch: not before 1970 and not past `now_ms` plus the allowed skew.
pub fn check_time(field: &str, time_ms: i64, now_ms: i64) -> Checked {
    if time_ms < 0 {
        return Err(Invalid::new(field, "A time cannot be before 1970."));
    }
    if time_ms > now_ms.saturating_add(MAX_CLOCK_AHEAD_MS) {
        return Err(Invalid::new(
            field,
            "This time is more than a week ahead of the centre's clock; set the device's date \
             and time correctly, then sync again.",
        ));
    }
    Ok(())
}

/// A clock stamp: its time as [`check_time`], and a counter that can still count on.
pub fn check_hlc(field: &str, hlc: &Hlc, now_ms: i64) -> Checked {
    check_time(&format!("{field}.wall_ms"), hlc.wall_ms, now_ms)?;
    if hlc.counter > MAX_HLC_COUNTER {
        return Err(Invalid::new(
            format!("{field}.counter"),
            format!("A clock counter must be at most {MAX_HLC_COUNTER}."),
        ));
    }
    Ok(())
}

/// Text: at most `max_bytes` of UTF-8 and no NUL character (which PostgreSQL cannot store,
/// so both databases refuse it alike).
pub fn check_text(field: &str, text: &str, max_bytes: usize) -> Checked {
    if text.len() > max_bytes {
        return Err(Invalid::new(
            field,
            format!(
                "This text is {} bytes; at most {max_bytes} are allowed.",
                text.len()
            ),
        ));
    }
    if text.contains('\0') {
        return Err(Invalid::new(
            field,
            "This text contains a NUL character, which cannot be stored.",
        ));
    }
    Ok(())
}

/// A short name or id: as [`check_text`], and not empty.
fn check_name(field: &str, text: &str, max_bytes: usize) -> Checked {
    check_text(field, text, max_bytes)?;
    if text.trim().is_empty() {
        return Err(Invalid::new(field, "This cannot be empty."));
    }
    Ok(())
}

fn check_count(field: &str, count: usize, max: usize) -> Checked {
    if count > max {
        return Err(Invalid::new(
            field,
            format!("There are {count} of these; at most {max} are allowed."),
        ));
    }
    Ok(())
}

/// True for a lower-case hex SHA-256 (how attachments are named).
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn check_review(review: &ReviewRecord, now_ms: i64, at: &str) -> Checked {
    let ReviewRecord(_, _, time_ms, kind, value, duration_ms, _, tz_offset_min, retention) =
        *review;
    check_time(&format!("{at}.time_ms"), time_ms, now_ms)?;
    if review.to_log().is_none() {
        return Err(Invalid::new(
            format!("{at}.kind"),
            format!("The review has an unknown event kind {kind}."),
        ));
    }
    if value > MAX_SET_DUE_DAYS {
        return Err(Invalid::new(
            format!("{at}.value"),
            format!("A review's value must be at most {MAX_SET_DUE_DAYS} days."),
        ));
    }
    if duration_ms > MAX_REVIEW_DURATION_MS {
        return Err(Invalid::new(
            format!("{at}.duration_ms"),
            format!("A review's duration must be at most {MAX_REVIEW_DURATION_MS} ms."),
        ));
    }
    if tz_offset_min.unsigned_abs() > MAX_TZ_OFFSET_MIN {
        return Err(Invalid::new(
            format!("{at}.tz_offset_min"),
            format!("A UTC offset must be within ±{MAX_TZ_OFFSET_MIN} minutes."),
        ));
    }
    if !retention.is_finite() || retention <= 0.0 || retention > 1.0 {
        return Err(Invalid::new(
            format!("{at}.retention"),
            "A review's retention must be a number above 0 and at most 1.",
        ));
    }
    Ok(())
}

fn check_deck(deck: &DeckRecord, now_ms: i64, at: &str) -> Checked {
    check_name(&format!("{at}.name"), &deck.name, MAX_NAME_BYTES)?;
    check_text(
        &format!("{at}.description"),
        &deck.description,
        MAX_TEXT_BYTES,
    )?;
    check_hlc(&format!("{at}.hlc"), &deck.hlc, now_ms)
}

fn check_note(note: &NoteRecord, now_ms: i64, at: &str) -> Checked {
    let fields = format!("{at}.fields");
    let texts: [(&str, &str); 2] = match &note.fields {
        NoteFields::Basic { front, back } | NoteFields::Reversed { front, back } => {
            [("front", front), ("back", back)]
        }
        NoteFields::Cloze { text, extra } => [("text", text), ("extra", extra)],
    };
    for (name, text) in texts {
        check_text(&format!("{fields}.{name}"), text, MAX_TEXT_BYTES)?;
    }
    check_list(&format!("{at}.tags"), &note.tags, MAX_TAGS)?;
    check_list(&format!("{at}.criteria"), &note.criteria, MAX_CRITERIA)?;
    check_count(&format!("{at}.cards"), note.cards.len(), MAX_CARDS_PER_NOTE)?;
    check_hlc(&format!("{at}.hlc"), &note.hlc, now_ms)
}

/// A list of short names (tags, criterion ids).
fn check_list(field: &str, items: &[String], max: usize) -> Checked {
    check_count(field, items.len(), max)?;
    for (i, item) in items.iter().enumerate() {
        check_name(&format!("{field}[{i}]"), item, MAX_NAME_BYTES)?;
    }
    Ok(())
}

fn check_evidence(record: &EvidenceRecord, now_ms: i64, at: &str) -> Checked {
    if EvidenceKind::parse(&record.kind).is_none() {
        check_text(&format!("{at}.kind"), &record.kind, MAX_NAME_BYTES)?;
        return Err(Invalid::new(
            format!("{at}.kind"),
            format!(
                "\"{}\" is not a kind of evidence.",
                record.kind.escape_debug()
            ),
        ));
    }
    if let Some(template) = &record.template_id {
        check_name(&format!("{at}.template_id"), template, MAX_NAME_BYTES)?;
    }
    check_text(&format!("{at}.title"), &record.title, MAX_TITLE_BYTES)?;
    if let Some(location) = &record.location {
        check_name(&format!("{at}.location"), location, MAX_NAME_BYTES)?;
        AssessmentLocation::parse_optional(Some(location))
            .map_err(|e| Invalid::new(format!("{at}.location"), e.to_string()))?;
    }
    check_count(&format!("{at}.fields"), record.fields.len(), MAX_FIELDS)?;
    let mut total = 0;
    for (key, value) in &record.fields {
        let field = format!("{at}.fields.{}", key.escape_debug());
        check_name(&field, key, MAX_NAME_BYTES)?;
        check_text(&field, value, MAX_TEXT_BYTES)?;
        total += key.len() + value.len();
    }
    if total > MAX_EVIDENCE_TEXT_BYTES {
        return Err(Invalid::new(
            format!("{at}.fields"),
            format!("The fields hold {total} bytes together; at most {MAX_EVIDENCE_TEXT_BYTES} are allowed."),
        ));
    }
    check_list(&format!("{at}.criteria"), &record.criteria, MAX_CRITERIA)?;
    check_count(
        &format!("{at}.attachments"),
        record.attachments.len(),
        MAX_ATTACHMENTS,
    )?;
    for (j, (sha, file_name)) in record.attachments.iter().enumerate() {
        let field = format!("{at}.attachments[{j}]");
        if !is_sha256(sha) {
            return Err(Invalid::new(
                field,
                "An attachment must be named by its lower-case hex SHA-256.",
            ));
        }
        check_name(&format!("{field}.file_name"), file_name, MAX_NAME_BYTES)?;
    }
    if !matches!(record.learner_status.as_str(), "draft" | "submitted") {
        return Err(Invalid::new(
            format!("{at}.learner_status"),
            "The learner's status must be \"draft\" or \"submitted\".",
        ));
    }
    if record.learner_status == "draft" && record.submissions > 0 {
        return Err(Invalid::new(
            format!("{at}.submissions"),
            "A draft has never been submitted, so its submission count must be 0.",
        ));
    }
    check_time(&format!("{at}.updated_ms"), record.updated_ms, now_ms)?;
    check_hlc(&format!("{at}.hlc"), &record.hlc, now_ms)
}

/// An hours entry's shape. The learner's checks (overlaps, dates against the programme) are
/// the device's to apply as the entry is made: the programme can change after an entry was
/// logged, and refusing the entry then would wedge the device's outbox, so the centre shows
/// such an entry's problems to the assessor instead.
fn check_hours(record: &HoursRecord, now_ms: i64, at: &str) -> Checked {
    let entry = &record.entry;
    let field = format!("{at}.entry");
    check_text(
        &format!("{field}.description"),
        &entry.description,
        MAX_TEXT_BYTES,
    )?;
    if entry.end_min() > u32::from(crate::apprenticeship::MINUTES_PER_DAY) {
        return Err(Invalid::new(
            format!("{field}.duration_min"),
            "An hours entry must end by midnight of its day.",
        ));
    }
    check_count(
        &format!("{field}.evidence"),
        entry.evidence.len(),
        MAX_ATTACHMENTS,
    )?;
    check_count(
        &format!("{field}.cards"),
        entry.cards.len(),
        MAX_CARDS_PER_NOTE,
    )?;
    check_time(&format!("{at}.updated_ms"), record.updated_ms, now_ms)?;
    check_hlc(&format!("{at}.hlc"), &record.hlc, now_ms)
}

/// A learner's signature of a record the centre holds (a progress review, a unit's sign-off):
/// its shape only (a sign by the learner, intact, small, with a sane stamp). Whether it fits
/// the record's log is the centre's to judge against the record as it holds it; one that does
/// not is left out without refusing the push, so the outbox never wedges on it.
fn check_learner_signature(
    event: &SignatureEvent,
    what: &str,
    now_ms: i64,
    field: &str,
) -> Checked {
    use crate::signing::{EventKind, Mark, SignerRole};
    if event.kind != EventKind::Sign || event.signer.role != SignerRole::Learner {
        return Err(Invalid::new(
            format!("{field}.signer.role"),
            format!("Only the learner's own signature of {what} is sent from a device."),
        ));
    }
    check_text(
        &format!("{field}.signer.name"),
        &event.signer.name,
        MAX_NAME_BYTES,
    )?;
    check_text(&format!("{field}.device"), &event.device, MAX_NAME_BYTES)?;
    if !matches!(
        event.mark,
        Some(Mark::Typed { .. } | Mark::DrawnSha256 { .. })
    ) {
        return Err(Invalid::new(
            format!("{field}.mark"),
            format!("Only a typed name or a drawing kept by its hash signs {what}."),
        ));
    }
    if let Some(Mark::Typed { name }) = &event.mark {
        check_text(&format!("{field}.mark.name"), name, MAX_NAME_BYTES)?;
    }
    if event.computed_sha256() != event.sha256 {
        return Err(Invalid::new(
            format!("{field}.sha256"),
            "The signature event does not match its hash.",
        ));
    }
    check_time(&format!("{field}.device_ms"), event.device_ms, now_ms)?;
    check_hlc(&format!("{field}.hlc"), &event.hlc, now_ms)
}

fn check_settings(record: &SettingsRecord, now_ms: i64, at: &str) -> Checked {
    if let Some((field, message)) = record.settings.first_invalid() {
        return Err(Invalid::new(format!("{at}.settings.{field}"), message));
    }
    check_hlc(&format!("{at}.hlc"), &record.hlc, now_ms)
}

/// The shape of a declaration signature: the learner's, naming a version, of a size a record
/// may have. Whether it verifies is asked when it is merged, so a signature of a text this
/// centre does not know yet (a newer app) never wedges the outbox.
fn check_declaration(event: &SignatureEvent, now_ms: i64, at: &str) -> Checked {
    check_name(
        &format!("{at}.signer.name"),
        &event.signer.name,
        MAX_NAME_BYTES,
    )?;
    if event.signer.role != SignerRole::Learner || event.declaration.is_none() {
        return Err(Invalid::new(
            format!("{at}.declaration"),
            "This must be the learner's signature of a version of the declaration.",
        ));
    }
    let json = serde_json::to_string(event).unwrap_or_default();
    check_text(at, &json, MAX_TEXT_BYTES)?;
    check_time(&format!("{at}.device_ms"), event.device_ms, now_ms)?;
    check_hlc(&format!("{at}.hlc"), &event.hlc, now_ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        CardId, ChangeId, DeckId, DeviceId, EvidenceId, NoteId, ReviewId, Settings,
    };
    use std::collections::BTreeMap;

    const NOW: i64 = 1_800_000_000_000;

    fn hlc() -> Hlc {
        Hlc {
            wall_ms: NOW - 1_000,
            counter: 0,
            node: uuid::Uuid::nil(),
        }
    }

    fn review() -> ReviewRecord {
        ReviewRecord(
            ReviewId::new_at(NOW - 5_000),
            CardId::new_at(1),
            NOW - 5_000,
            3,
            0,
            4_200,
            DeviceId::new_at(0),
            60,
            0.9,
        )
    }

    fn evidence() -> EvidenceRecord {
        let mut fields = BTreeMap::new();
        fields.insert("situation".to_string(), "Served a customer".to_string());
        EvidenceRecord {
            id: EvidenceId::new_at(1),
            kind: "observation".into(),
            template_id: Some("observation-basic".into()),
            title: "At the till".into(),
            fields,
            criteria: vec!["negotiate/lo1/ac1.1".into()],
            attachments: vec![("a".repeat(64), "photo.jpg".into())],
            location: Some("workplace".into()),
            learner_status: "submitted".into(),
            submissions: 1,
            updated_ms: NOW - 1_000,
            hlc: hlc(),
        }
    }

    fn deck() -> DeckRecord {
        DeckRecord {
            id: DeckId::new_at(1),
            name: "Negotiation".into(),
            description: "Terms".into(),
            hlc: hlc(),
        }
    }

    fn note(fields: NoteFields) -> NoteRecord {
        NoteRecord {
            id: NoteId::new_at(1),
            deck_id: DeckId::new_at(1),
            fields,
            tags: vec!["unit-1".into()],
            criteria: vec!["negotiate/lo1/ac1.1".into()],
            cards: vec![(0, CardId::new_at(2))],
            hlc: hlc(),
        }
    }

    fn basic() -> NoteFields {
        NoteFields::Basic {
            front: "Q".into(),
            back: "A".into(),
        }
    }

    fn push_of(bodies: Vec<ChangeBody>) -> PushRequest {
        PushRequest {
            device_id: DeviceId::new_at(0),
            first_seq: 1,
            changes: bodies
                .into_iter()
                .enumerate()
                .map(|(i, body)| Change {
                    seq: i as u64 + 1,
                    id: ChangeId::new_at(i as i64),
                    time_ms: NOW - 1_000,
                    body,
                })
                .collect(),
        }
    }

    /// The field a single-change push is refused for.
    fn refused(body: ChangeBody) -> String {
        check_push(&push_of(vec![body]), NOW)
            .expect_err("refused")
            .field
    }

    #[test]
    fn ordinary_changes_of_every_kind_pass() {
        let cloze = NoteFields::Cloze {
            text: "{{c1::BATNA}}".into(),
            extra: String::new(),
        };
        let settings = SettingsRecord {
            settings: Settings::default(),
            hlc: hlc(),
        };
        let all = vec![
            ChangeBody::Review(review()),
            ChangeBody::ReviewUndone(ReviewId::new_at(1)),
            ChangeBody::DeckPut(deck()),
            ChangeBody::DeckDeleted(DeckId::new_at(1)),
            ChangeBody::NotePut(note(basic())),
            ChangeBody::NotePut(note(cloze)),
            ChangeBody::NoteDeleted(NoteId::new_at(1)),
            ChangeBody::EvidencePut(evidence()),
            ChangeBody::EvidenceDeleted(EvidenceId::new_at(1)),
            ChangeBody::SettingsPut(settings),
            ChangeBody::HoursPut(hours()),
            ChangeBody::HoursDeleted(crate::model::HoursEntryId::new_at(1)),
            ChangeBody::DeclarationSigned(Box::new(declared())),
            ChangeBody::ExportKeyRegistered(ExportKeyRecord {
                public_key: crate::portfolio::SealKey::generate()
                    .unwrap()
                    .public()
                    .to_hex(),
            }),
            ChangeBody::StrengthMeasured(UnitStrength::measure("negotiate", NOW, &[])),
        ];
        check_push(&push_of(all), NOW).unwrap();
    }

    #[test]
    fn an_export_key_must_be_an_ed25519_public_key() {
        for bad in ["", "00ff", &"zz".repeat(32)] {
            assert_eq!(
                refused(ChangeBody::ExportKeyRegistered(ExportKeyRecord {
                    public_key: bad.to_string(),
                })),
                "changes[0].body.public_key",
                "{bad:?}"
            );
        }
    }

    /// The learner's signature of the current declaration.
    fn declared() -> SignatureEvent {
        let current = crate::content::current_declaration();
        crate::signing::sign(
            crate::signing::RecordKind::Declaration,
            &[],
            &current.content_sha256(),
            crate::signing::SignRequest {
                signer: crate::signing::Signer {
                    role: SignerRole::Learner,
                    name: "Lee Learner".into(),
                    account_id: None,
                    witness: None,
                },
                mark: Some(crate::signing::Mark::Typed {
                    name: "Lee Learner".into(),
                }),
                declaration: Some(current.reference()),
                made: crate::signing::Made {
                    device_ms: NOW - 1_000,
                    hlc: hlc(),
                    device: "phone".into(),
                },
            },
        )
        .unwrap()
    }

    #[test]
    fn a_declaration_must_be_the_learners_and_name_its_version() {
        let mut unversioned = declared();
        unversioned.declaration = None;
        assert_eq!(
            refused(ChangeBody::DeclarationSigned(Box::new(unversioned))),
            "changes[0].body.declaration"
        );
        let mut assessor = declared();
        assessor.signer.role = SignerRole::Assessor;
        assert_eq!(
            refused(ChangeBody::DeclarationSigned(Box::new(assessor))),
            "changes[0].body.declaration"
        );
        let mut late = declared();
        late.hlc.wall_ms = NOW + 30 * 86_400_000;
        assert_eq!(
            refused(ChangeBody::DeclarationSigned(Box::new(late))),
            "changes[0].body.hlc.wall_ms"
        );
    }

    fn hours() -> HoursRecord {
        HoursRecord {
            entry: crate::apprenticeship::HoursEntry {
                id: crate::model::HoursEntryId::new_at(1),
                date: chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
                start_min: 9 * 60,
                duration_min: 60,
                activity: crate::apprenticeship::Activity::Shadowing,
                description: "Shadowed the team leader".into(),
                evidence: vec![],
                cards: vec![],
            },
            updated_ms: NOW - 1_000,
            hlc: hlc(),
        }
    }

    #[test]
    fn an_hours_entry_past_midnight_or_with_a_nul_is_refused() {
        let mut late = hours();
        late.entry.start_min = 23 * 60 + 30;
        assert_eq!(
            refused(ChangeBody::HoursPut(late)),
            "changes[0].body.entry.duration_min"
        );
        let mut nul = hours();
        nul.entry.description.push('\0');
        assert_eq!(
            refused(ChangeBody::HoursPut(nul)),
            "changes[0].body.entry.description"
        );
    }

    #[test]
    fn numbers_that_do_not_survive_the_round_trip_are_refused() {
        // 1e39 read into an f32 is infinite, and is written back as null.
        let mut r = review();
        r.8 = f32::INFINITY;
        assert_eq!(refused(ChangeBody::Review(r)), "changes[0].body.retention");
        let mut r = review();
        r.8 = f32::NAN;
        assert_eq!(refused(ChangeBody::Review(r)), "changes[0].body.retention");
        let settings = SettingsRecord {
            settings: Settings {
                desired_retention: f32::INFINITY,
                ..Settings::default()
            },
            hlc: hlc(),
        };
        assert_eq!(
            refused(ChangeBody::SettingsPut(settings)),
            "changes[0].body.settings.desired_retention"
        );
    }

    #[test]
    fn presets_out_of_range_are_refused_by_field() {
        let with = |settings: Settings| {
            refused(ChangeBody::SettingsPut(SettingsRecord {
                settings,
                hlc: hlc(),
            }))
        };
        let mut settings = Settings::default();
        settings.presets.push(crate::model::DeckPreset {
            id: 1,
            name: "Exam".into(),
            reviews_per_day: 100_000,
            ..Default::default()
        });
        assert_eq!(with(settings.clone()), "changes[0].body.settings.presets");
        settings.presets[0].reviews_per_day = 100;
        settings
            .deck_presets
            .insert(DeckId(uuid::Uuid::from_u128(1)), 2);
        assert_eq!(with(settings), "changes[0].body.settings.deck_presets");
    }

    #[test]
    fn review_values_out_of_range_name_their_field() {
        type Spoil = fn(&mut ReviewRecord);
        let cases: [(Spoil, &str); 5] = [
            (|r| r.2 = i64::MAX, "time_ms"),
            (|r| r.3 = 99, "kind"),
            (|r| r.5 = u32::MAX, "duration_ms"),
            (|r| r.7 = i32::MAX, "tz_offset_min"),
            (|r| (r.3, r.4) = (14, u32::MAX), "value"),
        ];
        for (spoil, field) in cases {
            let mut r = review();
            spoil(&mut r);
            assert_eq!(
                refused(ChangeBody::Review(r)),
                format!("changes[0].body.{field}")
            );
        }
    }

    #[test]
    fn a_nul_in_any_text_is_refused_naming_the_field() {
        type Spoil = fn(&mut ChangeBody);
        let cases: Vec<(ChangeBody, Spoil, &str)> = vec![
            (
                ChangeBody::DeckPut(deck()),
                |b| {
                    if let ChangeBody::DeckPut(d) = b {
                        d.name.push('\0')
                    }
                },
                "name",
            ),
            (
                ChangeBody::DeckPut(deck()),
                |b| {
                    if let ChangeBody::DeckPut(d) = b {
                        d.description.push('\0')
                    }
                },
                "description",
            ),
            (
                ChangeBody::NotePut(note(basic())),
                |b| {
                    if let ChangeBody::NotePut(n) = b {
                        n.fields = NoteFields::Basic {
                            front: "\0".into(),
                            back: "A".into(),
                        }
                    }
                },
                "fields.front",
            ),
            (
                ChangeBody::NotePut(note(basic())),
                |b| {
                    if let ChangeBody::NotePut(n) = b {
                        n.fields = NoteFields::Reversed {
                            front: "Q".into(),
                            back: "\0".into(),
                        }
                    }
                },
                "fields.back",
            ),
            (
                ChangeBody::NotePut(note(basic())),
                |b| {
                    if let ChangeBody::NotePut(n) = b {
                        n.fields = NoteFields::Cloze {
                            text: "\0".into(),
                            extra: String::new(),
                        }
                    }
                },
                "fields.text",
            ),
            (
                ChangeBody::NotePut(note(basic())),
                |b| {
                    if let ChangeBody::NotePut(n) = b {
                        n.fields = NoteFields::Cloze {
                            text: "x".into(),
                            extra: "\0".into(),
                        }
                    }
                },
                "fields.extra",
            ),
            (
                ChangeBody::NotePut(note(basic())),
                |b| {
                    if let ChangeBody::NotePut(n) = b {
                        n.tags[0].push('\0')
                    }
                },
                "tags[0]",
            ),
            (
                ChangeBody::NotePut(note(basic())),
                |b| {
                    if let ChangeBody::NotePut(n) = b {
                        n.criteria[0].push('\0')
                    }
                },
                "criteria[0]",
            ),
            (
                ChangeBody::EvidencePut(evidence()),
                |b| {
                    if let ChangeBody::EvidencePut(e) = b {
                        e.kind.push('\0')
                    }
                },
                "kind",
            ),
            (
                ChangeBody::EvidencePut(evidence()),
                |b| {
                    if let ChangeBody::EvidencePut(e) = b {
                        e.template_id = Some("\0".into())
                    }
                },
                "template_id",
            ),
            (
                ChangeBody::EvidencePut(evidence()),
                |b| {
                    if let ChangeBody::EvidencePut(e) = b {
                        e.title.push('\0')
                    }
                },
                "title",
            ),
            (
                ChangeBody::EvidencePut(evidence()),
                |b| {
                    if let ChangeBody::EvidencePut(e) = b {
                        e.fields.insert("situation".into(), "a\0b".into());
                    }
                },
                "fields.situation",
            ),
            (
                ChangeBody::EvidencePut(evidence()),
                |b| {
                    if let ChangeBody::EvidencePut(e) = b {
                        e.fields.insert("bad\0key".into(), "x".into());
                    }
                },
                "fields.bad\\0key",
            ),
            (
                ChangeBody::EvidencePut(evidence()),
                |b| {
                    if let ChangeBody::EvidencePut(e) = b {
                        e.criteria[0].push('\0')
                    }
                },
                "criteria[0]",
            ),
            (
                ChangeBody::EvidencePut(evidence()),
                |b| {
                    if let ChangeBody::EvidencePut(e) = b {
                        e.attachments[0].1.push('\0')
                    }
                },
                "attachments[0].file_name",
            ),
            (
                ChangeBody::EvidencePut(evidence()),
                |b| {
                    if let ChangeBody::EvidencePut(e) = b {
                        e.learner_status.push('\0')
                    }
                },
                "learner_status",
            ),
        ];
        for (mut body, spoil, field) in cases {
            check_push(&push_of(vec![body.clone()]), NOW).unwrap();
            spoil(&mut body);
            assert_eq!(refused(body), format!("changes[0].body.{field}"));
        }
    }

    #[test]
    fn sizes_enums_and_stamps_are_checked() {
        let mut e = evidence();
        e.title = "x".repeat(MAX_TITLE_BYTES + 1);
        assert_eq!(refused(ChangeBody::EvidencePut(e)), "changes[0].body.title");
        let mut e = evidence();
        e.kind = "anything at all".into();
        assert_eq!(refused(ChangeBody::EvidencePut(e)), "changes[0].body.kind");
        let mut e = evidence();
        e.learner_status = "accepted".into();
        assert_eq!(
            refused(ChangeBody::EvidencePut(e)),
            "changes[0].body.learner_status"
        );
        let mut e = evidence();
        e.learner_status = "draft".into();
        assert_eq!(
            refused(ChangeBody::EvidencePut(e)),
            "changes[0].body.submissions",
            "a draft cannot have been submitted"
        );
        let mut e = evidence();
        e.attachments[0].0 = "../../etc/passwd".into();
        assert_eq!(
            refused(ChangeBody::EvidencePut(e)),
            "changes[0].body.attachments[0]"
        );
        let mut e = evidence();
        for i in 0..8 {
            e.fields.insert(format!("f{i}"), "y".repeat(MAX_TEXT_BYTES));
        }
        assert_eq!(
            refused(ChangeBody::EvidencePut(e)),
            "changes[0].body.fields"
        );
        // A stamp at i64::MAX would win every later merge.
        let mut e = evidence();
        e.hlc.wall_ms = i64::MAX;
        assert_eq!(
            refused(ChangeBody::EvidencePut(e)),
            "changes[0].body.hlc.wall_ms"
        );
        let mut d = deck();
        d.hlc.counter = u32::MAX;
        assert_eq!(
            refused(ChangeBody::DeckPut(d)),
            "changes[0].body.hlc.counter"
        );
        let mut d = deck();
        d.name = "  ".into();
        assert_eq!(refused(ChangeBody::DeckPut(d)), "changes[0].body.name");
        // A week ahead is allowed (a clock a little fast); past it is not.
        let mut d = deck();
        d.hlc.wall_ms = NOW + MAX_CLOCK_AHEAD_MS;
        check_push(&push_of(vec![ChangeBody::DeckPut(d.clone())]), NOW).unwrap();
        d.hlc.wall_ms += 1;
        assert_eq!(
            refused(ChangeBody::DeckPut(d)),
            "changes[0].body.hlc.wall_ms"
        );
    }

    #[test]
    fn an_unknown_assessment_location_is_refused_and_an_absent_one_passes() {
        let mut e = evidence();
        e.location = Some("on the moon".into());
        assert_eq!(
            refused(ChangeBody::EvidencePut(e)),
            "changes[0].body.location"
        );
        let mut e = evidence();
        e.location = None;
        assert!(check_push(&push_of(vec![ChangeBody::EvidencePut(e)]), NOW).is_ok());
    }

    #[test]
    fn two_changes_with_one_id_are_refused() {
        let mut push = push_of(vec![
            ChangeBody::DeckPut(deck()),
            ChangeBody::Review(review()),
            ChangeBody::DeckDeleted(DeckId::new_at(1)),
        ]);
        check_push(&push, NOW).unwrap();
        push.changes[2].id = push.changes[0].id;
        assert_eq!(check_push(&push, NOW).unwrap_err().field, "changes[2].id");
    }

    #[test]
    fn sequence_numbers_use_checked_arithmetic() {
        let mut push = push_of(vec![
            ChangeBody::Review(review()),
            ChangeBody::Review(review()),
        ]);
        push.first_seq = u64::MAX;
        push.changes[0].seq = u64::MAX;
        push.changes[1].seq = 0;
        assert_eq!(check_push(&push, NOW).unwrap_err().field, "first_seq");
        push.first_seq = MAX_SEQ;
        push.changes[0].seq = MAX_SEQ;
        assert_eq!(check_push(&push, NOW).unwrap_err().field, "first_seq");
        push.first_seq = 0;
        assert_eq!(check_push(&push, NOW).unwrap_err().field, "first_seq");
        let mut push = push_of(vec![
            ChangeBody::Review(review()),
            ChangeBody::Review(review()),
        ]);
        push.changes[1].seq = 3;
        assert_eq!(check_push(&push, NOW).unwrap_err().field, "changes[1].seq");
        let mut push = push_of(vec![ChangeBody::Review(review())]);
        push.changes[0].time_ms = -1;
        assert_eq!(
            check_push(&push, NOW).unwrap_err().field,
            "changes[0].time_ms"
        );
    }

    #[test]
    fn a_strength_measure_must_add_up_and_stay_between_0_and_1() {
        let measure = |criteria: Vec<(String, u32, u32, f32)>| {
            ChangeBody::StrengthMeasured(UnitStrength {
                unit_id: "negotiate".into(),
                measured_ms: NOW - 5_000,
                criteria,
            })
        };
        let c = |cards, not_started, strength| {
            ("negotiate/1.1".to_string(), cards, not_started, strength)
        };
        check_push(&push_of(vec![measure(vec![c(4, 1, 0.5)])]), NOW).unwrap();
        let at = "changes[0].body.criteria[1]";
        assert_eq!(refused(measure(vec![c(4, 1, 0.5), c(2, 3, 0.1)])), at);
        assert_eq!(refused(measure(vec![c(4, 1, 0.5), c(0, 0, 0.0)])), at);
        assert_eq!(refused(measure(vec![c(4, 1, 0.5), c(2, 0, f32::NAN)])), at);
        assert_eq!(refused(measure(vec![c(4, 1, 0.5), c(2, 0, 1.5)])), at);
        let mut far = UnitStrength::measure("negotiate", NOW + 30 * 86_400_000, &[]);
        assert_eq!(
            refused(ChangeBody::StrengthMeasured(far.clone())),
            "changes[0].body.measured_ms"
        );
        far.measured_ms = NOW;
        far.unit_id = String::new();
        assert_eq!(
            refused(ChangeBody::StrengthMeasured(far)),
            "changes[0].body.unit_id"
        );
    }
}
