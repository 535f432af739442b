//! Whose key sealed an export: this centre's, a learner's device's (as the device registered
//! it on sync), or one this centre does not know. What `verify-export` and the learner's page
//! say, from one place.

use crate::db::device_export_keys::RegisteredKey;
use crate::db::error::DbError;
use crate::db::Db;
use crate::pages::when;
use pocketfolio_core::portfolio::SealPublicKey;

/// Who holds a key, as this centre knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyHolder {
    /// This centre's own export key.
    ThisCentre,
    /// A learner's device registered it.
    Device(RegisteredKey),
    /// No device of this centre's learners registered it, and it is not the centre's.
    Unknown,
}

/// Who holds `key`.
pub async fn key_holder(db: &Db, key: &SealPublicKey) -> Result<KeyHolder, DbError> {
    let hex = key.to_hex();
    if db.get_export_public_key().await?.as_deref() == Some(hex.as_str()) {
        return Ok(KeyHolder::ThisCentre);
    }
    Ok(match db.get_export_key_holder(&hex).await? {
        Some(registered) => KeyHolder::Device(registered),
        None => KeyHolder::Unknown,
    })
}

/// The sentence for an export sealed with a key `holder` holds.
pub fn sealed_by(holder: &KeyHolder) -> String {
    match holder {
        KeyHolder::ThisCentre => "It was sealed by this centre, with its own export key.".into(),
        KeyHolder::Device(k) => format!(
            "It was sealed by {}'s device {}, registered {}{}.",
            learner_of(k),
            k.device_id,
            when(k.registered_ms),
            k.replaced_ms.map_or(String::new(), |t| format!(
                " (the device registered a newer key on {})",
                when(t)
            )),
        ),
        KeyHolder::Unknown => "Its key is unknown to this centre: no device of this centre's \
             learners registered it, and it is not the centre's key, so who sealed it cannot \
             be told here."
            .into(),
    }
}

/// The learner as a sentence names them: display name and sign-in name.
fn learner_of(k: &RegisteredKey) -> String {
    format!("{} ({})", k.learner_name, k.username)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(replaced_ms: Option<i64>) -> RegisteredKey {
        RegisteredKey {
            public_key: "00".repeat(32),
            learner_id: "l1".into(),
            learner_name: "Sam Learner".into(),
            username: "sam".into(),
            device_id: "0190-device".into(),
            registered_ms: 1_780_000_000_000,
            replaced_ms,
        }
    }

    #[test]
    fn the_sentence_names_the_learner_the_device_and_the_day_or_says_the_key_is_unknown() {
        let said = sealed_by(&KeyHolder::Device(key(None)));
        assert!(said.contains("Sam Learner (sam)'s device 0190-device, registered 28 May 2026"));
        assert!(!said.contains("newer key"));
        assert!(sealed_by(&KeyHolder::Device(key(Some(1_790_000_000_000)))).contains("newer key"));
        assert!(sealed_by(&KeyHolder::Unknown).contains("unknown to this centre"));
    }
}
