//! The portfolio ZIP of a learner, made by the core's exporter (the one the phone uses) and
//! streamed: the exporter runs on a blocking thread and writes into a bounded channel that
//! feeds the response body, reading each attachment from the blob store as it goes. Memory
//! holds the page, the JSON and a few buffers, whatever the attachments weigh; a client that
//! reads slowly slows the exporter down instead of filling memory.

use crate::blobs::BlobStore;
use crate::db::accounts::Account;
use crate::db::portfolio::Reader;
use crate::db::unit_sign_offs::get_unit_sign_offs;
use crate::error::{ApiError, ApiResult};
use crate::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::Json;
use bytes::Bytes;
use futures::stream::BoxStream;
use futures::StreamExt;
use pocketfolio_core::model::Unit;
use pocketfolio_core::portfolio::{
    AttachmentSource, ExportSummary, Portfolio, PortfolioZip, SealKey, Sealer, SEAL_ALGORITHM,
    WELL_KNOWN_KEY_PATH,
};
use pocketfolio_core::CoreError;
use std::collections::HashSet;
use std::io::{Read, Write};
use tokio::runtime::Handle;
use tokio::sync::mpsc;

/// Bytes per message to the response body.
const CHUNK: usize = 64 * 1024;
/// Messages in flight: with [`CHUNK`], at most 256 KiB of ZIP waits for the client.
const IN_FLIGHT: usize = 4;

/// A turn to write one ZIP. ZIPs written at once are capped ([`crate::Config::zip_writers`],
/// per centre): each holds a blocking thread for as long as its client takes to read, and
/// reading the blob store needs blocking threads too, so an unbounded number of slow
/// downloads could starve them all.
pub struct WriterTurn {
    // Held, never read: dropping it frees the turn.
    _permit: tokio::sync::OwnedSemaphorePermit,
}

/// Waits for a turn to write a ZIP, at most [`crate::Config::zip_wait`]; past that the
/// download is refused as busy (503), so the caller hears when to try again instead of
/// waiting out the request timeout. Take the turn before auditing a download, so the log
/// records only downloads that were made.
pub async fn writer_turn(state: &AppState) -> ApiResult<WriterTurn> {
    let wait = state.config.zip_wait;
    match tokio::time::timeout(wait, state.zip_writers.clone().acquire_owned()).await {
        Ok(Ok(permit)) => Ok(WriterTurn { _permit: permit }),
        // The semaphore is never closed; a closed one could never give a turn either.
        Ok(Err(_)) | Err(_) => Err(ApiError::Busy),
    }
}

/// A learner's portfolio, ready to write, and the blobs it needs.
pub struct PortfolioExport {
    /// What the ZIP shows.
    pub portfolio: Portfolio,
    /// Where the attachments come from.
    pub source: BlobSource,
    /// Further files after the portfolio: (path in the ZIP, bytes).
    pub extra: Vec<(String, Vec<u8>)>,
}

/// Gathers `learner`'s portfolio as `reader` may see it: items as the core's items, with the
/// units the learner is enrolled on (every unit of the pack when not enrolled yet).
pub async fn gather(
    state: &AppState,
    learner: &Account,
    reader: Reader<'_>,
) -> ApiResult<PortfolioExport> {
    let (items, sizes) = state.db.get_portfolio_items(&learner.id, reader).await?;
    let mut held = HashSet::new();
    for (item, _) in &items {
        for a in &item.attachments {
            if sizes.contains_key(&a.sha256)
                && crate::blobs::is_sha256(&a.sha256)
                && !held.contains(&a.sha256)
                && state.blobs.stored_size(&a.sha256).await?.is_some()
            {
                held.insert(a.sha256.clone());
            }
        }
    }
    let source = BlobSource {
        blobs: state.blobs.clone(),
        held,
        handle: Handle::current(),
    };
    let content = &state.content;
    let enrolled = crate::enrolment::learner_enrolment(&state.db, content, &learner.id).await?;
    let units: Vec<Unit> = content
        .units
        .iter()
        .filter(|u| enrolled.as_ref().is_none_or(|e| e.units.contains(&u.id)))
        .cloned()
        .collect();
    let mut portfolio = Portfolio::assemble(
        &learner.display_name,
        crate::db::now_ms(),
        items,
        units,
        // As the learner's phone names them: with the centre's official references.
        crate::services::official::criteria(&state.db, content).await?,
        &source,
    );
    // The log must agree with the assessor signatures the centre keeps apart from it, or the
    // export says altered, as the item page does.
    portfolio.keep_signatures(state.db.get_kept_signatures(&learner.id).await?);
    portfolio.unit_sign_offs =
        get_unit_sign_offs(&mut *state.db.reader().await?, &learner.id).await?;
    portfolio.sealed_by = Some(sealer(state).await?);
    Ok(PortfolioExport {
        portfolio,
        source,
        extra: Vec::new(),
    })
}

/// The key the centre seals exports with: read from the database once, made and kept there
/// the first time (docs/design.md, "A verifiable export").
pub async fn seal_key(state: &AppState) -> ApiResult<SealKey> {
    let key = state
        .export_key
        .get_or_try_init(|| kept_seal_key(&state.db))
        .await?;
    Ok(key.clone())
}

/// The key kept in `db`, made and kept now if there is none.
pub async fn kept_seal_key(db: &crate::db::Db) -> ApiResult<SealKey> {
    let fresh = SealKey::generate()?;
    let kept = db
        .get_or_add_export_key(
            &fresh.secret_hex(),
            &fresh.public().to_hex(),
            crate::db::now_ms(),
        )
        .await?;
    Ok(SealKey::from_secret_hex(&kept)?)
}

/// Who seals the centre's exports, and where its key is published.
pub async fn sealer(state: &AppState) -> ApiResult<Sealer> {
    Ok(Sealer {
        key: seal_key(state).await?,
        signer: "the centre".to_string(),
        published_at: state
            .config
            .public_url
            .as_deref()
            .map(|url| format!("{}{WELL_KNOWN_KEY_PATH}", url.trim_end_matches('/'))),
    })
}

/// `GET /.well-known/pocketfolio-export-key`: the public key exports are sealed with, for
/// anyone to check an export against. Public: it is meant to be compared by anyone.
pub async fn published_key(State(state): State<AppState>) -> ApiResult<Json<serde_json::Value>> {
    let key = seal_key(&state).await?.public();
    Ok(Json(serde_json::json!({
        "algorithm": SEAL_ALGORITHM,
        "public_key": key.to_hex(),
        "fingerprint": key.fingerprint(),
    })))
}

/// The blob store as the exporter's source of attachment bytes. Its calls block, so it is
/// used only on a blocking thread.
pub struct BlobSource {
    blobs: BlobStore,
    held: HashSet<String>,
    handle: Handle,
}

impl AttachmentSource for BlobSource {
    fn holds(&self, sha256: &str) -> bool {
        self.held.contains(sha256)
    }

    fn open(&mut self, sha256: &str) -> std::io::Result<Box<dyn Read + '_>> {
        let stream = self
            .handle
            .block_on(self.blobs.open(sha256))
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(Box::new(StreamReader {
            handle: &self.handle,
            stream,
            current: Bytes::new(),
        }))
    }

    fn place(&self) -> &str {
        "the centre"
    }
}

/// Reads a byte stream from blocking code, one piece at a time.
struct StreamReader<'a> {
    handle: &'a Handle,
    stream: BoxStream<'static, object_store::Result<Bytes>>,
    current: Bytes,
}

impl Read for StreamReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            match self.handle.block_on(self.stream.next()) {
                Some(Ok(bytes)) => self.current = bytes,
                Some(Err(e)) => return Err(std::io::Error::other(e)),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current.split_to(n));
        Ok(n)
    }
}

/// Writes the ZIP into a channel in [`CHUNK`]s; blocks while the channel is full.
pub struct ChannelWriter {
    tx: mpsc::Sender<std::io::Result<Bytes>>,
    buffer: Vec<u8>,
}

impl Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(buf);
        if self.buffer.len() >= CHUNK {
            self.flush()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK),
        ));
        // The receiver is gone when the client went away: stop writing.
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }
}

/// A response body fed by `write` running on a blocking thread, which holds `turn` until it
/// ends. An error part-way ends the body with an error, so the client sees a cut-off
/// download, never a ZIP that looks whole.
pub fn stream_body<F>(turn: WriterTurn, write: F) -> Body
where
    F: FnOnce(&mut ChannelWriter) -> Result<(), CoreError> + Send + 'static,
{
    let (tx, rx) = mpsc::channel(IN_FLIGHT);
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        let mut writer = ChannelWriter {
            tx: tx.clone(),
            buffer: Vec::with_capacity(CHUNK),
        };
        let result = write(&mut writer).and_then(|()| {
            writer
                .flush()
                .map_err(|e| CoreError::io("the portfolio download", e))
        });
        if let Err(e) = result {
            tracing::warn!(error = %e, "the portfolio ZIP stopped part-way");
            let _ = tx.blocking_send(Err(std::io::Error::other(e.to_string())));
        }
    });
    Body::from_stream(futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|part| (part, rx))
    }))
}

/// The ZIP of a gathered portfolio, streamed.
pub fn portfolio_body(turn: WriterTurn, export: PortfolioExport) -> Body {
    stream_body(turn, move |out| write_zip(export, out).map(|_| ()))
}

/// Writes the ZIP (on a blocking thread: the source blocks): the portfolio, then any extra
/// files the export carries.
pub fn write_zip<W: Write>(export: PortfolioExport, out: W) -> Result<ExportSummary, CoreError> {
    let PortfolioExport {
        portfolio,
        mut source,
        extra,
    } = export;
    let mut zip = PortfolioZip::new(out);
    zip.write_portfolio(&portfolio, &mut source, &extra)?;
    Ok(zip.finish()?.0)
}

/// A learner's subject-access export: the same ZIP as the portfolio download, of everything
/// the centre holds of theirs (their drafts too: it is their copy), plus
/// `subject-access/account.json` (the account, qualifications and assessors),
/// `subject-access/sessions.json` (sign-ins and devices, without secrets),
/// `subject-access/declaration.json` (their signature of the declaration of authenticity that
/// stands, or null) and `subject-access/audit.json` (every audit entry by them or about them).
pub async fn gather_subject_access(
    state: &AppState,
    learner: &Account,
) -> ApiResult<PortfolioExport> {
    let mut export = gather(state, learner, Reader::Subject).await?;
    let db = &state.db;
    for (name, value) in [
        ("account", db.get_subject_account(&learner.id).await?),
        ("sessions", db.get_subject_sessions(&learner.id).await?),
        (
            "declaration",
            db.get_subject_declaration(&learner.id).await?,
        ),
        ("audit", db.get_subject_audit(&learner.id).await?),
    ] {
        let bytes =
            serde_json::to_vec_pretty(&value).map_err(|e| ApiError::Internal(e.to_string()))?;
        export
            .extra
            .push((format!("subject-access/{name}.json"), bytes));
    }
    Ok(export)
}

/// The name a learner's ZIP is offered under.
pub fn file_name(learner: &Account, what: &str) -> String {
    let name: String = learner
        .username
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    format!("{what}-{name}.zip")
}

impl From<CoreError> for ApiError {
    fn from(e: CoreError) -> Self {
        ApiError::Internal(e.to_string())
    }
}
