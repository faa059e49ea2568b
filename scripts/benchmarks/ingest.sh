#!/usr/bin/env bash
# `scripts/bench ingest`: ingestion of every Ashby board in ../shared/datasets/ashby, three passes;
# writes its section of docs/benchmarks.md.
#
# JOBSMITH_BENCH_THREADS sets the ingestion service's thread pool (default 4, the service's default);
# JOBSMITH_BENCH_PERF=FILE records a CPU profile of the ingestion service during the first pass.
#
# It starts what it needs (a release build, a throwaway Redis and PostgreSQL, the services and a
# loopback server standing in for the job boards), measures, and stops everything again.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lib.sh"
cd "$JOBSMITH_ROOT"

dataset=${JOBSMITH_BENCH_DATASET:-$JOBSMITH_ROOT/../shared/datasets/ashby}
[ -d "$dataset" ] || js_die "no dataset at $dataset (set JOBSMITH_BENCH_DATASET)"
js_ensure_packages
js_find_swift
command -v nginx >/dev/null || js_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null \
    || js_die "nginx is needed to serve the boards (apt-get install nginx-light)"

bench_name=ingest
# shellcheck source=scripts/benchmarks/servers.sh
source "$JOBSMITH_ROOT/scripts/benchmarks/servers.sh"

# The boards, served as Ashby's API serves them: GET /posting-api/job-board/{board}.
mkdir -p "$work/www/posting-api/job-board"
boards=()
for file in "$dataset"/*.json; do
    name=$(basename "$file" .json)
    decoded=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.unquote(sys.argv[1]))' "$name")
    ln -s "$file" "$work/www/posting-api/job-board/$decoded"
    boards+=("$name")
done
start_board_server

python3 - "$work/sources.json" "$www_port" "${boards[@]}" <<'PY'
import json, re, sys
path, port, boards = sys.argv[1], sys.argv[2], sys.argv[3:]
sources = [{"name": re.sub(r"[^a-z0-9_-]", "-", b.lower())[:64].strip("-") or "board", "kind": "ashby",
            "location": f"http://127.0.0.1:{port}/posting-api/job-board/{b}"} for b in boards]
json.dump(sources, open(path, "w"))
PY

token=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
gateway_port=$(js_free_port)
common=(REDIS_URL="redis://127.0.0.1:$redis_port/0" DATABASE_URL="postgresql://postgres@127.0.0.1:$pg_port/jobsmith"
    LOG_LEVEL=warning GATEWAY_API_TOKEN="$token" MASTER_CV_PATH="$JOBSMITH_ROOT/samples/master-cv.json")
# Every board is on the same loopback host here: the per-host politeness interval would measure
# itself, not ingestion.
env "${common[@]}" INGESTION_SOURCES_FILE="$work/sources.json" INGESTION_HOST_INTERVAL_MS=0 \
    JOBSMITH_THREADS="${JOBSMITH_BENCH_THREADS:-4}" HTTP_PORT="$(js_free_port)" JOBSMITH_INSTANCE=ingestion-bench "$bin/ingestion" >"$work/ingestion.log" 2>&1 &
ingestion_pid=$!
pids+=("$ingestion_pid")
env "${common[@]}" HTTP_PORT="$gateway_port" JOBSMITH_INSTANCE=gateway-bench "$bin/gateway" >"$work/gateway.log" 2>&1 &
pids+=($!)
js_wait_http "http://127.0.0.1:$gateway_port/readyz" 60 || js_die "the gateway did not start"
for ((i = 0; i < 240; i++)); do
    [ "$(psql_bench "select count(*) from sources")" -ge "${#boards[@]}" ] && break
    sleep 0.25
done
idle_kb=$(awk '/VmRSS/ {print $2}' "/proc/$ingestion_pid/status")


# ingest_pass LABEL — asks for a run of every source, waits for all of them, prints the figures.
ingest_pass() {
    local label=$1 names expected started finished cpu_before busy_before pg_before
    names=$(psql_bench "select name from sources order by name")
    expected=$(($(psql_bench "select count(*) from ingestion_runs") + ${#boards[@]}))
    cpu_before=$(cpu_seconds "$ingestion_pid")
    busy_before=$(machine_busy_seconds)
    pg_before=$(postgres_cpu_seconds)
    started=$(date +%s.%N)
    # One curl for all the requests, eight at a time, so asking does not stand in for the work.
    local urls=()
    for name in $names; do urls+=("http://127.0.0.1:$gateway_port/api/ingest/$name/run"); done
    curl -fsS --parallel --parallel-max 8 -X POST -H "Authorization: Bearer $token" \
        $(printf -- '-o /dev/null %s ' "${urls[@]}") >/dev/null
    for ((i = 0; i < 2400; i++)); do
        [ "$(psql_bench "select count(*) from ingestion_runs where finished_at is not null")" -ge "$expected" ] && break
        sleep 0.05
    done
    finished=$(date +%s.%N)
    psql_bench "select '$label', sum(fetched), sum(new), sum(duplicates), sum(rejected), count(*) filter (where status <> 'succeeded'),
                extract(epoch from max(finished_at) - min(started_at))
                from ingestion_runs where queued_at >= to_timestamp($started)" |
        awk -F'|' -v s="$started" -v f="$finished" -v cpu="$(echo "$(cpu_seconds "$ingestion_pid") $cpu_before" | awk '{print $1 - $2}')" \
            -v busy="$(echo "$(machine_busy_seconds) $busy_before" | awk '{print $1 - $2}')" \
            -v pg="$(echo "$(postgres_cpu_seconds) $pg_before" | awk '{print $1 - $2}')" \
            '{wall = f - s; printf "%s|%d|%d|%d|%d|%d|%.2f|%.0f|%.2f|%.2f|%.2f\n", $1, $2, $3, $4, $5, $6, wall, $2 / wall, cpu, pg, busy}'
}

# JOBSMITH_BENCH_PERF=FILE records a CPU profile of the ingestion service during the first pass.
perf_pid=
if [ -n "${JOBSMITH_BENCH_PERF:-}" ]; then
    perf record -F 999 -g -p "$ingestion_pid" -o "$JOBSMITH_BENCH_PERF" >"$work/perf.log" 2>&1 &
    perf_pid=$!
    sleep 1
fi
js_log "first pass: every board into an empty database"
first=$(ingest_pass first)
if [ -n "$perf_pid" ]; then kill -INT "$perf_pid"; wait "$perf_pid" || true; fi
js_log "second pass: the same boards again (conditional GETs: the boards answer 304 Not Modified)"
second=$(ingest_pass unchanged)
js_log "third pass: the same boards re-read in full (validators forgotten): every posting is a known duplicate"
psql_bench "delete from http_validators" >/dev/null
third=$(ingest_pass re-read)
peak_kb=$(awk '/VmHWM/ {print $2}' "/proc/$ingestion_pid/status")

report=docs/benchmarks.md
machine="$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
python3 - "$report" "$(date -u +%Y-%m-%d)" "$machine" "$first" "$second" "$third" "$idle_kb" "$peak_kb" "${#boards[@]}" "${JOBSMITH_BENCH_THREADS:-4}" <<'PY'
import re, sys
path, day, machine, first, second, third, idle, peak, boards, threads = sys.argv[1:]
rows = []
for line in (first, second, third):
    label, fetched, new, dups, rejected, failed, wall, rate, cpu, pg, busy = line.split("|")
    rows.append(f"| {label} | {fetched} | {new} | {dups} | {rejected} | {failed} | {wall} s | **{rate}** | {cpu} s | {pg} s | {busy} s |")
section = f"""<!-- ingest:start -->
## Ingestion (`scripts/bench ingest`)

{day}, {machine}. {boards} real Ashby boards (`shared/datasets/ashby`) served by nginx on loopback
in Ashby's wire format (with ETag and Last-Modified), one source per board, one ingestion replica (`JOBSMITH_THREADS={threads}`, set with `JOBSMITH_BENCH_THREADS`),
release build, a fresh database. Each run fetches, parses, sanitizes, extracts clean text,
fingerprints, scores against the sample master CV, dedupes, stores and publishes its board. Time is
from the first `POST /api/ingest/{{source}}/run` to the last run's end. The second pass finds every
board unchanged by conditional GET (304); the third forgets the validators and re-reads everything,
recognizing each posting as already stored.

| pass | postings fetched | new | duplicates | rejected | runs not succeeded | time | postings/s | ingestion CPU | PostgreSQL CPU | machine CPU |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
{chr(10).join(rows)}

"Ingestion CPU" and "PostgreSQL CPU" are those processes' CPU time in the pass; "machine CPU" is
every process's (also Redis, the gateway, the board server and the requests), out of 2 × the pass's
time.

Ingestion service memory: {int(idle) // 1024} MB resident when idle, {int(peak) // 1024} MB peak (VmHWM) over the passes.
<!-- ingest:end -->"""
try:
    text = open(path).read()
except FileNotFoundError:
    text = "# Benchmarks\n\nFigures measured by `scripts/bench` on this project's machine; each section is rewritten by its benchmark.\n"
if "<!-- ingest:start -->" in text:
    text = re.sub(r"<!-- ingest:start -->.*?<!-- ingest:end -->", lambda _: section, text, flags=re.S)
else:
    text = text.rstrip() + "\n\n" + section + "\n"
open(path, "w").write(text)
PY
js_log "wrote $report"
sed -n '/<!-- ingest:start -->/,/<!-- ingest:end -->/p' "$report"
