//! Push: a device's changes in (the stream out is `pull`).
//!
//! Every change a push sends is given a position in the learner's stream, reserved by bumping
//! `accounts.feed_pos` inside the same transaction: a review holds it on its own row
//! (`reviews.pos`), every other change on its row in `feed` (`feed.pos`); a change the learner
//! already had leaves its position empty. That update also locks the learner's row, so one
//! learner's pushes apply one at a time and positions commit in order: a pull never skips a row
//! that commits later with a smaller position.

use super::error::DbError;
use super::evidence_merge::EvidenceMerge;
use super::params::Params;
use super::{hours, now_ms, Db};
use pocketfolio_core::model::Settings;
use pocketfolio_core::portfolio::SealPublicKey;
use pocketfolio_core::sync::protocol::{
    limits, Change, ChangeBody, MissingBlobs, Origin, PullBody, PushGap, PushRequest, PushResponse,
    ReviewRecord, SettingsRecord, Versioned,
};
use pocketfolio_core::sync::rules;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::AssertSqlSafe;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeSet;

/// Most changes in one push.
pub const MAX_BATCH: usize = limits::MAX_PUSH_CHANGES;

/// Rows per multi-row INSERT. Every statement of a push runs while it holds the write turn
/// (SQLite) or the learner's row (PostgreSQL), and each is a hop to SQLite's worker thread or
/// a round trip to PostgreSQL: a day's 300 reviews go in one statement, not three. At 10
/// columns that is 5,000 parameters, well under SQLite's 32,766 and PostgreSQL's 65,535.
const ROWS_PER_INSERT: usize = 500;

impl Db {
    /// Stores a device's batch for a learner, all or nothing, by the core's merge rules. The
    /// batch has been checked already (`services::sync::push`).
    pub async fn push(&self, learner_id: &str, req: &PushRequest) -> Result<PushResponse, DbError> {
        let device_id = req.device_id.to_string();
        // Encode the stream rows before taking the write turn, so the lock covers only SQL.
        // A review is streamed from its row in `reviews`, so it needs no JSON.
        let encoded: Vec<Option<String>> = req
            .changes
            .iter()
            .map(|c| match c.body {
                ChangeBody::Review(_) => Ok(None),
                _ => json(&PullBody::Learner(c.body.clone())).map(Some),
            })
            .collect::<Result<_, _>>()?;
        let mut tx = self.begin_write().await?;
        // The learner's lock, the device's row and the batch's stream positions in one
        // statement: on PostgreSQL every statement of a push is a round trip while the
        // learner's row is locked. A position is kept for every change sent; those that turn
        // out to be resent or replayed leave a gap, which a pull passes over.
        let reserved = req.changes.len() as i64;
        let head: Option<(i64, Option<String>, Option<i64>)> = sqlx::query_as(
            "UPDATE accounts SET feed_pos = feed_pos + $3 WHERE id = $1 AND role = 'learner' \
             RETURNING feed_pos - $3, (SELECT learner_id FROM devices WHERE id = $2), \
             (SELECT last_seq FROM devices WHERE id = $2)",
        )
        .bind(learner_id)
        .bind(&device_id)
        .bind(reserved)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((head, owner, seq)) = head else {
            return Err(DbError::NoPortfolio);
        };
        let last_seq = match (owner, seq) {
            (Some(owner), _) if owner != learner_id => return Err(DbError::NotFound("The device")),
            (Some(_), Some(seq)) => seq as u64,
            _ => 0,
        };
        if req.first_seq > last_seq + 1 {
            return Err(DbError::Gap(PushGap {
                expected_seq: last_seq + 1,
            }));
        }
        let fresh: Vec<&Change> = req.changes.iter().filter(|c| c.seq > last_seq).collect();
        let Some(new_last) = fresh.last().map(|c| c.seq) else {
            return Ok(PushResponse { last_seq });
        };
        let missing = missing_blobs(&mut tx, learner_id, &fresh).await?;
        if !missing.is_empty() {
            return Err(DbError::MissingBlobs(MissingBlobs { missing }));
        }
        // Stream positions in the push's order: a review holds its own on its row in
        // `reviews`, every other change on its row in `feed`. Both inserts skip what the
        // learner already has (a review by its id, a change by its id: a replay under new
        // sequence numbers), and only the changes whose rows went in are applied below.
        let placed: Vec<(i64, &Change)> = fresh
            .iter()
            .map(|c| (head + 1 + (c.seq - req.first_seq) as i64, *c))
            .collect();
        add_reviews(&mut tx, learner_id, &device_id, &placed).await?;
        let origin = serde_json::to_string(&Origin::Device {
            device_id: req.device_id,
        })?;
        let mut new = add_stream_rows(&mut tx, learner_id, &device_id, &origin, &placed, |c| {
            encoded[(c.seq - req.first_seq) as usize].as_deref()
        })
        .await?;
        // Taken out as met, so an id sent twice in one batch is applied once, as streamed.
        let applied: Vec<&Change> = fresh
            .into_iter()
            .filter(|c| new.remove(&c.id.to_string()))
            .collect();
        let actor = format!("learner (device {})", short(&device_id));
        let evidence_ids: Vec<String> = applied
            .iter()
            .filter_map(|c| match &c.body {
                ChangeBody::EvidencePut(e) => Some(e.id.to_string()),
                ChangeBody::EvidenceDeleted(id) => Some(id.to_string()),
                ChangeBody::EvidenceWithdrawn(e) => Some(e.id.to_string()),
                _ => None,
            })
            .collect();
        let mut evidence = EvidenceMerge::load(&mut tx, learner_id, &actor, &evidence_ids).await?;
        for change in &applied {
            apply_change(&mut tx, learner_id, change, &mut evidence, &actor).await?;
        }
        evidence.write(&mut tx).await?;
        sqlx::query(
            "INSERT INTO devices (id, learner_id, last_seq) VALUES ($1, $2, $3) \
             ON CONFLICT (id) DO UPDATE SET last_seq = excluded.last_seq",
        )
        .bind(&device_id)
        .bind(learner_id)
        .bind(new_last as i64)
        .execute(&mut *tx)
        .await?;
        // Last, as they append to the audit chain (see `audit::append`). Each key was checked
        // by the core's push rules; parsing it again writes it in one spelling.
        for change in &applied {
            let ChangeBody::ExportKeyRegistered(record) = &change.body else {
                continue;
            };
            if let Ok(key) = SealPublicKey::from_hex(&record.public_key) {
                super::device_export_keys::register(
                    &mut tx,
                    learner_id,
                    &device_id,
                    &key.to_hex(),
                    &actor,
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(PushResponse { last_seq: new_last })
    }

    /// A learner's answers (not undone), for fitting scheduler parameters.
    pub async fn get_answers(&self, learner_id: &str) -> Result<Vec<crate::fit::Answer>, DbError> {
        let rows = sqlx::query(
            "SELECT card_id, time_ms, kind, tz_offset_min FROM reviews \
             WHERE learner_id = $1 AND undone = 0 AND kind BETWEEN 1 AND 4",
        )
        .bind(learner_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let card: String = r.try_get("card_id")?;
            let Ok(card) = uuid::Uuid::parse_str(&card) else {
                continue;
            };
            out.push(crate::fit::Answer {
                card: card.as_u128(),
                time_ms: r.try_get("time_ms")?,
                rating: r.try_get::<i64, _>("kind")? as u8,
                tz_offset_min: r.try_get::<i64, _>("tz_offset_min")? as i32,
            });
        }
        Ok(out)
    }

    /// The hour the learner's day starts, from the settings their devices synced (the app's
    /// default until they sync any).
    pub async fn get_rollover_hour(&self, learner_id: &str) -> Result<u8, DbError> {
        let stored: Option<(String,)> =
            sqlx::query_as("SELECT record FROM settings WHERE learner_id = $1")
                .bind(learner_id)
                .fetch_optional(&self.pool)
                .await?;
        let Some((record,)) = stored else {
            return Ok(Settings::default().rollover_hour);
        };
        let record: SettingsRecord = serde_json::from_str(&record)
            .map_err(|e| DbError::Corrupt(format!("stored settings: {e}")))?;
        Ok(record.settings.rollover_hour)
    }

    /// Queues fitted parameters for the learner's devices.
    pub async fn add_parameters(
        &self,
        learner_id: &str,
        parameters: &[f32],
        review_count: u64,
        fitted_ms: i64,
    ) -> Result<(), DbError> {
        let mut tx = self.begin_write().await?;
        let (pos,): (i64,) = sqlx::query_as(
            "UPDATE accounts SET feed_pos = feed_pos + 1 WHERE id = $1 AND role = 'learner' \
             RETURNING feed_pos",
        )
        .bind(learner_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(DbError::NotFound("The learner"))?;
        let body = PullBody::Parameters {
            parameters: parameters.to_vec(),
            review_count,
            fitted_ms,
        };
        sqlx::query(
            "INSERT INTO feed (learner_id, pos, change_id, device_id, origin, body) \
             VALUES ($1, $2, NULL, NULL, $3, $4)",
        )
        .bind(learner_id)
        .bind(pos)
        .bind(json(&Origin::Centre)?)
        .bind(json(&body)?)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// How many reviews a learner has on the centre (tests and the learner list).
    pub async fn count_reviews(&self, learner_id: &str) -> Result<i64, sqlx::Error> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM reviews WHERE learner_id = $1")
            .bind(learner_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }
}

fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

/// Attachment hashes the batch names that this learner has not uploaded.
async fn missing_blobs(
    conn: &mut AnyConnection,
    learner_id: &str,
    changes: &[&Change],
) -> Result<Vec<String>, sqlx::Error> {
    let named: BTreeSet<&str> = changes
        .iter()
        .flat_map(|c| c.body.attachment_hashes())
        .collect();
    if named.is_empty() {
        return Ok(Vec::new());
    }
    let named: Vec<&str> = named.into_iter().collect();
    let mut have = BTreeSet::new();
    for chunk in named.chunks(500) {
        let mut p = Params::for_conn(conn);
        let sql = format!(
            "SELECT sha256 FROM blobs WHERE learner_id = {} AND sha256 IN ({})",
            p.next(),
            p.list(chunk.len())
        );
        let mut q = sqlx::query_as::<_, (String,)>(AssertSqlSafe(sql)).bind(learner_id);
        for sha in chunk {
            q = q.bind(*sha);
        }
        have.extend(q.fetch_all(&mut *conn).await?.into_iter().map(|r| r.0));
    }
    Ok(named
        .into_iter()
        .filter(|s| !have.contains(*s))
        .map(str::to_string)
        .collect())
}

/// The stream rows of the batch's changes other than reviews, many to a statement; returns
/// the ids of the changes whose rows went in. A change the learner already has (a replay
/// under new sequence numbers, or its id twice in one batch) is skipped by the unique
/// `feed_change` index, so checking and writing are one statement.
async fn add_stream_rows<'c>(
    conn: &mut AnyConnection,
    learner_id: &str,
    device_id: &str,
    origin: &str,
    placed: &[(i64, &'c Change)],
    body: impl Fn(&Change) -> Option<&'c str>,
) -> Result<BTreeSet<String>, sqlx::Error> {
    let rows: Vec<&(i64, &Change)> = placed
        .iter()
        .filter(|(_, c)| !matches!(c.body, ChangeBody::Review(_)))
        .collect();
    let mut new = BTreeSet::new();
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO feed (learner_id, pos, change_id, device_id, origin, body, made_ms) \
             VALUES {} ON CONFLICT (learner_id, change_id) DO NOTHING RETURNING change_id",
            Params::for_conn(conn).rows(chunk.len(), 7)
        );
        let mut query = sqlx::query_as::<_, (String,)>(AssertSqlSafe(sql));
        for (pos, change) in chunk {
            query = query
                .bind(learner_id)
                .bind(*pos)
                .bind(change.id.to_string())
                .bind(device_id)
                .bind(origin)
                .bind(body(change).unwrap_or_default())
                .bind(change.time_ms);
        }
        new.extend(query.fetch_all(&mut *conn).await?.into_iter().map(|r| r.0));
    }
    Ok(new)
}

/// Review logs are a set: union by id, many rows per statement. Each new review row holds its
/// place in the learner's stream, the change that brought it and the device that pushed it:
/// the pull streams it from here.
async fn add_reviews(
    conn: &mut AnyConnection,
    learner_id: &str,
    device_id: &str,
    placed: &[(i64, &Change)],
) -> Result<(), DbError> {
    let reviews: Vec<(i64, &Change, &ReviewRecord)> = placed
        .iter()
        .filter_map(|(pos, c)| match &c.body {
            ChangeBody::Review(r) => Some((*pos, *c, r)),
            _ => None,
        })
        .collect();
    if reviews.is_empty() {
        return Ok(());
    }
    if conn.backend_name() == "SQLite" {
        add_review_rows(conn, learner_id, device_id, &reviews).await?;
    } else {
        add_reviews_as_json(conn, learner_id, device_id, &reviews).await?;
    }
    Ok(())
}

/// Reviews as multi-row INSERTs: SQLite binds values in order at almost no cost.
async fn add_review_rows(
    conn: &mut AnyConnection,
    learner_id: &str,
    device_id: &str,
    reviews: &[(i64, &Change, &ReviewRecord)],
) -> Result<(), sqlx::Error> {
    const COLS: usize = 14;
    for chunk in reviews.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO reviews (learner_id, id, card_id, time_ms, kind, value, duration_ms, \
             device_id, tz_offset_min, retention, pos, change_id, pushed_by, made_ms) VALUES {} \
             ON CONFLICT (learner_id, id) DO NOTHING",
            Params::for_conn(conn).rows(chunk.len(), COLS)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (pos, change, r) in chunk {
            q = q
                .bind(learner_id)
                .bind(r.0.to_string())
                .bind(r.1.to_string())
                .bind(r.2)
                .bind(r.3 as i64)
                .bind(r.4 as i64)
                .bind(r.5 as i64)
                .bind(r.6.to_string())
                .bind(r.7 as i64)
                .bind(r.8 as f64)
                .bind(*pos)
                .bind(change.id.to_string())
                .bind(device_id)
                .bind(change.time_ms);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// A review row as PostgreSQL's `json_to_recordset` reads it (keys are the columns).
#[derive(Serialize)]
struct ReviewRow {
    id: String,
    card_id: String,
    time_ms: i64,
    kind: u8,
    value: u32,
    duration_ms: u32,
    device_id: String,
    tz_offset_min: i32,
    retention: f64,
    pos: i64,
    change_id: String,
    made_ms: i64,
}

/// Reviews on PostgreSQL: the rows go as one JSON array, unpacked by the server. A day's 300
/// reviews as VALUES are 4,200 bound values, each sent, converted and planned as its own
/// expression; as JSON they are three, and the statement is short and planned once. Reviews
/// already held are left out by `NOT EXISTS` rather than `ON CONFLICT`, whose speculative
/// insertion logs an extra WAL record per row (a quarter more records and buffer reads per push
/// in `pg_stat_statements`). That is safe because the push holds the learner's row, so no other
/// push of theirs inserts between the check and the insert; the primary key still stands guard.
async fn add_reviews_as_json(
    conn: &mut AnyConnection,
    learner_id: &str,
    device_id: &str,
    reviews: &[(i64, &Change, &ReviewRecord)],
) -> Result<(), DbError> {
    let rows: Vec<ReviewRow> = reviews
        .iter()
        .map(|(pos, change, r)| ReviewRow {
            id: r.0.to_string(),
            card_id: r.1.to_string(),
            time_ms: r.2,
            kind: r.3,
            value: r.4,
            duration_ms: r.5,
            device_id: r.6.to_string(),
            tz_offset_min: r.7,
            retention: f64::from(r.8),
            pos: *pos,
            change_id: change.id.to_string(),
            made_ms: change.time_ms,
        })
        .collect();
    sqlx::query(
        "INSERT INTO reviews (learner_id, id, card_id, time_ms, kind, value, duration_ms, \
         device_id, tz_offset_min, retention, pos, change_id, pushed_by, made_ms) \
         SELECT $1, id, card_id, time_ms, kind, value, duration_ms, device_id, tz_offset_min, \
         retention, pos, change_id, $2, made_ms FROM (SELECT DISTINCT ON (id) * FROM \
         json_to_recordset($3::json) AS j(id TEXT, card_id TEXT, time_ms BIGINT, kind BIGINT, \
         value BIGINT, duration_ms BIGINT, device_id TEXT, tz_offset_min BIGINT, \
         retention DOUBLE PRECISION, pos BIGINT, change_id TEXT, made_ms BIGINT) \
         ORDER BY id, pos) r \
         WHERE NOT EXISTS (SELECT 1 FROM reviews h WHERE h.learner_id = $1 AND h.id = r.id)",
    )
    .bind(learner_id)
    .bind(device_id)
    .bind(json(&rows)?)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Applies one non-review change by its merge rule (evidence in memory, written afterwards).
async fn apply_change(
    conn: &mut AnyConnection,
    learner_id: &str,
    change: &Change,
    evidence: &mut EvidenceMerge<'_>,
    actor: &str,
) -> Result<(), DbError> {
    match &change.body {
        ChangeBody::Review(_) => {}
        ChangeBody::ReviewUndone(id) => {
            sqlx::query("UPDATE reviews SET undone = 1 WHERE learner_id = $1 AND id = $2")
                .bind(learner_id)
                .bind(id.to_string())
                .execute(&mut *conn)
                .await?;
        }
        ChangeBody::DeckPut(deck) => {
            put_record(
                conn,
                "decks",
                learner_id,
                &deck.id.to_string(),
                deck,
                change.time_ms,
            )
            .await?
        }
        ChangeBody::DeckDeleted(id) => {
            delete_record(conn, "decks", learner_id, &id.to_string(), change.time_ms).await?
        }
        ChangeBody::NotePut(note) => {
            put_record(
                conn,
                "notes",
                learner_id,
                &note.id.to_string(),
                note,
                change.time_ms,
            )
            .await?
        }
        ChangeBody::NoteDeleted(id) => {
            delete_record(conn, "notes", learner_id, &id.to_string(), change.time_ms).await?
        }
        ChangeBody::EvidencePut(record) => evidence.put(record),
        ChangeBody::EvidenceDeleted(id) => evidence.delete(&id.to_string(), change.time_ms),
        ChangeBody::EvidenceWithdrawn(record) => evidence.withdraw(record, change.time_ms),
        ChangeBody::HoursPut(record) => hours::put(conn, learner_id, record, actor).await?,
        ChangeBody::HoursDeleted(id) => {
            hours::delete(conn, learner_id, &id.to_string(), actor, change.time_ms).await?
        }
        ChangeBody::DeclarationSigned(event) => {
            super::declarations::put(conn, learner_id, event, change.time_ms).await?
        }
        ChangeBody::StrengthMeasured(measure) => {
            super::strength_measures::put(conn, learner_id, measure).await?
        }
        ChangeBody::UnitAcknowledged(ack) => {
            if let Err(why) =
                super::unit_sign_offs::take_acknowledgement(conn, learner_id, ack.as_ref()).await?
            {
                tracing::info!(learner_id, unit = %ack.unit_id, "unit acknowledgement left out: {why}");
            }
        }
        // Registered after the rest of the push (see `Db::push`).
        ChangeBody::ExportKeyRegistered(_) => {}
        ChangeBody::ReviewSigned(signature) => {
            if let Err(why) = super::progress_reviews::take_learner_signature(
                conn,
                learner_id,
                signature.as_ref(),
            )
            .await?
            {
                tracing::info!(learner_id, review = %signature.review_id, "review signature left out: {why}");
            }
        }
        ChangeBody::SettingsPut(settings) => {
            let record = json(settings)?;
            let stored: Option<(String,)> =
                sqlx::query_as("SELECT record FROM settings WHERE learner_id = $1")
                    .bind(learner_id)
                    .fetch_optional(&mut *conn)
                    .await?;
            if incoming_wins(stored.as_ref().map(|(t,)| t.as_str()), settings) {
                sqlx::query(
                    "INSERT INTO settings (learner_id, record, updated_ms) VALUES ($1, $2, $3) \
                     ON CONFLICT (learner_id) DO UPDATE SET record = excluded.record, \
                     updated_ms = excluded.updated_ms",
                )
                .bind(learner_id)
                .bind(record)
                .bind(change.time_ms)
                .execute(&mut *conn)
                .await?;
            }
        }
    }
    Ok(())
}

/// Serialises a record for a TEXT column.
pub(crate) fn json<T: serde::Serialize>(value: &T) -> Result<String, DbError> {
    Ok(serde_json::to_string(value)?)
}

/// Whether an incoming version beats the stored one: the core's rule on their stamps. A stored
/// record that cannot be read back as its type loses.
pub(crate) fn incoming_wins<R: Versioned + DeserializeOwned>(
    stored: Option<&str>,
    incoming: &R,
) -> bool {
    let stored = stored.and_then(|t| serde_json::from_str::<R>(t).ok());
    rules::remote_wins(stored.map(|r| r.hlc()), incoming.hlc())
}

/// Last writer (by stamp) wins; a tombstone wins over everything.
async fn put_record<R: Versioned + Serialize + DeserializeOwned>(
    conn: &mut AnyConnection,
    table: &'static str,
    learner_id: &str,
    id: &str,
    record: &R,
    time_ms: i64,
) -> Result<(), DbError> {
    let row: Option<(Option<String>, i64)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT record, deleted FROM {table} WHERE learner_id = $1 AND id = $2"
    )))
    .bind(learner_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((stored, deleted)) = &row {
        if *deleted != 0 || !incoming_wins(stored.as_deref(), record) {
            return Ok(());
        }
    }
    let sql = format!(
        "INSERT INTO {table} (learner_id, id, record, updated_ms) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (learner_id, id) DO UPDATE SET record = excluded.record, \
         updated_ms = excluded.updated_ms"
    );
    sqlx::query(AssertSqlSafe(sql))
        .bind(learner_id)
        .bind(id)
        .bind(json(record)?)
        .bind(time_ms)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn delete_record(
    conn: &mut AnyConnection,
    table: &'static str,
    learner_id: &str,
    id: &str,
    time_ms: i64,
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO {table} (learner_id, id, record, updated_ms, deleted) VALUES ($1, $2, NULL, $3, 1) \
         ON CONFLICT (learner_id, id) DO UPDATE SET deleted = 1, record = NULL"
    );
    sqlx::query(AssertSqlSafe(sql))
        .bind(learner_id)
        .bind(id)
        .bind(time_ms.max(now_ms()))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::incoming_wins;
    use pocketfolio_core::model::DeckId;
    use pocketfolio_core::sync::protocol::DeckRecord;
    use pocketfolio_core::sync::Hlc;

    fn deck(ms: i64, name: &str) -> DeckRecord {
        DeckRecord {
            id: DeckId::new_at(1),
            name: name.into(),
            description: String::new(),
            hlc: Hlc {
                wall_ms: ms,
                counter: 0,
                node: uuid::Uuid::from_u128(1),
            },
        }
    }

    #[test]
    fn the_later_stamp_wins_and_an_unreadable_stored_record_loses() {
        let stored = serde_json::to_string(&deck(2, "b")).unwrap();
        assert!(incoming_wins(Some(&stored), &deck(3, "c")));
        assert!(!incoming_wins(Some(&stored), &deck(1, "a")));
        assert!(
            !incoming_wins(Some(&stored), &deck(2, "b")),
            "the same version"
        );
        assert!(incoming_wins(None, &deck(1, "a")));
        assert!(incoming_wins(Some("not json"), &deck(1, "a")));
    }
}
