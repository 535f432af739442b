//! Units signed off, per learner: the core's `UnitSignOff` with its log. The assessor's
//! signature is added once (a second sign-off of the same unit is refused by the core's
//! order); the learner's acknowledgement comes from their phone and is kept only when it
//! fits the log held (`UnitSignOff::take_acknowledgement`).

use super::audit::{self, NewEntry};
use super::error::{DbError, DbResult};
use super::{now_ms, Db, Scope};
use pocketfolio_core::sync::protocol::UnitAcknowledgement;
use pocketfolio_core::unit_sign_off::{TakeAcknowledgement, UnitSignOff};
use sqlx::{AnyConnection, AssertSqlSafe};

fn parse(unit_id: &str, record: &str) -> DbResult<UnitSignOff> {
    serde_json::from_str(record)
        .map_err(|e| DbError::Corrupt(format!("unit sign-off {unit_id}: {e}")))
}

fn json(sign_off: &UnitSignOff) -> DbResult<String> {
    serde_json::to_string(sign_off).map_err(|e| DbError::Corrupt(e.to_string()))
}

/// Takes the learner's acknowledgement pushed from their phone, in the push's transaction,
/// with its audit entry; `Ok(Err(why))` when it is left out (no such sign-off, not theirs,
/// or it does not fit the log), which never refuses the push.
pub(crate) async fn take_acknowledgement(
    conn: &mut AnyConnection,
    learner_id: &str,
    ack: &UnitAcknowledgement,
) -> DbResult<Result<bool, TakeAcknowledgement>> {
    // Taking the row's lock first: two pushes from two devices take turns.
    let row: Option<(String,)> = sqlx::query_as(
        "UPDATE unit_sign_offs SET record = record WHERE learner_id = $1 AND unit_id = $2 \
         RETURNING record",
    )
    .bind(learner_id)
    .bind(&ack.unit_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((record,)) = row else {
        return Ok(Err(TakeAcknowledgement::DoesNotFit(
            "the centre holds no sign-off of that unit".into(),
        )));
    };
    let mut sign_off = parse(&ack.unit_id, &record)?;
    let taken = sign_off.take_acknowledgement(ack.event.clone(), learner_id);
    if taken == Ok(true) {
        sqlx::query(
            "UPDATE unit_sign_offs SET record = $3, updated_ms = $4 \
             WHERE learner_id = $1 AND unit_id = $2",
        )
        .bind(learner_id)
        .bind(&ack.unit_id)
        .bind(json(&sign_off)?)
        .bind(now_ms())
        .execute(&mut *conn)
        .await?;
        let after = serde_json::json!({
            "signer": "learner",
            "signature_sha256": ack.event.sha256,
            "content_sha256": ack.event.content_sha256,
        });
        audit::append(
            conn,
            &NewEntry {
                actor_id: Some(learner_id),
                actor: &ack.event.signer.name,
                action: "unit.acknowledge",
                target: &format!("unit {}", ack.unit_id),
                learner_id: Some(learner_id),
                before: &serde_json::Value::Null,
                after: &after,
            },
        )
        .await?;
    }
    Ok(taken)
}

/// Puts `next` in place of `previous` when the row still holds `previous` (its row locked
/// first, as for an acknowledgement).
async fn replace(
    conn: &mut AnyConnection,
    learner_id: &str,
    previous: &UnitSignOff,
    next: &UnitSignOff,
) -> DbResult<bool> {
    let row: Option<(String,)> = sqlx::query_as(
        "UPDATE unit_sign_offs SET record = record WHERE learner_id = $1 AND unit_id = $2 \
         RETURNING record",
    )
    .bind(learner_id)
    .bind(&next.unit_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((held,)) = row else {
        return Ok(false);
    };
    if parse(&next.unit_id, &held)? != *previous {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE unit_sign_offs SET record = $3, updated_ms = $4 \
         WHERE learner_id = $1 AND unit_id = $2",
    )
    .bind(learner_id)
    .bind(&next.unit_id)
    .bind(json(next)?)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

/// Every unit signed off for the learner, by unit id (no scope: the learner's own sync and
/// the export, whose callers checked who may read). Read on a connection the caller holds
/// ([`Db::reader`]), so a request reading several things takes one.
pub async fn get_unit_sign_offs(
    conn: &mut AnyConnection,
    learner_id: &str,
) -> DbResult<Vec<UnitSignOff>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT unit_id, record FROM unit_sign_offs WHERE learner_id = $1 ORDER BY unit_id",
    )
    .bind(learner_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|(unit, record)| parse(unit, record))
        .collect()
}

impl Db {
    /// The learner's sign-offs, if the learner is in `scope`.
    pub async fn get_unit_sign_offs_in_scope(
        &self,
        scope: &Scope,
        learner_id: &str,
    ) -> DbResult<Vec<UnitSignOff>> {
        let sql = format!(
            "SELECT unit_id, record FROM unit_sign_offs WHERE learner_id = $1 \
             AND learner_id IN {} ORDER BY unit_id",
            Scope::visible_learners(2)
        );
        let rows: Vec<(String, String)> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(learner_id)
            .bind(&scope.account_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|(unit, record)| parse(unit, record))
            .collect()
    }

    /// Keeps a new sign-off with its audit entry, in one transaction: the first of the unit
    /// (`replacing` none), or one signed again in place of `replacing`, which it keeps in its
    /// `earlier`. False (nothing kept) when the unit's sign-off is no longer what the caller
    /// read, changed by this or another request meanwhile.
    pub async fn add_unit_sign_off(
        &self,
        learner_id: &str,
        sign_off: &UnitSignOff,
        replacing: Option<&UnitSignOff>,
        actor: (&str, &str),
    ) -> DbResult<bool> {
        let mut tx = self.begin_write().await?;
        let added = match replacing {
            None => {
                sqlx::query(
                    "INSERT INTO unit_sign_offs (learner_id, unit_id, record, updated_ms) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (learner_id, unit_id) DO NOTHING",
                )
                .bind(learner_id)
                .bind(&sign_off.unit_id)
                .bind(json(sign_off)?)
                .bind(now_ms())
                .execute(&mut *tx)
                .await?
                .rows_affected()
                    == 1
            }
            Some(previous) => replace(&mut tx, learner_id, previous, sign_off).await?,
        };
        if added {
            let event = sign_off.signatures.last();
            let after = serde_json::json!({
                "met": sign_off.met,
                "signature_sha256": event.map(|e| &e.sha256),
                "content_sha256": event.map(|e| &e.content_sha256),
            });
            audit::append(
                &mut tx,
                &NewEntry {
                    actor_id: Some(actor.0),
                    actor: actor.1,
                    action: "unit.sign_off",
                    target: &format!("unit {}", sign_off.unit_id),
                    learner_id: Some(learner_id),
                    before: &replacing.map_or(serde_json::Value::Null, |p| {
                        serde_json::json!({
                            "met": p.met,
                            "signature_sha256": p.signatures.first().map(|e| &e.sha256),
                        })
                    }),
                    after: &after,
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(added)
    }
}
