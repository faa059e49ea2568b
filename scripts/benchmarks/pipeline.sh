#!/usr/bin/env bash
# `scripts/bench pipeline`: the whole pipeline, from asking for ingestion runs to finished CVs, with
# the deterministic engine; writes its section of docs/benchmarks.md.
#
# It builds a release, starts a throwaway Redis and PostgreSQL and nginx serving the postings of
# ../shared/datasets/ashby in Ashby's wire format, then runs the five services (one replica each
# unless said) on a fresh database and stream prefix for every run:
#
#   1. every posting, one source per board, all runs asked for at once: jobs per second from the
#      first request to the last CV, CPU per job of each service, and each service's resident memory
#      idle (before the runs) and at the end;
#   2. the same with two replicas of the slowest stage (the one using the most CPU per job in 1);
#   3. the first 250 and 500 postings the same way as 1, to show how throughput holds as work grows;
#   4. latency: one posting per board, runs asked for at a fixed rate (half of 1's throughput) for
#      about 30 s; p50/p95/p99 from a run's request, and from the job's storing, to its CV.
#
# JOBSMITH_BENCH_POSTINGS (default: the whole dataset, 1578) sets the size of 1 and 2;
# JOBSMITH_BENCH_GROWTH ("250 500") the smaller sizes; JOBSMITH_BENCH_SCALE the service given two
# replicas in 2 (default: the slowest); JOBSMITH_BENCH_RATE the offered rate of 4 in jobs/s and
# JOBSMITH_BENCH_LATENCY_SECONDS (30) its length; JOBSMITH_BENCH_TIMEOUT (900) the seconds a run may
# take before the benchmark gives up.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lib.sh"
cd "$JOBSMITH_ROOT"

dataset=${JOBSMITH_BENCH_DATASET:-$JOBSMITH_ROOT/../shared/datasets/ashby}
[ -d "$dataset" ] || js_die "no dataset at $dataset (set JOBSMITH_BENCH_DATASET)"
dataset_postings=$(python3 -c 'import glob, json, sys; print(sum(len(json.load(open(f))["jobs"]) for f in glob.glob(sys.argv[1] + "/*.json")))' "$dataset")
postings=${JOBSMITH_BENCH_POSTINGS:-$dataset_postings}
read -ra growth <<<"${JOBSMITH_BENCH_GROWTH:-250 500}"
latency_seconds=${JOBSMITH_BENCH_LATENCY_SECONDS:-30}
timeout=${JOBSMITH_BENCH_TIMEOUT:-900}
js_ensure_packages
js_find_swift
command -v nginx >/dev/null || js_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null \
    || js_die "nginx is needed to serve the boards (apt-get install nginx-light)"

bench_name=pipeline
# shellcheck source=scripts/benchmarks/servers.sh
source "$JOBSMITH_ROOT/scripts/benchmarks/servers.sh"
# shellcheck source=scripts/benchmarks/venv.sh
source "$JOBSMITH_ROOT/scripts/benchmarks/venv.sh"

# The boards' server: nginx, so that serving the boards costs little of the machine.
mkdir -p "$work/results"
start_board_server

token=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
# The deterministic engine, research offline and no PDFs, whatever the calling environment says.
common=(REDIS_URL="redis://127.0.0.1:$redis_port/0" LOG_LEVEL=warning GATEWAY_API_TOKEN="$token"
    MASTER_CV_PATH="$JOBSMITH_ROOT/samples/master-cv.json" INGESTION_HOST_INTERVAL_MS=0
    JOBSMITH_LLM_PROVIDERS=none RESEARCH_OFFLINE=1 CV_PDF=0)
services=(ingestion extraction research cv-generator gateway)


# The replicas of the current run: instance names, the service each belongs to, pids, HTTP ports.
instances=()
instance_services=()
instance_pids=()
instance_ports=()

# start_replicas LABEL DATABASE SOURCES_FILE SCALED — starts every service, two replicas of SCALED
# (none when empty), and waits until all are ready and the sources are stored.
start_replicas() {
    local label=$1 database=$2 sources_file=$3 scaled=$4 service replica port count instance index i
    instances=() instance_services=() instance_pids=() instance_ports=()
    mkdir -p "$work/logs/$label"
    for service in "${services[@]}"; do
        count=1
        [ "$service" = "$scaled" ] && count=2
        for ((replica = 1; replica <= count; replica++)); do
            instance="$service-$replica"
            port=$(js_free_port)
            env "${common[@]}" DATABASE_URL="postgresql://postgres@127.0.0.1:$pg_port/$database" JOBSMITH_STREAM_PREFIX="bench-$label" \
                JOBSMITH_INSTANCE="$instance" HTTP_PORT="$port" INGESTION_SOURCES_FILE="$sources_file" CV_OUTPUT_DIR="$work/output/$label" \
                "$bin/$service" >"$work/logs/$label/$instance.log" 2>&1 &
            pids+=($!)
            instances+=("$instance")
            instance_services+=("$service")
            instance_pids+=($!)
            instance_ports+=("$port")
        done
    done
    for index in "${!instances[@]}"; do
        js_wait_http "http://127.0.0.1:${instance_ports[$index]}/readyz" 90 \
            || { tail -n 20 "$work/logs/$label/${instances[$index]}.log" >&2; js_die "${instances[$index]} did not start"; }
    done
    local wanted
    wanted=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$sources_file")
    for ((i = 0; i < 600; i++)); do
        [ "$(psql_run "select count(*) from sources")" -ge "$wanted" ] && return 0
        sleep 0.1
    done
    js_die "ingestion did not store the $wanted sources of $sources_file"
}

stop_replicas() {
    local pid index
    for pid in "${instance_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for index in "${!instance_pids[@]}"; do js_stop_pid "${instance_pids[$index]}" TERM 30 "${instances[$index]}"; done
}

# The database of the run in progress.
run_database=
psql_run() { psql -X -h 127.0.0.1 -p "$pg_port" -U postgres -d "$run_database" -v ON_ERROR_STOP=1 -tAc "$1"; }

# service_cpu — prints "service=seconds ..." summed over each service's replicas.
service_cpu() {
    local index
    for index in "${!instances[@]}"; do echo "${instance_services[$index]} $(cpu_seconds "${instance_pids[$index]}")"; done |
        awk '{sum[$1] += $2} END {for (s in sum) printf "%s=%.2f ", s, sum[s]}'
}

# pipeline_run LABEL POSTINGS PER_BOARD SCALED RATE — lays out the boards, starts the services, asks
# for every run (all at once, or RATE per second when RATE is set), waits for the last CV and writes
# the run's figures to $work/results/LABEL.json.
pipeline_run() {
    local label=$1 wanted=$2 per_board=$3 scaled=$4 rate=$5
    run_database="run_$label"
    js_pg_createdb "$pg_port" "$run_database"
    local boards
    boards=$(python3 "$bench_python/boards.py" "$dataset" "$work/www" "http://127.0.0.1:$www_port" "$label" "$wanted" "$per_board" "$work/$label-sources.json")
    js_log "run '$label': $wanted postings on $boards boards${scaled:+, two $scaled replicas}${rate:+, runs asked for at $rate per second}"
    start_replicas "$label" "$run_database" "$work/$label-sources.json" "$scaled"
    # Idle: started, migrated, sources stored, nothing asked for yet.
    sleep 2
    local idle=() index
    for index in "${!instances[@]}"; do idle+=("${instances[$index]}=$(memory "${instance_pids[$index]}" VmRSS)"); done

    local cpu_before pg_before redis_before busy_before started started_seconds=$SECONDS
    cpu_before=$(service_cpu)
    pg_before=$(postgres_cpu_seconds)
    redis_before=$(cpu_seconds "$(cat "$work/redis/redis.pid")")
    busy_before=$(machine_busy_seconds)
    local names=()
    mapfile -t names < <(python3 -c 'import json, sys; [print(s["name"]) for s in json.load(open(sys.argv[1]))]' "$work/$label-sources.json")
    local gateway_port=${instance_ports[-1]}
    started=$(date +%s.%N)
    if [ -n "$rate" ]; then
        "$venv/bin/python" "$bench_python/offered_rate.py" "http://127.0.0.1:$gateway_port" "$token" "$rate" "${names[@]}" >"$work/$label-offered.json" \
            || js_die "asking for the runs at $rate per second failed"
    else
        # One curl for all the requests, eight at a time, so asking does not stand in for the work.
        local urls=() name
        for name in "${names[@]}"; do urls+=(-o /dev/null "http://127.0.0.1:$gateway_port/api/ingest/$name/run"); done
        curl -fsS --no-progress-meter --parallel --parallel-max 8 -X POST -H "Authorization: Bearer $token" "${urls[@]}" >/dev/null \
            || js_die "the gateway refused a run"
    fi

    # Until every run has finished and every stored job has its CV.
    local state runs jobs cvs last_cvs=-1 last_change=$SECONDS next_note=$((SECONDS + 10))
    while true; do
        state=$(psql_run "select (select count(*) from ingestion_runs where finished_at is not null), (select count(*) from jobs), (select count(*) from job_cvs)")
        IFS='|' read -r runs jobs cvs <<<"$state"
        [ "$runs" -ge "$boards" ] && [ "$jobs" -gt 0 ] && [ "$cvs" -ge "$jobs" ] && break
        [ "$cvs" != "$last_cvs" ] && { last_cvs=$cvs; last_change=$SECONDS; }
        if ((SECONDS >= next_note)); then
            js_log "  $runs of $boards runs done, $jobs jobs stored, $cvs CVs written"
            next_note=$((SECONDS + 10))
        fi
        if ((SECONDS - last_change > 120 || SECONDS - started_seconds > timeout)); then
            grep -h -i -m 5 'error\|dead' "$work/logs/$label"/*.log >&2 || true
            js_die "run '$label' stalled: $runs of $boards runs done, $jobs jobs stored, $cvs CVs written"
        fi
        sleep 0.25
    done
    local cpu_after pg_after redis_after busy_after
    cpu_after=$(service_cpu)
    pg_after=$(postgres_cpu_seconds)
    redis_after=$(cpu_seconds "$(cat "$work/redis/redis.pid")")
    busy_after=$(machine_busy_seconds)
    local end=()
    for index in "${!instances[@]}"; do
        end+=("${instances[$index]}=$(memory "${instance_pids[$index]}" VmRSS)/$(memory "${instance_pids[$index]}" VmHWM)")
    done
    # Times are PostgreSQL's (now() of each transaction), on the same clock as `started`.
    local timeline
    timeline=$(psql_run "select
            (select sum(fetched) from ingestion_runs),
            extract(epoch from (select max(finished_at) from ingestion_runs)) - $started,
            extract(epoch from (select max(extracted_at) from job_extractions)) - $started,
            extract(epoch from (select max(researched_at) from job_research)) - $started,
            extract(epoch from (select max(generated_at) from job_cvs)) - $started")
    local latency
    latency=$(psql_run "select
            percentile_cont(array[0.5, 0.95, 0.99, 1]) within group (order by extract(epoch from c.generated_at - r.queued_at)),
            percentile_cont(array[0.5, 0.95, 0.99, 1]) within group (order by extract(epoch from c.generated_at - j.created_at))
        from jobs j join job_cvs c on c.job_id = j.id join ingestion_runs r on r.id = j.ingest_run_id")
    stop_replicas

    python3 - "$work/results/$label.json" "$label" "$wanted" "$boards" "$scaled" "$rate" "$jobs" "$timeline" "$latency" \
        "$cpu_before" "$cpu_after" "$pg_before" "$pg_after" "$redis_before" "$redis_after" "$busy_before" "$busy_after" \
        "$(cat "$work/$label-offered.json" 2>/dev/null || true)" "${idle[*]}" "${end[*]}" <<'PY'
import json, sys
(path, label, wanted, boards, scaled, rate, jobs, timeline, latency, cpu_before, cpu_after, pg_before, pg_after,
 redis_before, redis_after, busy_before, busy_after, offered, idle, end) = sys.argv[1:]
def pairs(text):
    return dict(item.split("=", 1) for item in text.split())
fetched, ingested, extracted, researched, finished = timeline.split("|")
def percentiles(text):
    return dict(zip(["p50", "p95", "p99", "max"], (float(x) for x in text.strip("{}").split(","))))
from_request, from_stored = latency.split("|")
before, after = pairs(cpu_before), pairs(cpu_after)
json.dump({
    "label": label, "postings": int(wanted), "boards": int(boards), "scaled": scaled or None,
    "rate": float(rate) if rate else None, "offered": json.loads(offered) if offered else None,
    "fetched": int(fetched), "jobs": int(jobs), "seconds": float(finished),
    "stages_done": {"ingestion": float(ingested), "extraction": float(extracted), "research": float(researched), "cv-generator": float(finished)},
    "cpu": {name: float(after[name]) - float(before[name]) for name in after},
    "postgres_cpu": float(pg_after) - float(pg_before), "redis_cpu": float(redis_after) - float(redis_before),
    "machine_cpu": float(busy_after) - float(busy_before),
    "latency_from_request": percentiles(from_request), "latency_from_stored": percentiles(from_stored),
    "memory": {name: {"idle_kb": int(kb), "end_kb": int(pairs(end)[name].split("/")[0]), "peak_kb": int(pairs(end)[name].split("/")[1])}
               for name, kb in pairs(idle).items()},
}, open(path, "w"), indent=1)
PY
    python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print("==>   %d jobs in %.2f s: %.1f jobs/s" % (r["jobs"], r["seconds"], r["jobs"] / r["seconds"]), file=sys.stderr)' \
        "$work/results/$label.json"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# 1. Everything, one replica each.
pipeline_run full "$postings" 0 "" ""
# 2. Two replicas of the stage that used the most CPU per job.
scale=${JOBSMITH_BENCH_SCALE:-$(python3 -c '
import json, sys
cpu = json.load(open(sys.argv[1]))["cpu"]
print(max((name for name in cpu if name != "gateway"), key=lambda name: cpu[name]))' "$work/results/full.json")}
pipeline_run scaled "$postings" 0 "$scale" ""
# 3. Smaller amounts of the same work.
for size in "${growth[@]}"; do pipeline_run "size-$size" "$size" 0 "" ""; done
# 4. Latency at a fixed offered rate: one posting per run.
rate=${JOBSMITH_BENCH_RATE:-$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(max(1, int(r["jobs"] / r["seconds"] / 2)))' "$work/results/full.json")}
latency_postings=$(python3 -c 'import sys; print(min(int(sys.argv[1]), max(50, round(float(sys.argv[2]) * int(sys.argv[3])))))' \
    "$dataset_postings" "$rate" "$latency_seconds")
pipeline_run latency "$latency_postings" 1 "" "$rate"

machine="$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
scale_reason="the service that used the most CPU per job in the first"
[ -n "${JOBSMITH_BENCH_SCALE:-}" ] && scale_reason="set with JOBSMITH_BENCH_SCALE"
rate_reason="half the throughput of the first run"
[ -n "${JOBSMITH_BENCH_RATE:-}" ] && rate_reason="set with JOBSMITH_BENCH_RATE"
python3 - "$(date -u +%Y-%m-%d)" "$machine" "$(nproc)" "$load_before" "$scale_reason" "$rate_reason" "$work/results" "${growth[@]}" <<'PY' \
    | python3 scripts/benchmarks/section.py docs/benchmarks.md pipeline
import json, sys
from pathlib import Path
day, machine, cores, load, scale_reason, rate_reason, folder, *growth = sys.argv[1:]
cores = int(cores)
results = {path.stem: json.loads(path.read_text()) for path in Path(folder).glob("*.json")}
full, scaled, latency = results["full"], results["scaled"], results["latency"]
stages = ["ingestion", "extraction", "research", "cv-generator"]

def rate(r):
    return r["jobs"] / r["seconds"]

def per_job(seconds, r):
    return f"{seconds / r['jobs'] * 1000:.1f} ms"

def run_row(name, r):
    cpu = " | ".join(per_job(r["cpu"].get(stage, 0), r) for stage in stages)
    done = ", ".join(f"{r['stages_done'][stage]:.1f}" for stage in stages)
    return (f"| {name} | {r['jobs']} | {r['seconds']:.1f} s | **{rate(r):.1f}** | {cpu} | {per_job(r['postgres_cpu'], r)} | "
            f"{per_job(r['redis_cpu'], r)} | {r['machine_cpu'] / (cores * r['seconds']) * 100:.0f} % | {done} |")

runs = [run_row("all postings, one replica each", full), run_row(f"all postings, two {scaled['scaled']} replicas", scaled)]
sizes = sorted([results[f"size-{size}"] for size in growth] + [full], key=lambda r: r["jobs"])
growth_rows = [f"| {r['jobs']} | {r['seconds']:.1f} s | **{rate(r):.1f}** | {rate(r) / rate(full):.2f} | "
               f"{r['machine_cpu'] / r['jobs'] * 1000:.1f} ms |" for r in sizes]

def ms(seconds):
    return f"{seconds * 1000:.0f} ms"

offered = latency["offered"]
lat_rows = [f"| from the run's request | {ms(latency['latency_from_request']['p50'])} | {ms(latency['latency_from_request']['p95'])} | "
            f"{ms(latency['latency_from_request']['p99'])} | {ms(latency['latency_from_request']['max'])} |",
            f"| from the job's storing | {ms(latency['latency_from_stored']['p50'])} | {ms(latency['latency_from_stored']['p95'])} | "
            f"{ms(latency['latency_from_stored']['p99'])} | {ms(latency['latency_from_stored']['max'])} |"]

memory_rows = []
for instance, figures in full["memory"].items():
    idle = figures["idle_kb"] / 1024
    memory_rows.append(f"| {instance.rsplit('-', 1)[0]} | {idle:.0f} MB | {figures['end_kb'] / 1024:.0f} MB | {figures['peak_kb'] / 1024:.0f} MB | "
                       f"{'met' if idle < 50 else 'not met'} |")

best = max(rate(full), rate(scaled))
print(f"""## Whole pipeline (`scripts/bench pipeline`)

{day}, {machine}; load average before the runs: {load}. Release build, deterministic engine, research
offline (`RESEARCH_OFFLINE=1`, the default), CVs with cover letter and outreach written to files
(no PDF). nginx serves the postings of `shared/datasets/ashby` on loopback in Ashby's wire format;
each board is a source. Every run has a fresh database and stream prefix, and its own start of the
five services (`JOBSMITH_THREADS=4`, every other setting at its default). Time runs from the first
`POST /api/ingest/{{source}}/run` to the last CV stored; a job is done when its CV is. Target: 300 jobs/s.

| run | jobs | time | jobs/s | ingestion CPU per job | extraction | research | cv-generator | PostgreSQL | Redis | machine busy | each stage done at (s) |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
{chr(10).join(runs)}

Target of 300 jobs/s: **{'met' if best >= 300 else 'not met'}** ({best:.1f} jobs/s at best). The second run gives two
replicas to {scaled['scaled']}, {scale_reason}. CPU per job is each service's CPU time (all its
replicas) over the run divided by the jobs; "each stage done at" is when the last ingestion run,
extraction, research and CV were stored, in seconds from the first request. "Machine busy" is every
process's CPU time (the services, PostgreSQL, Redis, nginx, the requests) out of {cores} cores × the
run's time.

### Cost growth

The first run again with fewer postings (the first boards of the dataset, the last one cut short):
throughput should not fall as the work grows.

| jobs | time | jobs/s | relative to all {full['jobs']} | machine CPU per job |
| --- | --- | --- | --- | --- |
{chr(10).join(growth_rows)}

### Latency at a fixed offered rate

{latency['jobs']} postings, one per board, each board's run asked for at {latency['rate']:.0f} per second ({rate_reason};
{offered['per_second']:.1f} per second achieved by the client), one replica each. A job's
latency is from the request for its run to its CV stored, and from the job stored by ingestion to
its CV. The {latency['jobs']} jobs were done at {rate(latency):.1f} jobs/s.

| latency | p50 | p95 | p99 | max |
| --- | --- | --- | --- | --- |
{chr(10).join(lat_rows)}

### Memory

Resident memory (VmRSS) of each service in the first run: idle (started, sources stored, nothing
asked for yet) and at the end, when the last CV is stored; peak is VmHWM. Target: under 50 MB idle.

| service | idle | at the end | peak | under 50 MB idle |
| --- | --- | --- | --- | --- |
{chr(10).join(memory_rows)}""")
PY
js_log "wrote docs/benchmarks.md"
sed -n '/<!-- pipeline:start -->/,/<!-- pipeline:end -->/p' docs/benchmarks.md
