//! Starting a new item: a quick note, or one from a template of the content pack.

use crate::state::AppState;
use pocketfolio_core::content::Template;
use pocketfolio_core::model::{EvidenceId, EvidenceKind};
use pocketfolio_core::EvidenceDraft;

/// Starts a draft: a quick note, or an item from a template.
pub fn start(app: AppState, template: Option<&Template>) -> Result<EvidenceId, String> {
    let draft = match template {
        None => EvidenceDraft {
            kind: Some(EvidenceKind::QuickNote),
            ..EvidenceDraft::default()
        },
        Some(t) => EvidenceDraft {
            kind: Some(t.kind),
            template_id: Some(t.id.clone()),
            title: t.title.clone(),
            ..EvidenceDraft::default()
        },
    };
    app.write(|c| c.create_evidence(draft))
}
