//! Loading the awarding body's references for criteria from a structure file (see
//! `pocketfolio_core::content::parse_official_file` for its format). The admin page and the
//! admin command line both call [`import`]; the file's rules are the core's, so a file the
//! centre accepts is one the phones can show. A file with any bad line is refused whole.

use super::{AccountError, Actor};
use crate::db::official::get_official_refs;
use crate::db::Db;
use crate::error::ApiError;
use pocketfolio_core::content::{
    parse_official_file, with_official_refs, ContentBundle, OfficialFileError,
};
use serde_json::json;

/// The largest structure file the centre reads: a qualification's file is a few kilobytes, so
/// anything near this is the wrong file.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// Why a file was not loaded.
#[derive(Debug, thiserror::Error)]
pub enum OfficialError {
    /// The file has bad lines (each named).
    #[error(transparent)]
    File(#[from] OfficialFileError),
    /// Not an admin, or storage failed.
    #[error(transparent)]
    Account(#[from] AccountError),
}

impl From<sqlx::Error> for OfficialError {
    fn from(e: sqlx::Error) -> Self {
        OfficialError::Account(e.into())
    }
}

impl From<OfficialError> for ApiError {
    fn from(e: OfficialError) -> Self {
        match e {
            OfficialError::File(f) => ApiError::invalid("file", f.to_string()),
            OfficialError::Account(a) => a.into(),
        }
    }
}

/// The pack's criteria named as learners' phones name them: with the centre's official
/// references.
pub async fn criteria(
    db: &Db,
    content: &ContentBundle,
) -> Result<Vec<pocketfolio_core::model::Criterion>, sqlx::Error> {
    let held = get_official_refs(&mut *db.reader().await?).await?;
    Ok(with_official_refs(&content.criteria, &held.references))
}

/// What a load changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    /// The units whose references were replaced, in pack order.
    pub units: Vec<String>,
    /// How many references were loaded.
    pub references: usize,
}

/// Checks `text` (the file called `file_name`) against `content` and, when every line is
/// right, replaces the references of the units it names, with an audit entry.
pub async fn import(
    db: &Db,
    content: &ContentBundle,
    actor: Actor<'_>,
    file_name: &str,
    text: &str,
    now_ms: i64,
) -> Result<Loaded, OfficialError> {
    actor.require_admin()?;
    let refs = parse_official_file(content, text)?;
    let unit_of = |criterion: &str| {
        content
            .criteria
            .iter()
            .find(|c| c.id == criterion)
            .map(|c| c.unit_id.clone())
            .unwrap_or_default()
    };
    let with_units: Vec<(String, _)> = refs
        .into_iter()
        .map(|r| (unit_of(&r.criterion), r))
        .collect();
    let units: Vec<String> = content
        .units
        .iter()
        .filter(|u| with_units.iter().any(|(unit, _)| *unit == u.id))
        .map(|u| u.id.clone())
        .collect();
    let before = get_official_refs(&mut *db.reader().await?).await?;
    let replaced = before
        .references
        .iter()
        .filter(|r| units.contains(&unit_of(&r.criterion)))
        .count();
    let before = json!({ "references": replaced });
    let after = json!({ "file": file_name, "units": units, "references": with_units.len() });
    let entry = actor.entry(
        "official.import",
        "official references",
        None,
        &before,
        &after,
    );
    db.replace_official_refs(&units, &with_units, now_ms, &entry)
        .await?;
    Ok(Loaded {
        references: with_units.len(),
        units,
    })
}
