//! A page of a learner's pull stream, read on a connection the caller holds, so a pull reads
//! its page and everything sent with it on one connection (each checkout costs a ping when the
//! connection goes back to the pool: a round trip on PostgreSQL).

use super::error::DbError;
use super::Db;
use pocketfolio_core::sync::protocol::{limits, Origin, PullResponse, PulledChange};
use sqlx::{AnyConnection, Row};

/// Most changes in one pull page.
pub const MAX_PAGE: u64 = limits::MAX_PULL_CHANGES;

impl Db {
    /// A page of the learner's stream after `since`, leaving out `skip_device`'s own changes
    /// (the stream alone: `services::sync::pull` adds what a page carries besides).
    pub async fn pull(
        &self,
        learner_id: &str,
        since: u64,
        limit: u64,
        skip_device: Option<&str>,
    ) -> Result<PullResponse, DbError> {
        get_page(
            &mut *self.pool.acquire().await?,
            learner_id,
            since,
            limit,
            skip_device,
        )
        .await
    }
}

/// [`Db::pull`] on a connection the caller holds.
pub(crate) async fn get_page(
    conn: &mut AnyConnection,
    learner_id: &str,
    since: u64,
    limit: u64,
    skip_device: Option<&str>,
) -> Result<PullResponse, DbError> {
    let limit = limit.clamp(1, MAX_PAGE);
    // The head and the page in one statement, so one snapshot: every position up to the head
    // it reads has committed (a push bumps the head and adds its rows in one transaction).
    // The left join gives one row of nulls when the page is empty, and none when there is no
    // such learner.
    let rows = sqlx::query(
        "SELECT a.feed_pos, f.pos, f.origin, f.body, f.made_ms FROM accounts a \
         LEFT JOIN feed f ON f.learner_id = a.id AND f.pos > $2 AND f.pos <= a.feed_pos \
         AND (f.device_id IS NULL OR f.device_id <> $3) \
         WHERE a.id = $1 AND a.role = 'learner' ORDER BY f.pos LIMIT $4",
    )
    .bind(learner_id)
    .bind(since as i64)
    .bind(skip_device.unwrap_or(""))
    .bind(limit as i64 + 1)
    .fetch_all(&mut *conn)
    .await?;
    let Some(first) = rows.first() else {
        return Err(DbError::NoPortfolio);
    };
    let head: i64 = first.try_get("feed_pos")?;
    let mut page: Vec<(i64, String, String, Option<i64>)> = Vec::with_capacity(rows.len());
    for row in &rows {
        if let Some(pos) = row.try_get::<Option<i64>, _>("pos")? {
            page.push((
                pos,
                row.try_get("origin")?,
                row.try_get("body")?,
                row.try_get("made_ms")?,
            ));
        }
    }
    let mut more = page.len() as u64 > limit;
    let mut changes = Vec::with_capacity(page.len().min(limit as usize));
    let mut bytes = 0;
    let mut last_pos = since;
    // A device's changes share one origin: read it once.
    let mut last_origin: Option<(&str, Origin)> = None;
    for (i, (pos, origin_text, body, made_ms)) in page.iter().take(limit as usize).enumerate() {
        // A page stops at its byte cap (after at least one change), so one pull never
        // carries more than about MAX_PULL_PAGE_BYTES whatever the changes hold.
        bytes += origin_text.len() + body.len();
        if i > 0 && bytes > limits::MAX_PULL_PAGE_BYTES {
            more = true;
            break;
        }
        last_pos = *pos as u64;
        let origin = match &last_origin {
            Some((text, origin)) if *text == origin_text.as_str() => Ok(origin.clone()),
            _ => serde_json::from_str::<Origin>(origin_text),
        };
        if let Ok(origin) = &origin {
            last_origin = Some((origin_text, origin.clone()));
        }
        match (origin, serde_json::from_str(body)) {
            (Ok(origin), Ok(body)) => changes.push(PulledChange {
                cursor: *pos as u64,
                origin,
                body,
                made_ms: *made_ms,
            }),
            // A row stored before pushes were checked can hold what cannot be read back
            // (a number beyond f32 written as null). Skip it and say so in the log, rather
            // than fail every pull over it for ever.
            (origin, body) => tracing::error!(
                learner_id,
                pos,
                origin_error = ?origin.err(),
                body_error = ?body.err(),
                "skipping an unreadable stored change"
            ),
        }
    }
    let cursor = if more {
        last_pos
    } else {
        (head as u64).max(since)
    };
    Ok(PullResponse {
        changes,
        cursor,
        more,
        enrolment: None,
        official: None,
        programme: None,
        reviews_held: None,
        progress_reviews: None,
        unit_sign_offs: None,
        accepted_kinds: None,
    })
}
