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
