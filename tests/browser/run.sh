#!/usr/bin/env bash
# Browser tests of the learner app: installs playwright-core (no browser download), builds the
# preview binary, and runs every *.test.mjs with node's test runner against Debian's chromium.
# Needs: node 20+, npm, cargo, and `apt-get install chromium`. Screenshots go to test-output/.
# PF_RELEASE=1 builds and times an optimised preview.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"

chromium="${PF_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "Chromium not found at $chromium: install it with 'apt-get install -y chromium'." >&2
  exit 1
fi

npm ci --no-audit --no-fund --loglevel=error

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
profile=debug
flags=()
if [ "${PF_RELEASE:-0}" = 1 ]; then profile=release; flags+=(--release); fi
cargo build --manifest-path "$root/Cargo.toml" --bin pocketfolio --no-default-features --features preview "${flags[@]}"
# The desktop build writes the same file name: keep the preview binary apart.
mkdir -p "$CARGO_TARGET_DIR/browser-tests"
cp "$CARGO_TARGET_DIR/$profile/pocketfolio" "$CARGO_TARGET_DIR/browser-tests/pocketfolio-preview"
export PF_PREVIEW_BIN="$CARGO_TARGET_DIR/browser-tests/pocketfolio-preview"
# The sync test runs the real centre.
cargo build --manifest-path "$root/Cargo.toml" -p pocketfolio-centre "${flags[@]}"
export PF_CENTRE_BIN="$CARGO_TARGET_DIR/$profile/pocketfolio-centre"
export PF_TEST_OUTPUT="${PF_TEST_OUTPUT:-$root/test-output}"

mkdir -p "$PF_TEST_OUTPUT"
rm -f "$PF_TEST_OUTPUT/speed.txt"
status=0
# A file that hangs (a page that never answers) fails after half an hour instead of holding CI
# until its own limit. Node 20 applies the limit to each file as a whole; the longest file (the
# speed test) takes a few minutes.
node --test --test-concurrency=1 --test-timeout=1800000 journey.test.mjs new_learner.test.mjs review_bar.test.mjs witness_mode.test.mjs desktop.test.mjs evidence.test.mjs file_picker.test.mjs signatures.test.mjs unit_sign_off.test.mjs sync.test.mjs sync_state.test.mjs a11y.test.mjs ready_by.test.mjs anki.test.mjs hours.test.mjs progress_review.test.mjs employer_account.test.mjs export_check.test.mjs speed.test.mjs || status=$?
if [ -f "$PF_TEST_OUTPUT/speed.txt" ]; then
  echo "Speed:"
  cat "$PF_TEST_OUTPUT/speed.txt"
fi
exit "$status"
