//! The OpenAPI description at `/v1/openapi.json`, generated from the handlers' annotations.
//! The sync wire types live in the core (which has no utoipa), so their schemas are written
//! here once, beside a test that checks real values against them field by field.

use serde_json::json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{Modify, OpenApi, PartialSchema, ToSchema};

macro_rules! wire_schema {
    ($(#[$doc:meta])* $name:ident, $json:expr) => {
        $(#[$doc])*
        pub struct $name;
        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                RefOr::T(serde_json::from_value($json).expect("a valid schema literal"))
            }
        }
        impl ToSchema for $name {}
    };
}

fn uuid() -> serde_json::Value {
    json!({"type": "string", "format": "uuid"})
}

fn hlc() -> serde_json::Value {
    json!({"type": "object", "required": ["wall_ms", "counter", "node"], "properties": {
        "wall_ms": {"type": "integer"}, "counter": {"type": "integer"}, "node": uuid()}})
}

fn int(min: i64, max: i64) -> serde_json::Value {
    json!({"type": "integer", "minimum": min, "maximum": max})
}

fn text(max_bytes: usize) -> serde_json::Value {
    json!({"type": "string", "maxLength": max_bytes, "pattern": "^[^\\u0000]*$"})
}

/// A lower-case hex SHA-256, as attachments are named.
pub fn sha256() -> serde_json::Value {
    json!({"type": "string", "pattern": "^[0-9a-f]{64}$"})
}

/// Each change body variant: `t` and the schema of `v`, with the limits the centre enforces
/// (`pocketfolio_core::sync::protocol::limits`), so a schema fuzzer can build valid pushes.
fn change_body() -> serde_json::Value {
    use pocketfolio_core::model::EvidenceKind;
    use pocketfolio_core::sync::protocol::limits::*;
    let stamp = || {
        json!({"type": "object", "required": ["wall_ms", "counter", "node"], "properties": {
            "wall_ms": {"type": "integer", "minimum": 0, "description": "At most a week ahead of the centre's clock"},
            "counter": int(0, i64::from(MAX_HLC_COUNTER)), "node": uuid()}})
    };
    let names =
        |max: usize| json!({"type": "array", "maxItems": max, "items": text(MAX_NAME_BYTES)});
    let kinds: Vec<&str> = EvidenceKind::ALL.iter().map(|k| k.as_str()).collect();
    let review = json!({"type": "array", "minItems": 9, "maxItems": 9, "description":
        "id, card, time_ms, kind (1–4 answer, 10–14 manual), value, duration_ms, device, tz_offset_min, retention",
        "prefixItems": [uuid(), uuid(), {"type": "integer", "minimum": 0}, {"type": "integer", "enum": [1, 2, 3, 4, 10, 11, 12, 13, 14]},
            int(0, i64::from(MAX_SET_DUE_DAYS)), int(0, i64::from(MAX_REVIEW_DURATION_MS)), uuid(),
            int(-i64::from(MAX_TZ_OFFSET_MIN), i64::from(MAX_TZ_OFFSET_MIN)),
            {"type": "number", "exclusiveMinimum": 0, "maximum": 1}]});
    let deck = json!({"type": "object", "required": ["id", "name", "description", "hlc"], "properties": {
        "id": uuid(), "name": text(MAX_NAME_BYTES), "description": text(MAX_TEXT_BYTES), "hlc": stamp()}});
    let note = json!({"type": "object", "required": ["id", "deck_id", "fields", "tags", "criteria", "cards", "hlc"], "properties": {
        "id": uuid(), "deck_id": uuid(),
        "fields": {"type": "object", "required": ["kind"], "description": "basic or reversed {front, back}; cloze {text, extra}",
            "properties": {"kind": {"type": "string", "enum": ["basic", "reversed", "cloze"]},
                "front": text(MAX_TEXT_BYTES), "back": text(MAX_TEXT_BYTES), "text": text(MAX_TEXT_BYTES), "extra": text(MAX_TEXT_BYTES)}},
        "tags": names(MAX_TAGS), "criteria": names(MAX_CRITERIA),
        "cards": {"type": "array", "maxItems": MAX_CARDS_PER_NOTE, "items": {"type": "array", "prefixItems": [int(0, 65_535), uuid()]}},
        "hlc": stamp()}});
    let evidence = json!({"type": "object", "required": ["id", "kind", "template_id", "title", "fields", "criteria", "attachments", "learner_status", "updated_ms", "hlc"], "properties": {
        "id": uuid(), "kind": {"type": "string", "enum": kinds}, "template_id": {"oneOf": [text(MAX_NAME_BYTES), {"type": "null"}]},
        "title": text(MAX_TITLE_BYTES), "fields": {"type": "object", "maxProperties": MAX_FIELDS, "additionalProperties": text(MAX_TEXT_BYTES)},
        "criteria": names(MAX_CRITERIA),
        "attachments": {"type": "array", "maxItems": MAX_ATTACHMENTS, "items": {"type": "array", "prefixItems": [sha256(), text(MAX_NAME_BYTES)]}},
        "learner_status": {"type": "string", "enum": ["draft", "submitted"]},
        "updated_ms": {"type": "integer", "minimum": 0}, "hlc": stamp()}});
    let settings = json!({"type": "object", "required": ["settings", "hlc"], "properties": {
        "settings": {"type": "object", "properties": {"desired_retention": {"type": "number", "minimum": 0.7, "maximum": 0.99}}},
        "hlc": stamp()}});
    let activities: Vec<&str> = pocketfolio_core::apprenticeship::Activity::ALL
        .iter()
        .map(|a| a.code())
        .collect();
    let hours = json!({"type": "object", "required": ["entry", "updated_ms", "hlc"], "properties": {
        "entry": {"type": "object", "required": ["id", "date", "start_min", "duration_min", "activity", "description"],
            "description": "Must end by midnight of its day (start_min + duration_min <= 1440)",
            "properties": {"id": uuid(), "date": {"type": "string", "format": "date"},
                "start_min": int(0, 1439), "duration_min": int(1, 1440),
                "activity": {"type": "string", "enum": activities}, "description": text(MAX_TEXT_BYTES),
                "evidence": {"type": "array", "maxItems": MAX_ATTACHMENTS, "items": uuid()},
                "cards": {"type": "array", "maxItems": MAX_CARDS_PER_NOTE, "items": uuid()}}},
        "updated_ms": {"type": "integer", "minimum": 0}, "hlc": stamp()}});
    let review_signed = json!({"type": "object", "required": ["review_id", "event"], "properties": {
        "review_id": uuid(),
        "event": {"type": "object", "description": "The learner's signature event of the progress review (pocketfolio-core signing): event 'sign', signer.role 'learner', mark typed or drawn_sha256, sha256 over the rest. Kept only when it fits the review's log as the centre holds it; otherwise left out without refusing the push.",
            "required": ["seq", "event", "signer", "device_ms", "hlc", "device", "content_sha256", "prev_sha256", "sha256"]}}});
    let unit_acknowledged = json!({"type": "object", "required": ["unit_id", "event"], "properties": {
        "unit_id": text(MAX_NAME_BYTES),
        "event": {"type": "object", "description": "The learner's acknowledgement of their assessor's sign-off of the unit (pocketfolio-core signing, record kind unit_sign_off): event 'sign', signer.role 'learner', mark typed or drawn_sha256, sha256 over the rest. Kept only when it fits the sign-off's log as the centre holds it; otherwise left out without refusing the push.",
            "required": ["seq", "event", "signer", "device_ms", "hlc", "device", "content_sha256", "prev_sha256", "sha256"]}}});
    let declaration = json!({"type": "object", "required": ["seq", "event", "signer", "device_ms", "hlc", "device", "content_sha256", "prev_sha256", "sha256", "declaration"],
        "description": "The learner's signature event of the declaration of authenticity (event \"sign\", role \"learner\"), naming the version signed; kept when it verifies and is of a later version, or the same version signed later",
        "properties": {"declaration": {"type": "object", "required": ["version", "text_sha256"], "properties": {"version": {"type": "integer", "minimum": 1}, "text_sha256": sha256()}},
            "signer": {"type": "object", "required": ["role", "name"], "properties": {"role": {"type": "string", "enum": ["learner"]}, "name": text(MAX_NAME_BYTES)}},
            "device_ms": {"type": "integer", "minimum": 0}, "hlc": stamp()}});
    let export_key = json!({"type": "object", "required": ["public_key"], "properties": {
        "public_key": {"type": "string", "pattern": "^[0-9a-fA-F]{64}$", "description": "The Ed25519 public key the device seals its portfolio exports with; not a point on the curve is 422. Registered for the pushing device; a key another device registered is left out without refusing the push, and a new key for the device keeps the one before as history."}}});
    let strength = json!({"type": "object", "required": ["unit_id", "measured_ms", "criteria"],
        "description": "The knowledge strength of one unit as the device worked it out, at most once a day; kept by the centre for progress reviews",
        "properties": {"unit_id": text(MAX_NAME_BYTES), "measured_ms": {"type": "integer", "minimum": 0},
            "criteria": {"type": "array", "maxItems": MAX_STRENGTH_CRITERIA, "items": {"type": "array",
                "description": "criterion id, cards (at least 1), cards not started (at most cards), strength",
                "prefixItems": [text(MAX_NAME_BYTES), {"type": "integer", "minimum": 1}, {"type": "integer", "minimum": 0}, {"type": "number", "minimum": 0, "maximum": 1}]}}}});
    let variant = |t: &str, v: serde_json::Value| json!({"type": "object", "required": ["t", "v"], "properties": {"t": {"type": "string", "enum": [t]}, "v": v}});
    json!({"oneOf": [
        variant("review", review), variant("review_undone", uuid()), variant("deck_put", deck),
        variant("deck_deleted", uuid()), variant("note_put", note), variant("note_deleted", uuid()),
        variant("evidence_put", evidence.clone()), variant("evidence_deleted", uuid()),
        variant("evidence_withdrawn", evidence), variant("settings_put", settings),
        variant("hours_put", hours), variant("hours_deleted", uuid()),
        variant("review_signed", review_signed),
        variant("declaration_signed", declaration),
        variant("unit_acknowledged", unit_acknowledged),
        variant("export_key_registered", export_key),
        variant("strength_measured", strength)]})
}

wire_schema!(
    /// `PushRequest` from the core.
    PushRequestDoc,
    json!({"type": "object", "required": ["device_id", "first_seq", "changes"], "properties": {
        "device_id": uuid(), "first_seq": {"type": "integer", "minimum": 1, "maximum": i64::MAX},
        "changes": {"type": "array", "maxItems": pocketfolio_core::sync::protocol::limits::MAX_PUSH_CHANGES,
            "items": {"type": "object", "required": ["seq", "id", "time_ms", "body"],
            "properties": {"seq": {"type": "integer", "minimum": 1, "maximum": i64::MAX, "description": "first_seq + index"},
                "id": uuid(), "time_ms": {"type": "integer", "minimum": 0}, "body": change_body()}}}}})
);
wire_schema!(
    /// `UploadStatus` from the core.
    UploadStatusDoc,
    json!({"type": "object", "required": ["received", "complete"], "properties": {
        "received": {"type": "integer", "minimum": 0}, "complete": {"type": "boolean"}}})
);
wire_schema!(
    /// `PushResponse` from the core.
    PushResponseDoc,
    json!({"type": "object", "required": ["last_seq"], "properties": {"last_seq": {"type": "integer"}}})
);
wire_schema!(
    /// `PullResponse` from the core.
    PullResponseDoc,
    json!({"type": "object", "required": ["changes", "cursor", "more"], "properties": {
        "cursor": {"type": "integer"}, "more": {"type": "boolean"},
        "accepted_kinds": {"type": "array", "items": {"type": "string"},
            "description": "The kinds of change (a change body's t) this centre takes in a push, on every page and in the sign-in answer. A phone leaves out housekeeping kinds its centre does not list; a centre that sends no list takes the kinds centres took before the list existed."},
        "enrolment": {"type": "object", "required": ["qualifications", "units", "updated_ms"],
            "description": "The learner's enrolment as it stands, on every page; absent when not enrolled (and from centres before it was sent). It replaces what the device held.",
            "properties": {
                "qualifications": {"type": "array", "items": {"type": "string"}},
                "units": {"type": "array", "items": {"type": "string"}, "description": "The units taken, every unit of a qualification when none was chosen"},
                "updated_ms": {"type": "integer", "description": "When the centre last changed it (ms)"}}},
        "official": {"type": "object", "required": ["references", "updated_ms"],
            "description": "The awarding body's references for criteria as the centre loaded them (admin official-refs), on every page; an empty list when none. It replaces what the device held; absent only from centres before it was sent.",
            "properties": {
                "references": {"type": "array", "items": {"type": "object", "required": ["criterion", "unit_ref", "reference", "text"], "properties": {
                    "criterion": {"type": "string", "description": "The pack's criterion id"},
                    "unit_ref": {"type": "string", "description": "The awarding body's unit reference"},
                    "reference": {"type": "string", "description": "The awarding body's criterion reference, e.g. AC 2.3"},
                    "text": {"type": "string", "description": "The criterion's text in the specification"}}}},
                "updated_ms": {"type": "integer", "description": "When the centre last loaded a file (ms); 0 when never"}}},
        "changes": {"type": "array", "items": {"type": "object", "required": ["cursor", "origin", "body"], "properties": {
            "cursor": {"type": "integer"},
            "origin": {"type": "object", "required": ["kind"], "properties": {
                "kind": {"type": "string", "enum": ["device", "assessor", "centre"]}, "device_id": uuid()}},
            "body": {"type": "object", "required": ["t", "v"], "properties": {
                "t": {"type": "string", "enum": ["learner", "assessment", "hours_decision", "witness_answer", "parameters"]},
                "v": {"description": "learner: a change body; assessment: {evidence_id, status, feedback, criteria_signed_off (they stand only while this decision accepts the version it names), assessor, time_ms, submission (the submission decided), version (the HLC of the learner version decided; absent from older decisions: read the decision's own hlc), hlc, signature (the assessor's signature event of the decision, added to the item's signature log; absent when unsigned)}. An evidence_deleted of an item submitted at least once withdraws it: the centre keeps it, shown as withdrawn. witness_answer: {evidence_id, event}: the witness's answer through the centre's one-time link, a signature event whose confirmation is {answer: confirmed} or {answer: disputed, reason}, added to the item's signature log",
                      "example": {"hlc": hlc()}}}}}}}}})
);
wire_schema!(
    /// `ApiErrorBody` from the core.
    ApiErrorDoc,
    json!({"type": "object", "required": ["error"], "properties": {
        "error": {"type": "string"}, "field": {"type": "string"}}})
);

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(title = "Pocketfolio centre", description = "Accounts, sync and attachments for Pocketfolio."),
    paths(
        crate::routes::auth::sign_in_handler,
        crate::routes::auth::sign_out,
        crate::routes::auth::me,
        crate::routes::account::change_password,
        crate::routes::account::sessions,
        crate::routes::account::revoke,
        crate::routes::sync::push,
        crate::routes::sync::pull,
        crate::routes::blobs::upload,
        crate::routes::blobs::download,
        crate::routes::blobs::upload_status,
    ),
    components(schemas(PushRequestDoc, PushResponseDoc, UploadStatusDoc, PullResponseDoc, ApiErrorDoc)),
    modifiers(&Bearer)
)]
pub struct ApiDoc;

/// Query and path parameters' ranges and patterns, which the handlers' annotations cannot say.
struct ParameterLimits;

impl Modify for ParameterLimits {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let Ok(mut paths) = serde_json::to_value(&openapi.paths) else {
            return;
        };
        let Some(map) = paths.as_object_mut() else {
            return;
        };
        for operations in map.values_mut().filter_map(|o| o.as_object_mut()) {
            for operation in operations.values_mut() {
                let Some(params) = operation
                    .get_mut("parameters")
                    .and_then(|p| p.as_array_mut())
                else {
                    continue;
                };
                for param in params {
                    let schema = match param["name"].as_str() {
                        Some("since") | Some("limit") => int(0, i64::MAX),
                        Some("device_id") => uuid(),
                        Some("sha256") => sha256(),
                        _ => continue,
                    };
                    param["schema"] = schema;
                }
            }
        }
        if let Ok(patched) = serde_json::from_value(paths) {
            openapi.paths = patched;
        }
    }
}

/// The description as JSON.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    ParameterLimits.modify(&mut doc);
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    use pocketfolio_core::sync::protocol::ChangeBody;

    /// How many variants `ChangeBody` has. The match below stops compiling when one is added,
    /// so the count (and the document) cannot silently fall behind the protocol again.
    const CHANGE_BODY_VARIANTS: usize = 17;
    #[allow(dead_code)]
    fn every_variant_is_counted(body: &ChangeBody) {
        match body {
            ChangeBody::Review(_)
            | ChangeBody::ReviewUndone(_)
            | ChangeBody::DeckPut(_)
            | ChangeBody::DeckDeleted(_)
            | ChangeBody::NotePut(_)
            | ChangeBody::NoteDeleted(_)
            | ChangeBody::EvidencePut(_)
            | ChangeBody::EvidenceDeleted(_)
            | ChangeBody::EvidenceWithdrawn(_)
            | ChangeBody::SettingsPut(_)
            | ChangeBody::HoursPut(_)
            | ChangeBody::HoursDeleted(_)
            | ChangeBody::ReviewSigned(_)
            | ChangeBody::DeclarationSigned(_)
            | ChangeBody::UnitAcknowledged(_)
            | ChangeBody::ExportKeyRegistered(_)
            | ChangeBody::StrengthMeasured(_) => {}
        }
    }

    #[test]
    fn the_document_says_what_the_centre_enforces() {
        let doc = serde_json::to_value(document()).unwrap();
        let push = &doc["components"]["schemas"]["PushRequestDoc"];
        let variants = push["properties"]["changes"]["items"]["properties"]["body"]["oneOf"]
            .as_array()
            .unwrap();
        assert_eq!(
            variants.len(),
            CHANGE_BODY_VARIANTS,
            "one schema per change body variant"
        );
        let enrolment = &doc["components"]["schemas"]["PullResponseDoc"]["properties"]["enrolment"];
        assert_eq!(
            enrolment["required"],
            serde_json::json!(["qualifications", "units", "updated_ms"]),
            "the pull's enrolment is described"
        );
        let official = &doc["components"]["schemas"]["PullResponseDoc"]["properties"]["official"];
        assert_eq!(
            official["required"],
            serde_json::json!(["references", "updated_ms"]),
            "the pull's official references are described"
        );
        let text = doc.to_string();
        assert!(
            text.contains("^[0-9a-f]{64}$"),
            "the attachment hash pattern"
        );
        let pull = &doc["paths"]["/v1/sync/pull"]["get"]["parameters"];
        let since = pull
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "since")
            .unwrap();
        assert_eq!(since["schema"]["maximum"], i64::MAX);
        let blob = &doc["paths"]["/v1/blobs/{sha256}"]["put"]["parameters"][0];
        assert_eq!(blob["schema"]["pattern"], "^[0-9a-f]{64}$");
        let responses = &doc["paths"]["/v1/sync/push"]["post"]["responses"];
        for status in ["200", "400", "401", "403", "404", "409", "413", "422"] {
            assert!(responses[status].is_object(), "push {status}");
        }
        let sign_in = &doc["paths"]["/v1/auth/sign-in"]["post"]["responses"];
        for status in ["200", "401", "403", "422", "429"] {
            assert!(sign_in[status].is_object(), "sign-in {status}");
        }
        let sign_in_body = &doc["components"]["schemas"]["SignInRequest"]["properties"];
        assert!(sign_in_body["totp_code"].is_object(), "the second factor");
        for path in [
            "/v1/me/password",
            "/v1/me/sessions",
            "/v1/me/sessions/{id}/revoke",
        ] {
            assert!(doc["paths"][path].is_object(), "{path}");
        }
    }
}
