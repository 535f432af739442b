//! Import and export figures for docs/performance.md (issue 13).
//!
//! `cargo run --release -p pocketfolio-core --example anki_figures -- DECK.apkg` imports the
//! deck into a fresh collection file, exports everything to .apkg, and prints the times and
//! counts; run it under `/usr/bin/time -v` for the peak memory. `--write-bomb MB PATH` writes
//! a tiny modern package whose collection unpacks to MB megabytes of zeros behind a SQLite
//! header; `--import-only PATH` then imports a file without exporting, for its peak memory.

use pocketfolio_core::export::Scope;
use pocketfolio_core::{Collection, SystemClock};
use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = tempfile::tempdir()?;
    let mut col = Collection::open(&dir.path().join("collection.db"), Arc::new(SystemClock))?;
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
            let data = std::fs::read(path)?;
            let started = Instant::now();
            let result = col.import_anki(path, &data, "Imported");
            println!(
                "file_kb={} import_ms={} result={:?}",
                data.len() / 1024,
                started.elapsed().as_millis(),
                result.map(|r| r.added).map_err(|e| e.to_string())
            );
            return Ok(());
        }
        _ => {}
    }
    let path = args.first().ok_or_else(|| {
        anyhow::anyhow!("usage: anki_figures DECK.apkg | --write-bomb MB PATH | --import-only PATH")
    })?;
    let data = std::fs::read(path)?;
    let started = Instant::now();
    let report = col.import_anki(path, &data, "Imported")?;
    let import_ms = started.elapsed().as_millis();
    let started = Instant::now();
    let package = col.export_apkg(&Scope::All)?;
    let export_ms = started.elapsed().as_millis();
    println!(
        "file_mb={:.1} notes={} cards={} decks={} reviews={} media={} skipped={} import_ms={import_ms} \
         export_ms={export_ms} export_mb={:.1} export_notes={} export_cards={} export_reviews={} export_media={}",
        data.len() as f64 / 1_048_576.0,
        report.added,
        report.cards,
        report.decks.len(),
        report.reviews,
        report.media,
        report.skipped.len(),
        package.bytes.len() as f64 / 1_048_576.0,
        package.notes,
        package.cards,
        package.reviews,
        package.media,
    );
    Ok(())
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
