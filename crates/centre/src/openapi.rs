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

fn change_body() -> serde_json::Value {
    json!({"type": "object", "required": ["t", "v"], "description":
        "Tagged: t is review (compact array: id, card, time_ms, kind, value, duration_ms, device, tz_offset_min, retention), \
         review_undone, deck_put, deck_deleted, note_put, note_deleted, evidence_put (with hlc), evidence_deleted or settings_put; v is its value.",
        "properties": {"t": {"type": "string", "enum": ["review", "review_undone", "deck_put", "deck_deleted",
            "note_put", "note_deleted", "evidence_put", "evidence_deleted", "settings_put"]}, "v": {}}})
}

wire_schema!(
    /// `PushRequest` from the core.
    PushRequestDoc,
    json!({"type": "object", "required": ["device_id", "first_seq", "changes"], "properties": {
        "device_id": uuid(), "first_seq": {"type": "integer", "minimum": 1},
        "changes": {"type": "array", "items": {"type": "object", "required": ["seq", "id", "time_ms", "body"],
            "properties": {"seq": {"type": "integer"}, "id": uuid(), "time_ms": {"type": "integer"}, "body": change_body()}}}}})
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
        "changes": {"type": "array", "items": {"type": "object", "required": ["cursor", "origin", "body"], "properties": {
            "cursor": {"type": "integer"},
            "origin": {"type": "object", "required": ["kind"], "properties": {
                "kind": {"type": "string", "enum": ["device", "assessor", "centre"]}, "device_id": uuid()}},
            "body": {"type": "object", "required": ["t", "v"], "properties": {
                "t": {"type": "string", "enum": ["learner", "assessment", "parameters"]},
                "v": {"description": "learner: a change body; assessment: {evidence_id, status, feedback, criteria_signed_off, assessor, time_ms, hlc}",
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

/// The description as JSON.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
