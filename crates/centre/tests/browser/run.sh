#!/usr/bin/env bash
# Browser test of the assessor pages: builds the centre, seeds accounts with the admin
# commands, serves on a spare loopback port with a throwaway data folder, and runs
# `node --test` against it with Debian's chromium. Screenshots go to test-output/centre/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"

cd "$here"
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund

# PF_CENTRE_BIN: a centre binary already built (skips the cargo build).
bin="${PF_CENTRE_BIN:-}"
if [ -z "$bin" ]; then
    (cd "$root" && cargo build -q -p pocketfolio-centre)
    bin="${CARGO_TARGET_DIR:-$root/target}/debug/pocketfolio-centre"
fi

data="$(mktemp -d /tmp/pf-centre-browser.XXXXXX)"
cleanup() {
    if [ -n "${pid:-}" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$data"
}
trap cleanup EXIT

export PF_DATA_DIR="$data" RUST_LOG=warn
PF_PASSWORD="assessor password" "$bin" admin create assessor ann --name "Ann Assessor" >/dev/null
PF_PASSWORD="learner password" "$bin" admin create learner lee --name "Lee Learner" >/dev/null
"$bin" admin assign ann lee >/dev/null
# For the IQA journey: an administrator who grants the IQA role, and the IQA.
PF_PASSWORD="admin password" "$bin" admin create admin root --name "Root Admin" >/dev/null
PF_PASSWORD="iqa password" "$bin" admin create assessor ivy --name "Ivy IQA" >/dev/null
"$bin" admin enrol lee proqual-cs-l2 >/dev/null
# For the EQA visit: a second learner of Ann's on the same qualification, and an IQA made from
# the command line (Ivy is made one on the pages by the IQA journey).
PF_PASSWORD="learner password" "$bin" admin create learner lou --name "Lou Learner" >/dev/null
"$bin" admin assign ann lou >/dev/null
"$bin" admin enrol lou proqual-cs-l2 >/dev/null
PF_PASSWORD="iqa password" "$bin" admin create assessor ida --name "Ida IQA" >/dev/null
"$bin" admin grant-role ida iqa >/dev/null

# A port below Linux's ephemeral range (32768-60999), so no outgoing connection elsewhere on the
# machine can be holding it; if one is taken anyway, the server exits and we take the next.
port=28080
listening=0
for _ in $(seq 1 20); do
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    "$bin" serve --listen "127.0.0.1:$port" &
    pid=$!
    # Up to a minute: a loaded CI machine can take many seconds to start a debug build.
    for _ in $(seq 1 600); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then listening=1; break; fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    [ "$listening" = 1 ] && break
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=""
    port=$((port + 1))
done
if [ "$listening" != 1 ]; then
    echo "The centre did not start listening on any port from 28080." >&2
    exit 1
fi

export PF_CENTRE_URL="http://127.0.0.1:$port" PF_SCREENSHOTS="$root/test-output/centre"
mkdir -p "$PF_SCREENSHOTS"
# A hung page fails its file after half an hour (Node 20 times each file as a whole) instead
# of holding CI until its own limit.
node --test --test-concurrency=1 --test-timeout=1800000 ./*.test.mjs
