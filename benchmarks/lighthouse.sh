#!/usr/bin/env bash
# Lighthouse 12.8.2 (it runs on Node 20; 13 needs Node 22), mobile form factor,
# default throttling, Debian's Chromium: the median of RUNS runs on the
# sign-in page, on a signed-in timeline, and on the / page of a blank Reflex
# app (benchmarks/blank_app, same Reflex, production build, same server) that
# runs beside ours. The runs are interleaved (timeline and blank back to back,
# in alternating order, then sign-in) so the machine's load hits both alike.
# Prints the scores, LCP, TBT, CLS, bytes transferred and timeline/blank.
# Usage: bash benchmarks/lighthouse.sh [RUNS]
#   LH_DETAIL=1   also print main-thread time and the costliest scripts per page
#   LH_KEEP=DIR   copy the JSON reports to DIR
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
PORT="${BENCH_PORT:-3107}"
BLANK_PORT="${BENCH_BLANK_PORT:-3108}"
CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
export CHROME_PATH PORT REFLEX_USE_SYSTEM_BUN=1 REFLEX_TELEMETRY_ENABLED=false
# Lighthouse gets a folder of its own: npm prunes what it did not install itself.
export PATH="$PWD/.tools/node_modules/.bin:$PWD/.tools/lighthouse/node_modules/.bin:$PATH"
export MESO_DATA_DIR="$(mktemp -d)"
REPORTS="$MESO_DATA_DIR/reports"
mkdir -p "$REPORTS"

make -s setup >/dev/null
[ -x .tools/lighthouse/node_modules/.bin/lighthouse ] ||
    npm install --prefix .tools/lighthouse --no-save --no-audit --no-fund --loglevel=error lighthouse@12.8.2

SERVERS=()
stop() {
    # Each server is its own process group (setsid): Ctrl-C to the group, then wait.
    for pid in "${SERVERS[@]}"; do kill -INT -- "-$pid" 2>/dev/null || true; done
    for pid in "${SERVERS[@]}"; do
        for _ in $(seq 1 30); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 1; done
        kill -KILL -- "-$pid" 2>/dev/null || true
    done
    rm -rf "$MESO_DATA_DIR"
}
trap stop EXIT
wait_for() {  # wait_for PID PORT LOG
    for _ in $(seq 1 600); do
        curl -sf -o /dev/null "http://localhost:$2/ping" && return 0
        kill -0 "$1" 2>/dev/null || { tail -20 "$3"; exit 1; }
        sleep 1
    done
    echo "no answer on port $2 in 10 minutes" >&2; tail -20 "$3"; exit 1
}

# Ours: the production build on one port, as `make run` serves it.
.venv/bin/alembic upgrade head >/dev/null 2>&1
setsid .venv/bin/reflex run --env prod --single-port >"$MESO_DATA_DIR/server.log" 2>&1 &
SERVERS+=($!)
wait_for $! "$PORT" "$MESO_DATA_DIR/server.log"
COOKIE="$(.venv/bin/python benchmarks/seed.py)"
COOKIE_NAME="$(.venv/bin/python -c 'from meso_journal.web.cookies import COOKIE_NAME; print(COOKIE_NAME)')"

# The blank app, built and served the same way on its own port (PORT is the
# origin its rxconfig lets open a websocket). Built after ours: two builds at
# once on a small machine only slow each other.
cd benchmarks/blank_app
PORT="$BLANK_PORT" setsid ../../.venv/bin/reflex run --env prod --single-port \
    --frontend-port "$BLANK_PORT" --backend-port "$BLANK_PORT" >"$MESO_DATA_DIR/blank.log" 2>&1 &
SERVERS+=($!)
cd ../..
wait_for $! "$BLANK_PORT" "$MESO_DATA_DIR/blank.log"

FLAGS="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
measure() {  # measure NAME RUN URL [EXTRA_HEADERS_JSON]
    local name=$1 i=$2 url=$3 headers=${4:-"{}"}
    lighthouse "$url" --quiet --form-factor=mobile --output=json --output-path="$REPORTS/$name-$i.json" \
        --chrome-flags="$FLAGS" --extra-headers="$headers" --only-categories=performance,accessibility,best-practices,seo \
        >/dev/null 2>&1 || { echo "run $i of $name failed" >&2; rm -f "$REPORTS/$name-$i.json"; }
}
timeline() { measure timeline "$1" "http://localhost:$PORT/" "{\"Cookie\": \"$COOKIE_NAME=$COOKIE\"}"; }
blank() { measure blank "$1" "http://localhost:$BLANK_PORT/"; }
for i in $(seq 1 "$RUNS"); do
    if ((i % 2)); then timeline "$i"; blank "$i"; else blank "$i"; timeline "$i"; fi
    measure sign-in "$i" "http://localhost:$PORT/sign-in"
done

[ -z "${LH_KEEP:-}" ] || { mkdir -p "$LH_KEEP"; cp "$REPORTS"/*.json "$LH_KEEP"/; }
.venv/bin/python benchmarks/lighthouse_report.py "$REPORTS" ${LH_DETAIL:+--detail}
