//! Writing the portfolio export off the UI thread and without the collection's lock: the
//! screen takes a snapshot (`Collection::portfolio_snapshot`, rows only), and the ZIP, with
//! every attachment copied through from the attachment folder, is written here on a thread of
//! its own. It goes under a temporary name renamed when complete, so a full disk never leaves
//! a half-written export that looks whole.

use pocketfolio_core::portfolio::{write_portfolio_zip, ExportSummary, FolderSource, Portfolio};
use pocketfolio_core::CoreError;
use std::path::PathBuf;

/// Writes `portfolio` into `folder` as `portfolio-<local time>.zip`; returns where it went and
/// what it holds, or a sentence for the learner.
pub async fn write_export(
    portfolio: Portfolio,
    mut source: FolderSource,
    folder: PathBuf,
) -> Result<(PathBuf, ExportSummary), String> {
    let (tx, rx) = futures::channel::oneshot::channel();
    std::thread::spawn(move || {
        let _ = tx.send(write(&portfolio, &mut source, &folder).map_err(|e| e.to_string()));
    });
    rx.await
        .map_err(|_| "The export stopped part-way.".to_string())?
}

fn write(
    portfolio: &Portfolio,
    source: &mut FolderSource,
    folder: &std::path::Path,
) -> Result<(PathBuf, ExportSummary), CoreError> {
    std::fs::create_dir_all(folder).map_err(|e| CoreError::io(folder, e))?;
    let stamp = chrono::Local::now().format("%Y-%m-%d-%H%M%S");
    let path = folder.join(format!("portfolio-{stamp}.zip"));
    let partial = path.with_extension("zip.partial");
    let result = (|| {
        let file = std::fs::File::create(&partial).map_err(|e| CoreError::io(&partial, e))?;
        let mut out = std::io::BufWriter::new(file);
        let summary = write_portfolio_zip(portfolio, &mut out, source)?;
        let file = out
            .into_inner()
            .map_err(|e| CoreError::io(&partial, e.into_error()))?;
        file.sync_all().map_err(|e| CoreError::io(&partial, e))?;
        std::fs::rename(&partial, &path).map_err(|e| CoreError::io(&path, e))?;
        Ok(summary)
    })();
    match result {
        Ok(summary) => Ok((path, summary)),
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::write_export;
    use pocketfolio_core::{Collection, SystemClock};
    use std::sync::Arc;

    #[test]
    fn the_export_is_written_from_a_snapshot_after_the_collection_is_let_go() {
        let dir = tempfile::tempdir().unwrap();
        let mut col = Collection::open(&dir.path().join("c.db"), Arc::new(SystemClock)).unwrap();
        let id = col.create_quick_note("Shelf edge labels").unwrap();
        col.attach_file(id, "shelf.jpg", "image/jpeg", b"jpeg bytes")
            .unwrap();
        let (portfolio, source) = col.portfolio_snapshot("Sam").unwrap();
        drop(col);
        let folder = dir.path().join("exports");
        let (path, summary) =
            futures::executor::block_on(write_export(portfolio, source, folder.clone())).unwrap();
        assert_eq!((summary.items, summary.attachments), (1, 1));
        assert_eq!(std::fs::metadata(&path).unwrap().len(), summary.bytes);
        let names: Vec<_> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names.len(), 1, "no partial file left: {names:?}");
        assert!(names[0].starts_with("portfolio-") && names[0].ends_with(".zip"));
    }
}
