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

# Rust: the toolchain from rustup (Debian's own rustc is older than this workspace's
# rust-version). Installed for this user when missing, with the components the tests use.
require_cargo() {
  if [ -f "$HOME/.cargo/env" ]; then
    # shellcheck source=/dev/null
    source "$HOME/.cargo/env"
  fi
  if ! command -v cargo >/dev/null; then
    install_debian_packages curl ca-certificates
    echo "Installing Rust with rustup (https://rustup.rs) for this user"
    if ! curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs -o /tmp/rustup-init.sh; then
      echo "Rust is not installed and rustup could not be downloaded. Install Rust with rustup (https://rustup.rs), then run this again." >&2
      exit 1
    fi
    sh /tmp/rustup-init.sh -y --profile minimal --component rustfmt,clippy
    # shellcheck source=/dev/null
    source "$HOME/.cargo/env"
  fi
  # A toolchain installed with rustup's minimal profile lacks the linters the tests run.
  if command -v rustup >/dev/null; then
    cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
    cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
  fi
}
