//! The keys learners' devices seal their portfolio exports with, as each device registered
//! them on sync: kept as a history per device (a new key marks the one before replaced, never
//! deletes it), and looked up by key to say whose device sealed an export.

use super::audit::{self, NewEntry};
use super::{now_ms, Db};
use pocketfolio_core::portfolio::SealPublicKey;
use sqlx::{AnyConnection, Row};

/// A key a learner's device registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredKey {
    /// The key, 64 hex digits.
    pub public_key: String,
    /// The learner whose device it is.
    pub learner_id: String,
    /// Their name as shown.
    pub learner_name: String,
    /// Their sign-in name.
    pub username: String,
    /// The device.
    pub device_id: String,
    /// When the centre took the registration (ms, the centre's clock).
    pub registered_ms: i64,
    /// When the device registered another key after it (ms), if it has.
    pub replaced_ms: Option<i64>,
}

impl RegisteredKey {
    /// The key's fingerprint, for people to compare (as `verify-export` prints it).
    pub fn fingerprint(&self) -> String {
        SealPublicKey::from_hex(&self.public_key)
            .map(|k| k.fingerprint())
            .unwrap_or_else(|_| self.public_key.clone())
    }
}

/// Registers `public_key` (checked by the core's push rules) for the learner's device, inside
/// the push's transaction, with its audit entry; last in the push, since it appends to the
/// audit chain. The same key again changes nothing. A key another device already registered
/// is left out (the push still stands) and the refusal audited: one key names one device, so
/// nobody can claim exports another learner's device sealed.
pub(crate) async fn register(
    conn: &mut AnyConnection,
    learner_id: &str,
    device_id: &str,
    public_key: &str,
    actor: &str,
) -> Result<(), sqlx::Error> {
    let holder: Option<(String, String)> = sqlx::query_as(
        "SELECT learner_id, device_id FROM device_export_keys WHERE public_key = $1",
    )
    .bind(public_key)
    .fetch_optional(&mut *conn)
    .await?;
    let target = format!("device {device_id}");
    let fingerprint = SealPublicKey::from_hex(public_key)
        .map(|k| k.fingerprint())
        .unwrap_or_default();
    match holder {
        Some((learner, device)) if learner == learner_id && device == device_id => return Ok(()),
        Some(_) => {
            tracing::info!(
                learner_id,
                device_id,
                "export key of another device left out"
            );
            return audit_key(
                conn,
                learner_id,
                actor,
                "device.export_key.refused",
                &target,
                serde_json::Value::Null,
                serde_json::json!({
                    "fingerprint": fingerprint,
                    "reason": "another device registered this key",
                }),
            )
            .await;
        }
        None => {}
    }
    let now = now_ms();
    let replaced: Vec<String> = sqlx::query(
        "UPDATE device_export_keys SET replaced_ms = $1 \
         WHERE learner_id = $2 AND device_id = $3 AND replaced_ms IS NULL RETURNING public_key",
    )
    .bind(now)
    .bind(learner_id)
    .bind(device_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| r.try_get::<String, _>("public_key"))
    .collect::<Result<_, _>>()?;
    sqlx::query(
        "INSERT INTO device_export_keys (public_key, learner_id, device_id, registered_ms) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(public_key)
    .bind(learner_id)
    .bind(device_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let before = match replaced.first() {
        Some(old) => serde_json::json!({ "public_key": old }),
        None => serde_json::Value::Null,
    };
    audit_key(
        conn,
        learner_id,
        actor,
        "device.export_key",
        &target,
        before,
        serde_json::json!({ "public_key": public_key, "fingerprint": fingerprint }),
    )
    .await
}

async fn audit_key(
    conn: &mut AnyConnection,
    learner_id: &str,
    actor: &str,
    action: &str,
    target: &str,
    before: serde_json::Value,
    after: serde_json::Value,
) -> Result<(), sqlx::Error> {
    audit::append(
        conn,
        &NewEntry {
            actor_id: Some(learner_id),
            actor,
            action,
            target,
            learner_id: Some(learner_id),
            before: &before,
            after: &after,
        },
    )
    .await
    .map(|_| ())
}

const SELECT_KEYS: &str = "SELECT k.public_key, k.learner_id, a.display_name, a.username, \
     k.device_id, k.registered_ms, k.replaced_ms \
     FROM device_export_keys k JOIN accounts a ON a.id = k.learner_id";

fn registered(row: &sqlx::any::AnyRow) -> Result<RegisteredKey, sqlx::Error> {
    Ok(RegisteredKey {
        public_key: row.try_get("public_key")?,
        learner_id: row.try_get("learner_id")?,
        learner_name: row.try_get("display_name")?,
        username: row.try_get("username")?,
        device_id: row.try_get("device_id")?,
        registered_ms: row.try_get("registered_ms")?,
        replaced_ms: row.try_get("replaced_ms")?,
    })
}

impl Db {
    /// The device that registered `public_key` (64 hex digits), if any did.
    pub async fn get_export_key_holder(
        &self,
        public_key: &str,
    ) -> Result<Option<RegisteredKey>, sqlx::Error> {
        let sql = format!("{SELECT_KEYS} WHERE k.public_key = $1");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(public_key)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(registered)
            .transpose()
    }

    /// Every key the learner's devices registered, by device, oldest first.
    pub async fn get_device_export_keys(
        &self,
        learner_id: &str,
    ) -> Result<Vec<RegisteredKey>, sqlx::Error> {
        let sql =
            format!("{SELECT_KEYS} WHERE k.learner_id = $1 ORDER BY k.device_id, k.registered_ms");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(learner_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(registered)
            .collect()
    }
}
