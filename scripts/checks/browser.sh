#!/usr/bin/env bash
# Drives the web UI in a real headless Chromium (Selenium) against all five services started from
# BIN_DIR on a fresh database, and keeps screenshots of every page in both themes at desktop and
# phone widths.
#
#   scripts/checks/browser.sh REDIS_URL POSTGRES_PORT BIN_DIR
#
# Called by scripts/test with the servers it started. Needs the Debian packages chromium and
# chromium-driver (/usr/bin/chromedriver); installs selenium into .build/tools-venv the first time.
# Prints where the screenshots and the services' logs are. JOBSMITH_BROWSER_TESTS (unittest names, e.g.
# "test_browser.BrowserTests.test_09_theme_toggle_persists") runs only those; GATEWAY_WEB_ROOT, when
# set, is passed on to the gateway (pages read from disk instead of the copies compiled into it).
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lib.sh"
cd "$JOBSMITH_ROOT"

redis_url=$1
pg_port=$2
bin_dir=$(cd "$3" && pwd)
selenium_version=4.27.1

command -v chromium >/dev/null 2>&1 || js_die "no chromium: install the Debian package chromium"
[ -x /usr/bin/chromedriver ] || js_die "no /usr/bin/chromedriver: install the Debian package chromium-driver"

venv="$JOBSMITH_ROOT/.build/tools-venv"
if ! "$venv/bin/python" -c "import selenium, sys; sys.exit(selenium.__version__ != '$selenium_version')" 2>/dev/null; then
    js_log "installing selenium $selenium_version into .build/tools-venv"
    [ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "selenium==$selenium_version" </dev/null
fi

started=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/jobsmith-browser.XXXXXX")
database="browser_$$"
prefix="browser-$$"
shots="$JOBSMITH_ROOT/.build/browser-screenshots/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$shots" "$work/output"
js_pg_createdb "$pg_port" "$database"
database_url="postgresql://postgres@127.0.0.1:$pg_port/$database"

pids=()
# shellcheck disable=SC2329 # called by the EXIT trap
stop_all() {
    local status=$? pid
    trap - EXIT INT TERM
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do js_stop_pid "$pid" TERM 10 "service" || true; done
    dropdb -h 127.0.0.1 -p "$pg_port" -U postgres --if-exists --force "$database" 2>/dev/null || true
    echo "screenshots: $shots"
    echo "service logs: $work (kept when the check failed)"
    [ "$status" -eq 0 ] && rm -rf "$work"
    exit "$status"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start NAME [VAR=VALUE...] — starts BIN_DIR/NAME on a free port from samples/ (the sample source's
# location is relative to it) and prints nothing; the port lands in the variable port_NAME.
start() {
    local name=$1 port
    shift
    port=$(js_free_port)
    (
        cd "$JOBSMITH_ROOT/samples"
        exec env REDIS_URL="$redis_url" DATABASE_URL="$database_url" \
            JOBSMITH_STREAM_PREFIX="$prefix" JOBSMITH_INSTANCE="$name-browser" \
            HTTP_HOST=127.0.0.1 HTTP_PORT="$port" \
            MASTER_CV_PATH="$JOBSMITH_ROOT/samples/master-cv.json" \
            CV_OUTPUT_DIR="$work/output" \
            INGESTION_SOURCES_FILE="$JOBSMITH_ROOT/samples/sources.json" \
            "$@" "$bin_dir/$name"
    ) >"$work/$name.log" 2>&1 &
    pids+=("$!")
    printf -v "port_${name//-/_}" '%s' "$port"
}

start gateway
start ingestion
start extraction
start research
# The cv-generator alone gets no readable seed file: it reads the master CV that the gateway and the
# extraction service seed into PostgreSQL, so the queue test can make a real generate-cv run fail
# (it empties master_cvs; the generator then has nothing to write from) and fix it through the API.
start cv-generator MASTER_CV_PATH="$work/no-master-cv.json"

for name in gateway ingestion extraction research cv-generator; do
    var="port_${name//-/_}"
    js_wait_http "http://127.0.0.1:${!var}/readyz" 60 || {
        tail -n 40 "$work/$name.log" >&2
        js_die "$name did not become ready"
    }
done
js_log "services ready after $((SECONDS - started))s; gateway on port $port_gateway"

set +e
(
    cd "$JOBSMITH_ROOT/Tests/Browser"
    JOBSMITH_BASE_URL="http://127.0.0.1:$port_gateway" \
    JOBSMITH_TEST_DATABASE_URL="$database_url" \
    JOBSMITH_SCREENSHOT_DIR="$shots" \
    JOBSMITH_ROOT="$JOBSMITH_ROOT" \
        "$venv/bin/python" -m unittest -v ${JOBSMITH_BROWSER_TESTS:-test_browser} </dev/null
)
status=$?
set -e
if [ "$status" -ne 0 ]; then
    for name in gateway cv-generator; do
        echo "--- $name log (last 30 lines)"
        tail -n 30 "$work/$name.log"
    done
fi
exit "$status"
