#!/usr/bin/env bash
# `scripts/bench stage`: messages per second through one replica of one pipeline stage, next to
# Celery and RQ draining the same messages on the same Redis and to Redis's own rate for the same
# XADD; writes its section of docs/benchmarks.md.
#
# The stage is extraction (jobs:ingested → jobs:extracted). Its input stream is filled with N real
# `job.ingested` envelopes before the replica starts; the time runs from the first message taken off
# the stream to the last one acknowledged, its next-stage message published. With
# JOBSMITH_HANDLER=noop the replica's handler only does that (consume, publish, acknowledge); with
# the real handler it extracts every posting of the Ashby dataset, stored first by the ingestion
# service. Celery (Redis broker, task_acks_late, a no-op task, 2 prefork processes) and RQ (2
# workers, a no-op function) drain the same N messages with a payload as long as one envelope;
# redis-benchmark sends the envelope's XADD pipelined 16 deep and one at a time.
#
# JOBSMITH_BENCH_MESSAGES (default 10000) sets N (JOBSMITH_BENCH_RQ_MESSAGES, 2000, for RQ); JOBSMITH_BENCH_XADDS (500000) the XADDs per
# redis-benchmark run; JOBSMITH_BENCH_THREADS (4, the service's default) the replica's thread pool;
# JOBSMITH_BENCH_CELERY_PREFETCH (4, Celery's default) the messages each Celery process reserves.
# CONSUMER_CONCURRENCY and CONSUMER_BATCH_SIZE, when set, reach the replica as they would in
# production, and the report says so. JOBSMITH_BENCH_NOOP_SETTINGS (say "CONSUMER_CONCURRENCY=128
# CONSUMER_BATCH_SIZE=128"; unset by default) adds a second no-op row with those settings.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lib.sh"
cd "$JOBSMITH_ROOT"

dataset=${JOBSMITH_BENCH_DATASET:-$JOBSMITH_ROOT/../shared/datasets/ashby}
[ -d "$dataset" ] || js_die "no dataset at $dataset (set JOBSMITH_BENCH_DATASET)"
messages=${JOBSMITH_BENCH_MESSAGES:-10000}
# A handler with no CPU work needs more messages in hand than the default (= threads) to fill reads
# and share round trips; JOBSMITH_BENCH_NOOP_CONCURRENCY sets it (CONSUMER_CONCURRENCY overrides both).
noop_concurrency=${JOBSMITH_BENCH_NOOP_CONCURRENCY:-32}
# RQ forks a process per job (about 10 ms each): fewer jobs keep its run short; the rate is the same.
rq_messages=${JOBSMITH_BENCH_RQ_MESSAGES:-2000}
xadds=${JOBSMITH_BENCH_XADDS:-500000}
threads=${JOBSMITH_BENCH_THREADS:-4}
prefetch=${JOBSMITH_BENCH_CELERY_PREFETCH:-4}
read -ra wide <<<"${JOBSMITH_BENCH_NOOP_SETTINGS-}"
js_ensure_packages
js_find_swift
command -v redis-benchmark >/dev/null || js_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-tools >/dev/null \
    || js_die "redis-benchmark is needed for Redis's own XADD rate (apt-get install redis-tools)"

bench_name=stage
# shellcheck source=scripts/benchmarks/servers.sh
source "$JOBSMITH_ROOT/scripts/benchmarks/servers.sh"
# shellcheck source=scripts/benchmarks/venv.sh
source "$JOBSMITH_ROOT/scripts/benchmarks/venv.sh"

redis_url="redis://127.0.0.1:$redis_port"
redis_pidfile="$work/redis/redis.pid"
drain() { "$venv/bin/python" "$bench_python/stage_drain.py" "$@"; }
envelope_bytes=$(drain envelope-size)
token=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
# The real handler runs the deterministic engine, whatever the calling environment says.
common=(REDIS_URL="$redis_url/0" DATABASE_URL="postgresql://postgres@127.0.0.1:$pg_port/jobsmith"
    LOG_LEVEL=warning GATEWAY_API_TOKEN="$token" MASTER_CV_PATH="$JOBSMITH_ROOT/samples/master-cv.json"
    JOBSMITH_LLM_PROVIDERS=none)

# watch KIND URL COUNT [ARGUMENT...] — starts the drain watcher in the background, counting the CPU
# time of the processes whose pids go into $work/consumer.pids, and of Redis; returns once it samples.
# Sets watcher.
watch() {
    local i
    rm -f "$work/watching" "$work/consumer.pids" "$work/watch.json"
    drain watch "$@" --cpu "consumer=$work/consumer.pids" --cpu "redis=$redis_pidfile" --ready "$work/watching" --timeout 600 \
        >"$work/watch.json" &
    watcher=$!
    pids+=("$watcher")
    for ((i = 0; i < 200; i++)); do
        [ -e "$work/watching" ] && return 0
        kill -0 "$watcher" 2>/dev/null || break
        sleep 0.05
    done
    js_die "the drain watcher did not start"
}

# finish LOG — waits for the watcher, whose figures are then in $work/watch.json; shows the end of
# LOG when the queue was not drained.
finish() {
    wait "$watcher" || { tail -n 20 "$1" >&2; js_die "the queue was not drained (see above)"; }
    cat "$work/watch.json" >&2
}

# measure_stage PREFIX COUNT [VARIABLE=VALUE...] — one extraction replica on PREFIX's streams, with
# the extra environment given, drains COUNT messages from PREFIX:jobs:ingested; the figures are then
# in $work/watch.json. (Not run in a subshell: the exit trap must know every process it starts.)
measure_stage() {
    local prefix=$1 count=$2
    shift 2
    watch stream "$redis_url/0" "$count" --stream "$prefix:jobs:ingested" --group extraction --next "$prefix:jobs:extracted"
    env "${common[@]}" "$@" JOBSMITH_STREAM_PREFIX="$prefix" JOBSMITH_THREADS="$threads" HTTP_PORT="$(js_free_port)" \
        JOBSMITH_INSTANCE=extraction-bench "$bin/extraction" >>"$work/extraction.log" 2>&1 &
    local service=$!
    pids+=("$service")
    echo "$service" >"$work/consumer.pids"
    finish "$work/extraction.log"
    js_stop_pid "$service" TERM 20 extraction
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# 1. The no-op handler: N envelopes naming jobs that need not exist, since nothing reads them.
js_log "filling jobs:ingested with $messages envelopes; one extraction replica with JOBSMITH_HANDLER=noop drains them"
drain fill stream "$redis_url/0" "$messages" --stream bench-noop:jobs:ingested
measure_stage bench-noop "$messages" JOBSMITH_HANDLER=noop CONSUMER_CONCURRENCY="${CONSUMER_CONCURRENCY:-$noop_concurrency}"
noop=$(cat "$work/watch.json")
noop_wide=
if [ "${#wide[@]}" -gt 0 ]; then
    js_log "the same with ${wide[*]}"
    drain fill stream "$redis_url/0" "$messages" --stream bench-wide:jobs:ingested
    measure_stage bench-wide "$messages" JOBSMITH_HANDLER=noop "${wide[@]}"
    noop_wide=$(cat "$work/watch.json")
fi

# 2. The real handler: the dataset stored by the ingestion service, whose job.ingested messages wait
# in the stream until the extraction replica starts.
js_log "storing the Ashby dataset with the ingestion service (extraction not running yet)"
echo '[{"name": "ashby", "kind": "file", "location": "'"$dataset"'"}]' >"$work/sources.json"
gateway_port=$(js_free_port)
env "${common[@]}" JOBSMITH_STREAM_PREFIX=bench-real INGESTION_SOURCES_FILE="$work/sources.json" HTTP_PORT="$(js_free_port)" \
    JOBSMITH_INSTANCE=ingestion-bench "$bin/ingestion" >"$work/ingestion.log" 2>&1 &
ingestion_pid=$!
pids+=("$ingestion_pid")
env "${common[@]}" JOBSMITH_STREAM_PREFIX=bench-real HTTP_PORT="$gateway_port" JOBSMITH_INSTANCE=gateway-bench \
    "$bin/gateway" >"$work/gateway.log" 2>&1 &
gateway_pid=$!
pids+=("$gateway_pid")
js_wait_http "http://127.0.0.1:$gateway_port/readyz" 60 || { tail -n 20 "$work/gateway.log" >&2; js_die "the gateway did not start"; }
for ((i = 0; i < 240; i++)); do
    [ "$(psql_bench "select count(*) from sources")" -ge 1 ] && break
    sleep 0.25
done
curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $token" "http://127.0.0.1:$gateway_port/api/ingest/ashby/run" \
    || js_die "the gateway refused to start the ingestion run"
for ((i = 0; i < 1200; i++)); do
    [ "$(psql_bench "select count(*) from ingestion_runs where finished_at is not null")" -ge 1 ] && break
    sleep 0.1
done
js_stop_pid "$ingestion_pid" TERM 20 ingestion
js_stop_pid "$gateway_pid" TERM 20 gateway
stored=$(psql_bench "select count(*) from jobs")
queued=$(redis-cli -p "$redis_port" xlen bench-real:jobs:ingested)
if [ "$stored" -le 1000 ] || [ "$queued" -ne "$stored" ]; then
    js_die "ingestion stored $stored jobs and queued $queued messages (see $work/ingestion.log)"
fi
js_log "one extraction replica with its real handler drains the $queued messages"
measure_stage bench-real "$queued"
real=$(cat "$work/watch.json")

# 3. Celery: its own database on the same Redis server.
js_log "Celery: $messages no-op tasks, 2 prefork processes, task_acks_late, prefetch $prefetch"
drain fill celery "$redis_url/1" "$messages"
watch celery "$redis_url/1" "$messages"
(cd "$bench_python" && BENCH_REDIS_URL="$redis_url/1" BENCH_CELERY_PREFETCH="$prefetch" exec "$venv/bin/celery" -A celery_noop worker \
    --pool prefork --concurrency 2 --without-gossip --without-mingle --without-heartbeat --loglevel WARNING) >"$work/celery.log" 2>&1 &
celery_pid=$!
pids+=("$celery_pid")
echo "$celery_pid" >"$work/consumer.pids"
finish "$work/celery.log"
celery=$(cat "$work/watch.json")
js_stop_pid "$celery_pid" TERM 30 "Celery worker"

# 4. RQ: two workers in burst mode, which leave once the queue is empty.
js_log "RQ: $rq_messages no-op jobs, 2 workers"
drain fill rq "$redis_url/2" "$rq_messages"
watch rq "$redis_url/2" "$rq_messages"
rq_pids=()
for n in 1 2; do
    PYTHONPATH="$bench_python" "$venv/bin/rq" worker --burst --quiet --url "$redis_url/2" --name "bench-$n" default >>"$work/rq.log" 2>&1 &
    rq_pids+=($!)
    pids+=($!)
done
echo "${rq_pids[*]}" >"$work/consumer.pids"
finish "$work/rq.log"
rq=$(cat "$work/watch.json")
for pid in "${rq_pids[@]}"; do js_stop_pid "$pid" TERM 30 "RQ worker"; done

# 5. Redis alone: the envelope's XADD from redis-benchmark (50 connections), pipelined and not.
mapfile -t fields < <(drain envelope-fields)
redis_cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$(cat "$redis_pidfile")/stat"; }
# xadd_rate DEPTH — prints "requests/s|Redis CPU seconds".
xadd_rate() {
    local before out
    before=$(redis_cpu)
    out=$(redis-benchmark -h 127.0.0.1 -p "$redis_port" -n "$xadds" -c 50 -P "$1" --csv \
        XADD bench:xadd '*' "${fields[@]}") || js_die "redis-benchmark failed"
    redis-cli -p "$redis_port" del bench:xadd >/dev/null
    # The last line's fields, from the end: rps is the seventh last (the command's own text has commas).
    echo "$out" | tail -n 1 | awk -F'","' -v cpu="$(awk -v a="$(redis_cpu)" -v b="$before" 'BEGIN {print a - b}')" \
        '{printf "%.0f|%.2f\n", $(NF - 6), cpu}'
}
js_log "redis-benchmark: $xadds XADDs of the envelope, pipelined 16 deep"
xadd_pipelined=$(xadd_rate 16)
js_log "redis-benchmark: $xadds XADDs of the envelope, one at a time"
xadd_single=$(xadd_rate 1)

machine="$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
celery_version=$("$venv/bin/python" -c 'import celery; print(celery.__version__)')
rq_version=$("$venv/bin/python" -c 'import rq; print(rq.__version__)')
consumer="\`JOBSMITH_THREADS=$threads\`, \`CONSUMER_CONCURRENCY=${CONSUMER_CONCURRENCY:-$noop_concurrency}\` for the no-op handler (\`${CONSUMER_CONCURRENCY:-$threads}\` for the real one), \`CONSUMER_BATCH_SIZE=${CONSUMER_BATCH_SIZE:-32}\`"
python3 - "$(date -u +%Y-%m-%d)" "$machine" "$load_before" "$messages" "$envelope_bytes" "$consumer" "$prefetch" "$xadds" \
    "$celery_version" "$rq_version" "$noop" "${wide[*]}" "$noop_wide" "$real" "$celery" "$rq" "$xadd_pipelined" "$xadd_single" <<'PY' \
    | python3 scripts/benchmarks/section.py docs/benchmarks.md stage
import json, sys
(day, machine, load, messages, size, consumer, prefetch, xadds, celery_version, rq_version,
 noop, wide_settings, noop_wide, real, celery, rq, xadd_pipelined, xadd_single) = sys.argv[1:]
noop, real, celery, rq = (json.loads(figures) for figures in (noop, real, celery, rq))
noop_wide = json.loads(noop_wide) if noop_wide else None
wide_name = ", ".join(f"`{setting}`" for setting in wide_settings.split())

def micros(seconds, count):
    return f"{seconds / count * 1e6:.0f} µs"

def row(name, figures):
    count = figures["messages"]
    return (f"| {name} | {count} | {figures['seconds']:.2f} s | **{figures['per_second']}** | "
            f"{micros(figures['cpu']['consumer'], count)} | {micros(figures['cpu']['redis'], count)} |")

def xadd_row(name, figures):
    rate, cpu = figures.split("|")
    return f"| {name} | {xadds} | {int(xadds) / float(rate):.2f} s | **{rate}** | — | {micros(float(cpu), int(xadds))} |"

rows = [row("Jobsmith extraction, no-op handler (`JOBSMITH_HANDLER=noop`)", noop)]
if noop_wide:
    rows.append(row(f"Jobsmith extraction, no-op handler, {wide_name}", noop_wide))
rows += [
    row("Jobsmith extraction, real handler (the Ashby dataset)", real),
    row(f"Celery {celery_version}, no-op task", celery),
    row(f"RQ {rq_version}, no-op function", rq),
    xadd_row("redis-benchmark `XADD` of the envelope, pipelined 16 deep", xadd_pipelined),
    xadd_row("redis-benchmark `XADD` of the envelope, one at a time", xadd_single),
]

def ratio(a, b):
    return f"{a / b:.1f}×"

def targets(label, figures):
    rate = figures["per_second"]
    return [
        f"| {label} | {rate} messages/s | ≥ 20,000 messages/s | **{'met' if rate >= 20000 else 'not met'}** |",
        f"| {label} ÷ Celery | {ratio(rate, celery['per_second'])} | ≥ 10× | **{'met' if rate >= 10 * celery['per_second'] else 'not met'}** |",
    ]

def share(a, b):
    return f"{a / b * 100:.0f} %"

rate = noop["per_second"]
comparisons = targets("no-op stage", noop)
if noop_wide:
    comparisons += targets(f"no-op stage, {wide_name}", noop_wide)
comparisons += [
    f"| no-op stage ÷ RQ | {ratio(rate, rq['per_second'])} | | |",
    f"| no-op stage ÷ `XADD` pipelined | {share(rate, float(xadd_pipelined.split('|')[0]))} | | |",
    f"| no-op stage ÷ `XADD` one at a time | {share(rate, float(xadd_single.split('|')[0]))} | | |",
    f"| real stage ÷ Celery no-op | {ratio(real['per_second'], celery['per_second'])} | | |",
]

print(f"""## One stage's message throughput (`scripts/bench stage`)

{day}, {machine}; load average before the runs: {load}. One Redis (AOF on, as the services run it)
for every system. Each queue is filled with its messages first; the time runs from the first message
taken off it to the last one done (sampled every 5 ms), so start-up is not counted.

- **Jobsmith**: one release replica of extraction ({consumer}) reads `jobs:ingested`
  through its consumer group. The no-op handler only publishes each message's `job.extracted` to
  `jobs:extracted` and acknowledges it; the real handler structures, analyses and scores each
  posting, stores the result and reports its steps to the events stream. Its messages are the {real['messages']} that the
  ingestion service published for the dataset; the no-op's are {messages} `job.ingested` envelopes
  of {size} bytes (field names and values), as ingestion writes them.
- **Celery**: Redis broker, `task_acks_late`, results ignored, prefetch multiplier {prefetch},
  one worker with 2 prefork processes, {messages} calls of a task that does nothing, each with one
  {size}-byte string argument.
- **RQ**: 2 workers (`rq worker --burst`, each forking a work horse per job as RQ does), {rq['messages']} jobs
  of a function that does nothing, with the same argument.
- **redis-benchmark**: the envelope's own `XADD` (without `MAXLEN`, as the services send it to a stream groups consume) from 50
  connections: the most a stage could publish, with nothing read or acknowledged.

| system | messages | time | messages/s | consumer CPU per message | Redis CPU per message |
| --- | --- | --- | --- | --- | --- |
{chr(10).join(rows)}

| comparison | value | target | |
| --- | --- | --- | --- |
{chr(10).join(comparisons)}

Consumer CPU is the replica's (or the Celery worker's and its processes', or the RQ workers' and
their work horses') CPU time between the first message and the last, divided by the messages.""")
PY
js_log "wrote docs/benchmarks.md"
sed -n '/<!-- stage:start -->/,/<!-- stage:end -->/p' docs/benchmarks.md
