//! A page of a learner's pull stream, read on a connection the caller holds, so a pull reads
//! its page and everything sent with it on one connection (each checkout costs a ping when the
//! connection goes back to the pool: a round trip on PostgreSQL).

use super::error::DbError;
use super::Db;
use pocketfolio_core::model::{CardId, DeviceId, ReviewId};
use pocketfolio_core::sync::protocol::{
    limits, ChangeBody, Origin, PullBody, PullResponse, PulledChange, ReviewRecord,
};
use sqlx::any::AnyRow;
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
    // The head first: every position up to it has committed (a push adds its rows and bumps
    // the head in one transaction, and rows are never taken back), so the page read after it
    // below sees each of them whatever commits in between.
    let head: Option<(i64,)> =
        sqlx::query_as("SELECT feed_pos FROM accounts WHERE id = $1 AND role = 'learner'")
            .bind(learner_id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((head,)) = head else {
        return Err(DbError::NoPortfolio);
    };
    // The stream is the feed's rows and the reviews' (a review is streamed from its own row,
    // see `sync::add_reviews`), merged by position; each side is cut at the page size first so
    // a long history is not read whole.
    let rows = sqlx::query(
        "SELECT * FROM (SELECT pos, origin, body, made_ms, CAST(NULL AS TEXT) AS id, CAST(NULL AS TEXT) AS card_id, \
         CAST(NULL AS BIGINT) AS time_ms, CAST(NULL AS BIGINT) AS kind, CAST(NULL AS BIGINT) AS value, CAST(NULL AS BIGINT) AS duration_ms, CAST(NULL AS TEXT) AS device_id, \
         CAST(NULL AS BIGINT) AS tz_offset_min, CAST(NULL AS DOUBLE PRECISION) AS retention, CAST(NULL AS TEXT) AS pushed_by FROM feed \
         WHERE learner_id = $1 AND pos > $2 AND pos <= $3 \
         AND (device_id IS NULL OR device_id <> $4) ORDER BY pos LIMIT $5) f \
         UNION ALL \
         SELECT * FROM (SELECT pos, CAST(NULL AS TEXT) AS origin, CAST(NULL AS TEXT) AS body, made_ms, id, card_id, time_ms, \
         kind, value, duration_ms, device_id, tz_offset_min, retention, pushed_by FROM reviews \
         WHERE learner_id = $1 AND pos > $2 AND pos <= $3 AND pushed_by <> $4 \
         ORDER BY pos LIMIT $5) r \
         ORDER BY pos LIMIT $5",
    )
    .bind(learner_id)
    .bind(since as i64)
    .bind(head)
    .bind(skip_device.unwrap_or(""))
    .bind(limit as i64 + 1)
    .fetch_all(&mut *conn)
    .await?;
    let mut page: Vec<(i64, Stored, Option<i64>)> = Vec::with_capacity(rows.len());
    for row in &rows {
        let pos: i64 = row.try_get("pos")?;
        let stored = match row.try_get::<Option<String>, _>("id")? {
            Some(id) => Stored::Review(review_from_row(&id, row)),
            None => Stored::Text(row.try_get("origin")?, row.try_get("body")?),
        };
        page.push((pos, stored, row.try_get("made_ms")?));
    }
    let mut more = page.len() as u64 > limit;
    let mut changes = Vec::with_capacity(page.len().min(limit as usize));
    let mut bytes = 0;
    let mut last_pos = since;
    // A device's changes come in runs and share one origin: read it once per run.
    let mut last_origin: Option<(&str, Origin, usize)> = None;
    for (i, (pos, stored, made_ms)) in page.iter().take(limit as usize).enumerate() {
        let key = stored.origin_key();
        let (origin, origin_len) = match &last_origin {
            Some((last, origin, len)) if *last == key => (Ok(origin.clone()), *len),
            _ => stored.read_origin(),
        };
        if let Ok(origin) = &origin {
            last_origin = Some((key, origin.clone(), origin_len));
        }
        let body = stored.read_body();
        // A page stops at its byte cap (after at least one change), so one pull never
        // carries more than about MAX_PULL_PAGE_BYTES whatever the changes hold. A review
        // counts as the JSON it would be, so pages end where they did when the feed held it.
        bytes += origin_len + body.as_ref().map_or(0, |(_, len)| *len);
        if i > 0 && bytes > limits::MAX_PULL_PAGE_BYTES {
            more = true;
            break;
        }
        last_pos = *pos as u64;
        match (origin, body) {
            (Ok(origin), Ok((body, _))) => changes.push(PulledChange {
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

/// A stream row as stored: its origin and body as JSON (a feed row), or a review read from its
/// columns with the device that pushed it (or why it could not be read).
enum Stored {
    Text(String, String),
    Review(Result<(ReviewRecord, String), String>),
}

impl Stored {
    /// What tells one origin from another without reading it: a feed row's origin JSON, a
    /// review's pushing device (a device id never starts with `{`, as JSON does).
    fn origin_key(&self) -> &str {
        match self {
            Stored::Text(origin, _) | Stored::Review(Ok((_, origin))) => origin,
            Stored::Review(Err(_)) => "",
        }
    }

    /// The origin, and the bytes of its JSON (read or not).
    fn read_origin(&self) -> (Result<Origin, String>, usize) {
        match self {
            Stored::Text(text, _) => (
                serde_json::from_str(text).map_err(|e| e.to_string()),
                text.len(),
            ),
            Stored::Review(Ok((_, pushed_by))) => match DeviceId::parse(pushed_by) {
                Ok(device_id) => {
                    let origin = Origin::Device { device_id };
                    let len = json_len(&origin).unwrap_or(0);
                    (Ok(origin), len)
                }
                Err(e) => (Err(e.to_string()), 0),
            },
            Stored::Review(Err(why)) => (Err(why.clone()), 0),
        }
    }

    /// The body, with the bytes of its JSON.
    fn read_body(&self) -> Result<(PullBody, usize), String> {
        match self {
            Stored::Text(_, text) => serde_json::from_str(text)
                .map(|body| (body, text.len()))
                .map_err(|e| e.to_string()),
            Stored::Review(Ok((review, _))) => {
                let body = PullBody::Learner(ChangeBody::Review(review.clone()));
                let len = json_len(&body).map_err(|e| e.to_string())?;
                Ok((body, len))
            }
            Stored::Review(Err(why)) => Err(why.clone()),
        }
    }
}

/// How many bytes `value` takes as JSON, without keeping them.
fn json_len<T: serde::Serialize>(value: &T) -> Result<usize, serde_json::Error> {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    serde_json::to_writer(&mut count, value)?;
    Ok(count.0)
}

/// The review `id` from the columns of its row, with the device that pushed it: the values
/// `sync::add_reviews` stored (each fits its field, as the push was checked), or why not.
fn review_from_row(id: &str, row: &AnyRow) -> Result<(ReviewRecord, String), String> {
    let text = |col: &str| {
        row.try_get::<String, _>(col)
            .map_err(|e| format!("review {id}: {col}: {e}"))
    };
    let int = |col: &str| {
        row.try_get::<i64, _>(col)
            .map_err(|e| format!("review {id}: {col}: {e}"))
    };
    let range = |col: &str| format!("review {id}: {col} out of range");
    let review = ReviewRecord(
        ReviewId::parse(id).map_err(|e| e.to_string())?,
        CardId::parse(&text("card_id")?).map_err(|e| e.to_string())?,
        int("time_ms")?,
        u8::try_from(int("kind")?).map_err(|_| range("kind"))?,
        u32::try_from(int("value")?).map_err(|_| range("value"))?,
        u32::try_from(int("duration_ms")?).map_err(|_| range("duration_ms"))?,
        DeviceId::parse(&text("device_id")?).map_err(|e| e.to_string())?,
        i32::try_from(int("tz_offset_min")?).map_err(|_| range("tz_offset_min"))?,
        row.try_get::<f64, _>("retention")
            .map_err(|e| format!("review {id}: retention: {e}"))? as f32,
    );
    Ok((review, text("pushed_by")?))
}
