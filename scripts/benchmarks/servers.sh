# Sourced by the benchmarks that need the whole stack: a release build and a throwaway Redis and
# PostgreSQL (database `jobsmith`) in a private folder, all stopped and removed on exit.
#
# Sets: work (the folder), bin (the release binaries), redis_port, pg_port, pids (append the pids of
# processes the benchmark starts: the exit trap stops them), and psql_bench SQL.
# Takes: bench_name, naming the folder.

work=$(mktemp -d "${TMPDIR:-/tmp}/jobsmith-bench-${bench_name:-run}.XXXXXX")
# mktemp makes the folder private to us; PostgreSQL runs as the postgres user and must get in.
chmod 755 "$work"
pids=()
# shellcheck disable=SC2329 # called by the EXIT trap
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    for pid in "${pids[@]}"; do js_stop_pid "$pid" TERM 20 "benchmark process" || true; done
    js_pg_stop "$work/postgres" || true
    js_redis_stop "$work/redis" || true
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

js_log "swift build -c release"
swift build -c release >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log" >&2; js_die "release build failed"; }
bin=$(swift build -c release --show-bin-path)

redis_port=$(js_free_port)
js_redis_start "$work/redis" "$redis_port"
pg_port=$(js_free_port)
js_pg_start "$work/postgres" "$pg_port"
js_pg_createdb "$pg_port" jobsmith
psql_bench() { psql -X -h 127.0.0.1 -p "$pg_port" -U postgres -d jobsmith -v ON_ERROR_STOP=1 -tAc "$1"; }

# Measuring the processes a benchmark started (from /proc; CPU in seconds, memory in kB).
# CPU seconds a process has used so far (user + system).
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }
# CPU seconds PostgreSQL has used so far: the postmaster, its live backends, and (through the
# postmaster's children counters) the backends that already exited.
postgres_cpu_seconds() {
    local postmaster
    postmaster=$(js_pg_pid "$work/postgres")
    { awk '{print $14 + $15 + $16 + $17}' "/proc/$postmaster/stat"
      for child in $(pgrep -P "$postmaster"); do awk '{print $14 + $15}' "/proc/$child/stat" 2>/dev/null || true; done
    } | awk -v hz="$(getconf CLK_TCK)" '{sum += $1} END {printf "%.2f", sum / hz}'
}
# CPU seconds the whole machine has been busy so far (all cores).
machine_busy_seconds() { awk -v hz="$(getconf CLK_TCK)" '/^cpu / {printf "%.2f", ($2 + $3 + $4 + $7 + $8) / hz}' /proc/stat; }
# memory PID FIELD — VmRSS or VmHWM of a process, in kB.
memory() { awk -v field="$2:" '$1 == field {print $2}' "/proc/$1/status"; }
# CPU ticks of a process and its descendants, one line each: its own and its reaped children's, then
# its live children's (the FastAPI app's uvicorn workers), recursively.
tree_cpu_ticks() {
    local child
    awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat" 2>/dev/null || true
    for child in $(pgrep -P "$1"); do tree_cpu_ticks "$child"; done
}
tree_cpu_seconds() { tree_cpu_ticks "$1" | awk -v hz="$(getconf CLK_TCK)" '{sum += $1} END {printf "%.2f", sum / hz}'; }
redis_cpu_seconds() { cpu_seconds "$(cat "$work/redis/redis.pid")"; }

# start_board_server — serves $work/www on a free loopback port with nginx (sets www_port). A board
# API's work is not what is measured, so it should cost little CPU; nginx also sends ETag and
# Last-Modified and answers conditional GETs, as the boards do. Follows symlinks into the dataset.
start_board_server() {
    mkdir -p "$work/www"
    www_port=$(js_free_port)
    cat >"$work/nginx.conf" <<NGINX
user root;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 256; }
http {
    access_log off;
    default_type application/json;
    server {
        listen 127.0.0.1:$www_port;
        root $work/www;
        location / { disable_symlinks off; }
    }
}
NGINX
    nginx -c "$work/nginx.conf" -p "$work" -g 'daemon off;' &
    pids+=($!)
    echo '{"jobs": [], "apiVersion": "1"}' >"$work/www/empty"
    js_wait_http "http://127.0.0.1:$www_port/empty" 20 || js_die "the board server did not start"
}
