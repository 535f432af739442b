"""Opens a Pocketfolio export in real Anki (the PyPI `anki` package: Anki's own Rust backend)
and checks what Anki sees against what the export says it holds.

Usage: python check_export.py EXPORT.apkg EXPECTED.json
EXPECTED.json: {"notes": n, "cards": n, "decks": [names], "media": n, "revlog": n,
                "fields": {"<front text>": "<first field as Anki should have it>"},
                "suspended": n, "review_due_in_days": {"<front>": days}}
Exits non-zero with a message on the first difference.
"""
import json, os, sys, tempfile
from anki.collection import Collection, ImportAnkiPackageRequest, ImportAnkiPackageOptions

apkg, expected_path = sys.argv[1], sys.argv[2]
exp = json.load(open(expected_path))
col = Collection(os.path.join(tempfile.mkdtemp(), "collection.anki2"))
col.import_anki_package(ImportAnkiPackageRequest(
    package_path=apkg, options=ImportAnkiPackageOptions(with_scheduling=True)))

def check(what, got, want):
    if got != want:
        sys.exit(f"Anki sees {what} = {got!r}, expected {want!r}")

check("notes", col.note_count(), exp["notes"])
check("cards", col.card_count(), exp["cards"])
decks = sorted(d.name for d in col.decks.all_names_and_ids() if d.name != "Default")
check("decks", decks, sorted(exp["decks"]))
check("media files", len(os.listdir(col.media.dir())), exp["media"])
check("review log rows", col.db.scalar("select count() from revlog"), exp["revlog"])
check("suspended cards", col.db.scalar("select count() from cards where queue = -1"), exp["suspended"])
for front, first_field in exp["fields"].items():
    nids = col.find_notes(f'"{front}"')
    check(f"notes matching {front!r}", len(nids), 1)
    check(f"first field of {front!r}", col.get_note(nids[0]).fields[0], first_field)
today = col.sched.today
for front, days in exp["review_due_in_days"].items():
    cid = col.find_cards(f'"{front}" card:1')[0]
    card = col.get_card(cid)
    check(f"queue of {front!r}", card.queue, 2)
    check(f"days until {front!r} is due", card.due - today, days)
print(f"Anki {col.db.scalar('select ver from col')}: the export opens with nothing lost "
      f"({exp['notes']} notes, {exp['cards']} cards, {len(decks)} decks, {exp['media']} media, {exp['revlog']} reviews)")
col.close()
