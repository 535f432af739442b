//! Real Anki opens what we export: run by `crates/core/tests/anki/check-export.sh`, which
//! installs Anki's own backend from PyPI into a venv and passes its Python in
//! `PF_ANKI_PYTHON`. Ignored in a plain `cargo test`, which has no Anki.

use pocketfolio_core::export::Scope;
use pocketfolio_core::{Collection, SystemClock};
use std::path::Path;
use std::sync::Arc;

#[test]
#[ignore = "needs Anki from PyPI: run crates/core/tests/anki/check-export.sh"]
fn anki_opens_our_export_with_nothing_lost() -> anyhow::Result<()> {
    let python = std::env::var("PF_ANKI_PYTHON")
        .map_err(|_| anyhow::anyhow!("set PF_ANKI_PYTHON to a Python with `anki` installed"))?;
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/anki");
    let expected: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixtures.join("expected.json"))?)?;
    let dir = tempfile::tempdir()?;
    // The real clock, as Anki's: due dates are counted from today on both sides.
    let mut col =
        Collection::open_in_memory(Arc::new(SystemClock), Some(dir.path().join("blobs")))?;
    col.import_anki(
        "fixture.apkg",
        &std::fs::read(fixtures.join("anki-26-modern.apkg"))?,
        "Imported",
    )?;
    // Answer two cards here, so history made in Pocketfolio goes too.
    pocketfolio_core::testing::answer_next_cards(&mut col, 2, 4_000)?;
    let apkg = dir.path().join("export.apkg");
    let package = col.export_apkg(&Scope::All, &mut std::fs::File::create(&apkg)?)?;
    // The fixture's cards were due 9 and 5 days after the day it was made; days have passed.
    let made_secs = expected["anki_created_secs"].as_i64().unwrap_or_default();
    let days_since = (chrono::Utc::now().timestamp() - made_secs).div_euclid(86_400);
    let due_in = |days: i64| (days - days_since).max(0);
    let want = serde_json::json!({
        "notes": package.notes,
        "cards": package.cards,
        "decks": ["Negotiation", "Retail", "Retail::Pricing", "Retail::Stock"],
        "media": package.media,
        "revlog": package.reviews,
        "suspended": 1,
        "fields": {
            "Planogram": "Planogram: the plan of where each product sits",
            "Shelf-edge": "Shelf-edge label: {{c1::<img src=\"label.png\">}}",
            "FIFO": "FIFO",
        },
        "review_due_in_days": { "What is a BATNA?": due_in(9), "Markup": due_in(5) },
    });
    let want_path = dir.path().join("expected.json");
    std::fs::write(&want_path, serde_json::to_vec(&want)?)?;
    let out = std::process::Command::new(python)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/anki/check_export.py"))
        .arg(&apkg)
        .arg(&want_path)
        .output()?;
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    println!("{text}");
    Ok(())
}
