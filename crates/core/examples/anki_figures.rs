//! Import and export figures for docs/performance.md (issue 13).
//!
//! `cargo run --release -p pocketfolio-core --example anki_figures -- DECK.apkg` imports the
//! deck from its file (as the app does: read where it lies, never whole in memory) into a
//! fresh collection file, exports everything to an .apkg file, and prints the times, the
//! counts and the process's peak resident memory after each (`VmHWM`; run it under
//! `/usr/bin/time -v` for a second opinion). `--write-bomb MB PATH` writes a tiny modern
//! package whose collection unpacks to MB megabytes of zeros behind a SQLite header;
//! `--import-only PATH` then imports a file without exporting, for its peak memory. The deck
//! list (the Decks screen's one call) is timed before and after the import in the same run.
//! With `PF_FIGURES_DIR=DIR` the collection is made in DIR and kept.

use pocketfolio_core::export::Scope;
use pocketfolio_core::{Collection, SystemClock};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = tempfile::tempdir()?;
    // PF_FIGURES_DIR keeps the collection afterwards, to look at its queries with `sqlite3`.
    let dir_path = std::env::var_os("PF_FIGURES_DIR")
        .map_or_else(|| dir.path().to_path_buf(), std::path::PathBuf::from);
    // Media go into `attachments/` beside the collection file, as in the app.
    let mut col = Collection::open(&dir_path.join("collection.db"), Arc::new(SystemClock))?;
    match args.first().map(String::as_str) {
        Some("--write-bomb") => {
            let mb: usize = args.get(1).map_or(Ok(512), |a| a.parse())?;
            let out = args
                .get(2)
                .ok_or_else(|| anyhow::anyhow!("--write-bomb MB PATH"))?;
            std::fs::write(out, bomb(mb)?)?;
            return Ok(());
        }
        Some("--import-only") => {
            let path = args
                .get(1)
                .ok_or_else(|| anyhow::anyhow!("--import-only PATH"))?;
            let started = Instant::now();
            let result =
                col.import_path_with_progress(path, Path::new(path), "Imported", &mut |_| {});
            println!(
                "file_kb={} import_ms={} peak_rss_mb={:.1} result={:?}",
                std::fs::metadata(path)?.len() / 1024,
                started.elapsed().as_millis(),
                peak_rss_mb(),
                result.map(|r| r.added).map_err(|e| e.to_string())
            );
            return Ok(());
        }
        _ => {}
    }
    let path = args.first().ok_or_else(|| {
        anyhow::anyhow!("usage: anki_figures DECK.apkg | --write-bomb MB PATH | --import-only PATH")
    })?;
    let rss_at_start = peak_rss_mb();
    // The deck list a learner sees before and after, timed in the same run.
    let deck_list = |col: &Collection| -> anyhow::Result<(usize, u128)> {
        let started = Instant::now();
        let decks = col.decks()?;
        Ok((decks.len(), started.elapsed().as_millis()))
    };
    let (decks_before, deck_list_ms_before) = deck_list(&col)?;
    let started = Instant::now();
    let report = col.import_path_with_progress(path, Path::new(path), "Imported", &mut |_| {})?;
    let import_ms = started.elapsed().as_millis();
    let rss_after_import = peak_rss_mb();
    let (decks_after, deck_list_ms_after) = deck_list(&col)?;
    println!(
        "deck_list_before: decks={decks_before} ms={deck_list_ms_before}; \
         deck_list_after: decks={decks_after} ms={deck_list_ms_after}"
    );
    let out = dir_path.join("export.apkg");
    let started = Instant::now();
    let package = {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&out)?);
        let package = col.export_apkg(&Scope::All, &mut file)?;
        file.flush()?;
        package
    };
    let export_ms = started.elapsed().as_millis();
    println!(
        "file_mb={:.1} notes={} cards={} decks={} reviews={} media={} skipped={} import_ms={import_ms} \
         export_ms={export_ms} export_mb={:.1} export_notes={} export_cards={} export_reviews={} export_media={} \
         peak_rss_mb_start={rss_at_start:.1} peak_rss_mb_after_import={rss_after_import:.1} peak_rss_mb_after_export={:.1}",
        std::fs::metadata(path)?.len() as f64 / 1_048_576.0,
        report.added,
        report.cards,
        report.decks.len(),
        report.reviews,
        report.media,
        report.skipped.len(),
        std::fs::metadata(&out)?.len() as f64 / 1_048_576.0,
        package.notes,
        package.cards,
        package.reviews,
        package.media,
        peak_rss_mb(),
    );
    Ok(())
}

/// The process's peak resident memory so far (`VmHWM`), in MiB; 0 where /proc is absent.
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn bomb(mb: usize) -> anyhow::Result<Vec<u8>> {
    let mut enc = zstd::stream::write::Encoder::new(Vec::new(), 19)?;
    enc.write_all(b"SQLite format 3\0")?;
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..mb {
        enc.write_all(&zeros)?;
    }
    let compressed = enc.finish()?;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("meta", opts)?;
    zip.write_all(&[0x08, 0x03])?;
    zip.start_file("collection.anki21b", opts)?;
    zip.write_all(&compressed)?;
    Ok(zip.finish()?.into_inner())
}
