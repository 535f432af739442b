# Shared by scripts/run and scripts/test: install what the build needs, once.
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/pocketfolio/target}"

# Debian/Ubuntu packages: the Dioxus desktop toolkit (WebKitGTK), a virtual display for
# headless runs, Chromium for browser tests, PostgreSQL for the centre's second backend,
# Node for the browser test runner.
DEBIAN_PACKAGES=(
  build-essential pkg-config libssl-dev
  libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev libxdo-dev
  xvfb xauth
)
# python3-venv: the real-Anki check (crates/core/tests/anki/check-export.sh) installs PyPI `anki` into a venv.
TEST_PACKAGES=(chromium postgresql nodejs npm python3 python3-venv)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_debian_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  # Node may come from elsewhere (nvm, NodeSource): don't fight it.
  if command -v node >/dev/null && command -v npm >/dev/null; then
    local kept=()
    for pkg in "${missing[@]}"; do
      case "$pkg" in nodejs|npm) ;; *) kept+=("$pkg") ;; esac
    done
    missing=("${kept[@]}")
  fi
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

require_cargo() {
  if ! command -v cargo >/dev/null; then
    echo "Rust is not installed. Install it with rustup (https://rustup.rs), then run this again." >&2
    exit 1
  fi
}
