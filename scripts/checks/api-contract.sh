#!/usr/bin/env bash
# Fuzzes the live gateway with schemathesis against its own OpenAPI document: no request may get a
# 5xx, and every response must match the document (status codes, content types, schemas).
#
#   scripts/checks/api-contract.sh REDIS_URL POSTGRES_PORT BIN_DIR
#
# Called by scripts/test with the servers it started. Installs schemathesis into a virtual
# environment under .build/ the first time. Writes the report beside the gateway's log and prints
# where. The event-stream endpoints are left out: a generated request would wait on them forever.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lib.sh"
cd "$JOBSMITH_ROOT"

redis_url=$1
pg_port=$2
bin_dir=$3
schemathesis_version=4.32.5

venv="$JOBSMITH_ROOT/.build/tools-venv"
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$schemathesis_version"; then
    js_log "installing schemathesis $schemathesis_version into .build/tools-venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$schemathesis_version" </dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/jobsmith-contract.XXXXXX")
database="contract_$$"
js_pg_createdb "$pg_port" "$database"
port=$(js_free_port)
token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')

REDIS_URL="$redis_url" \
DATABASE_URL="postgresql://postgres@127.0.0.1:$pg_port/$database" \
JOBSMITH_STREAM_PREFIX="contract-$$" \
JOBSMITH_INSTANCE=gateway-contract \
HTTP_HOST=127.0.0.1 HTTP_PORT="$port" \
GATEWAY_API_TOKEN="$token" \
GATEWAY_AUTH_MAX_FAILURES=1000000 \
MASTER_CV_PATH="$JOBSMITH_ROOT/samples/master-cv.json" \
    "$bin_dir/gateway" >"$work/gateway.log" 2>&1 &
gateway=$!
# shellcheck disable=SC2329 # called by the EXIT trap
stop_gateway() {
    kill "$gateway" 2>/dev/null || true
    wait "$gateway" 2>/dev/null || true
    dropdb -h 127.0.0.1 -p "$pg_port" -U postgres --if-exists --force "$database" 2>/dev/null || true
}
trap stop_gateway EXIT
js_wait_http "http://127.0.0.1:$port/readyz" 60 || { cat "$work/gateway.log"; js_die "the gateway did not start"; }

# Something to find: a few real postings, so that generated ids sometimes name a job.
psql -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d "$database" -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
INSERT INTO jobs (source, external_id, title, company, description_html, description_clean, raw, content_hash)
SELECT 'contract', 'job-' || n, 'Backend Engineer ' || n, 'Example Co', '<p>Build APIs.</p>', 'Build APIs.', '{}', 'hash-' || n
FROM generate_series(1, 5) AS n;
SQL

js_log "schemathesis against the gateway on port $port (report in $work)"
set +e
"$venv/bin/schemathesis" run "http://127.0.0.1:$port/openapi.json" \
    --checks all \
    --exclude-checks positive_data_acceptance \
    --exclude-path-regex '/events$' \
    --header "Authorization: Bearer $token" \
    --max-examples "${JOBSMITH_CONTRACT_EXAMPLES:-30}" \
    --workers 2 \
    --report junit --report-dir "$work" \
    --no-color </dev/null
status=$?
set -e
if [ "$status" -ne 0 ]; then
    echo "--- gateway log (last 40 lines)"
    tail -n 40 "$work/gateway.log"
fi
exit "$status"
