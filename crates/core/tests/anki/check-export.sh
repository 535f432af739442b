#!/usr/bin/env bash
# Checks that real Anki opens Pocketfolio's .apkg export: installs Anki's own backend (PyPI
# `anki`, 26.09.x) into a venv once, then runs the ignored test that exports and asks Anki.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../../.." && pwd)"
venv="${PF_ANKI_VENV:-${TMPDIR:-/tmp}/pocketfolio-anki-venv}"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import anki' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet 'anki>=26.9,<27'
fi
cd "$root"
PF_ANKI_PYTHON="$venv/bin/python" cargo test -p pocketfolio-core --test anki_opens_export -- --ignored --nocapture
