#!/usr/bin/env bash
# Lighthouse 12.8.2 (it runs on Node 20; 13 needs Node 22), mobile form factor,
# default throttling, Debian's Chromium: the median of RUNS runs on the
# sign-in page and on a signed-in timeline. Prints the scores, LCP, TBT, CLS
# and bytes transferred. Usage: bash benchmarks/lighthouse.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
PORT="${BENCH_PORT:-3107}"
CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
export CHROME_PATH PORT REFLEX_USE_SYSTEM_BUN=1
# Lighthouse gets a folder of its own: npm prunes what it did not install itself.
export PATH="$PWD/.tools/node_modules/.bin:$PWD/.tools/lighthouse/node_modules/.bin:$PATH"
export MESO_DATA_DIR="$(mktemp -d)"

make -s setup >/dev/null
[ -x .tools/lighthouse/node_modules/.bin/lighthouse ] ||
    npm install --prefix .tools/lighthouse --no-save --no-audit --no-fund --loglevel=error lighthouse@12.8.2

.venv/bin/alembic upgrade head >/dev/null 2>&1
.venv/bin/reflex run --env prod --single-port >"$MESO_DATA_DIR/server.log" 2>&1 &
SERVER=$!
trap 'kill -INT $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$MESO_DATA_DIR"' EXIT
for _ in $(seq 1 300); do
    curl -sf -o /dev/null "http://localhost:$PORT/ping" && break
    kill -0 $SERVER 2>/dev/null || { tail -20 "$MESO_DATA_DIR/server.log"; exit 1; }
    sleep 1
done
COOKIE="$(.venv/bin/python benchmarks/seed.py)"
COOKIE_NAME="$(.venv/bin/python -c 'from meso_journal.cookies import COOKIE_NAME; print(COOKIE_NAME)')"

FLAGS="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
run() {  # run NAME URL [EXTRA_HEADERS_JSON]
    local name=$1 url=$2 headers=${3:-"{}"}
    for i in $(seq 1 "$RUNS"); do
        lighthouse "$url" --quiet --form-factor=mobile --output=json --output-path="$MESO_DATA_DIR/$name-$i.json" \
            --chrome-flags="$FLAGS" --extra-headers="$headers" --only-categories=performance,accessibility,best-practices,seo \
            >/dev/null 2>&1 || echo "run $i of $name failed" >&2
    done
}
run sign-in "http://localhost:$PORT/sign-in"
run timeline "http://localhost:$PORT/" "{\"Cookie\": \"$COOKIE_NAME=$COOKIE\"}"

.venv/bin/python - "$MESO_DATA_DIR" <<'PY'
import json, statistics, sys
from pathlib import Path

folder = Path(sys.argv[1])
print(f"{'page':10} {'perf':>5} {'range':>7} {'a11y':>5} {'best':>5} {'seo':>5} {'LCP s':>6} {'TBT ms':>7} {'CLS':>6} {'KB':>6}")
for page in ("sign-in", "timeline"):
    reports = [json.loads(p.read_text()) for p in sorted(folder.glob(f"{page}-*.json"))]
    if not reports:
        print(f"{page:10} no successful runs")
        continue
    def med(f):
        return statistics.median(f(r) for r in reports)
    cat = lambda k: med(lambda r: round(r["categories"][k]["score"] * 100))
    audit = lambda k: med(lambda r: r["audits"][k]["numericValue"])
    perfs = [round(r["categories"]["performance"]["score"] * 100) for r in reports]
    perf_range = f"{min(perfs)}-{max(perfs)}"
    print(
        f"{page:10} {cat('performance'):5.0f} {perf_range:>7} {cat('accessibility'):5.0f} {cat('best-practices'):5.0f} {cat('seo'):5.0f} "
        f"{audit('largest-contentful-paint') / 1000:6.2f} {audit('total-blocking-time'):7.0f} "
        f"{audit('cumulative-layout-shift'):6.3f} {audit('total-byte-weight') / 1024:6.0f}"
    )
print(f"(median of {len(reports)} runs each, and the lowest and highest performance; Lighthouse 12.8.2, mobile, default throttling)")
PY
