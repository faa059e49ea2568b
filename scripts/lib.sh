# shellcheck shell=bash
# Helpers shared by scripts/run and scripts/test. Source it; it defines functions and sets nothing else
# except JOBSMITH_ROOT (the repository root) and SWIFT_DETERMINISTIC_HASHING.
#
# Every helper prints its diagnostics on stderr and returns non-zero on failure, so callers running with
# `set -euo pipefail` stop at the first problem.

# shellcheck disable=SC2034 # used by the scripts that source this file
JOBSMITH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# SwiftPM 6.3 emits trait flags in a random order unless hashing is deterministic, which makes
# Hummingbird rebuild on about half of the no-op builds. Every script that builds sources this file.
export SWIFT_DETERMINISTIC_HASHING=1

# The Debian packages the build, the tests and scripts/run need.
JOBSMITH_APT_PACKAGES=(
    redis-server postgresql libhiredis-dev libpq-dev libcurl4-openssl-dev pkg-config docker-compose curl python3
    python3-venv
    chromium chromium-driver poppler-utils
)

js_log() { printf '==> %s\n' "$*" >&2; }
js_warn() { printf 'warning: %s\n' "$*" >&2; }
js_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, through sudo otherwise.
js_as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n "$@"
    else
        js_warn "need root for: $*"
        return 1
    fi
}

# Installs whichever of JOBSMITH_APT_PACKAGES is missing. Runs `apt-get update` once, and only when
# something has to be installed.
js_ensure_packages() {
    local missing=() pkg
    for pkg in "${JOBSMITH_APT_PACKAGES[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$pkg")
        fi
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    command -v apt-get >/dev/null 2>&1 || js_die "missing packages (${missing[*]}) and no apt-get to install them"
    js_log "installing ${missing[*]}"
    local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -y -q
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
    js_as_root "${apt[@]}" update </dev/null >&2 || js_die "apt-get update failed"
    # No recommends: docker-compose would otherwise pull in the Docker engine, which nothing here runs.
    js_as_root "${apt[@]}" install --no-install-recommends "${missing[@]}" </dev/null >&2 \
        || js_die "apt-get install ${missing[*]} failed"
}

# Puts a Swift toolchain on PATH: `swift` if it is there already, else /opt/swift/usr/bin.
js_find_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        if [ -x /opt/swift/usr/bin/swift ]; then
            export PATH="/opt/swift/usr/bin:$PATH"
        else
            js_die "no Swift toolchain: put swift on PATH or install it under /opt/swift"
        fi
    fi
    export SWIFT_DETERMINISTIC_HASHING=1
}

# Succeeds when nothing listens on 127.0.0.1:PORT and the port can be bound.
js_port_free() {
    python3 - "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# Like the servers themselves: connections in TIME_WAIT do not make a port unusable.
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
PY
}

# Prints a free loopback port. Picks from 20000-32767, below Linux's ephemeral range, so that outgoing
# connections made later are unlikely to take it before the server binds it.
js_free_port() {
    python3 - <<'PY'
import random, socket, sys
for _ in range(200):
    port = random.randint(20000, 32767)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    sys.exit(0)
sys.exit("no free port found")
PY
}

# Prints the first free port at or after START.
js_free_port_from() {
    local port=$1
    while ! js_port_free "$port"; do
        port=$((port + 1))
        [ "$port" -le 65535 ] || return 1
    done
    echo "$port"
}

# Succeeds when PID is a live process whose command name is NAME (guards against recycled PIDs).
js_pid_is() {
    local pid=$1 name=$2 comm
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
    [[ "$comm" == "$name"* ]]
}

# Waits up to SECONDS for PID to exit. Succeeds if it did.
js_wait_exit() {
    local pid=$1 seconds=$2 i
    for ((i = 0; i < seconds * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    ! kill -0 "$pid" 2>/dev/null
}

# Sends SIGNAL to PID, waits up to SECONDS, then SIGKILLs it if it is still there.
js_stop_pid() {
    local pid=$1 signal=$2 seconds=$3 what=${4:-process}
    kill -0 "$pid" 2>/dev/null || return 0
    kill "-$signal" "$pid" 2>/dev/null || true
    if ! js_wait_exit "$pid" "$seconds"; then
        js_warn "$what (pid $pid) did not stop within ${seconds}s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
        js_wait_exit "$pid" 5 || { js_warn "$what (pid $pid) survived SIGKILL"; return 1; }
    fi
}

# Waits up to SECONDS for URL to answer with a 2xx status.
js_wait_http() {
    local url=$1 seconds=$2 i
    for ((i = 0; i < seconds * 4; i++)); do
        curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
        sleep 0.25
    done
    return 1
}

# ---------------------------------------------------------------------------------------------------
# Redis

# js_redis_start DIR PORT — starts a Redis server on 127.0.0.1:PORT keeping its AOF, pid file and log
# in DIR (created if needed). If the pid file names a live redis-server answering on PORT, it is reused;
# a stale pid file is removed.
js_redis_start() {
    local dir=$1 port=$2 pidfile pid i
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    pidfile="$dir/redis.pid"
    if [ -f "$pidfile" ]; then
        pid=$(cat "$pidfile" 2>/dev/null || true)
        if js_pid_is "$pid" redis-server; then
            if [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = PONG ]; then
                js_log "Redis already running on 127.0.0.1:$port (pid $pid)"
                return 0
            fi
            js_die "Redis from $dir (pid $pid) runs but does not answer on port $port; stop it first"
        fi
        rm -f "$pidfile"
    fi
    js_port_free "$port" || js_die "port $port is taken; cannot start Redis there"
    redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" \
        --appendonly yes --maxmemory-policy noeviction \
        --daemonize yes --pidfile "$pidfile" --logfile "$dir/redis.log" \
        || js_die "redis-server failed to start (see $dir/redis.log)"
    for ((i = 0; i < 100; i++)); do
        if [ -s "$pidfile" ] && [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = PONG ]; then
            js_log "Redis on 127.0.0.1:$port (pid $(cat "$pidfile"), data in $dir)"
            return 0
        fi
        sleep 0.1
    done
    tail -n 20 "$dir/redis.log" >&2 2>/dev/null || true
    js_die "Redis did not answer on port $port within 10s"
}

# js_redis_stop DIR — stops the Redis server whose pid file is in DIR (SIGTERM: it flushes the AOF).
# Succeeds when nothing is running.
js_redis_stop() {
    local dir=$1 pidfile=$1/redis.pid pid
    [ -f "$pidfile" ] || return 0
    pid=$(cat "$pidfile" 2>/dev/null || true)
    if js_pid_is "$pid" redis-server; then
        js_stop_pid "$pid" TERM 20 "Redis" || return 1
    fi
    rm -f "$pidfile"
}

# ---------------------------------------------------------------------------------------------------
# PostgreSQL

# Prints the folder holding initdb and pg_ctl (PostgreSQL 15 preferred, else the newest installed).
js_pg_bindir() {
    local dir
    if [ -x /usr/lib/postgresql/15/bin/initdb ]; then
        echo /usr/lib/postgresql/15/bin
        return 0
    fi
    dir=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] || js_die "no PostgreSQL server binaries under /usr/lib/postgresql"
    echo "$dir"
}

# Runs a command as the postgres user when we are root (initdb refuses root), as ourselves otherwise.
# Runs it from /tmp so it does not complain that it cannot enter the caller's folder.
js_as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd /tmp && runuser -u postgres -- "$@")
    else
        (cd /tmp && "$@")
    fi
}

# Prints the postmaster PID recorded in DATA/postmaster.pid if that process is alive and is postgres.
js_pg_pid() {
    local data=$1 pid
    [ -f "$data/postmaster.pid" ] || return 1
    pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)
    js_pid_is "$pid" postgres || return 1
    echo "$pid"
}

# js_pg_ready PORT — succeeds when PostgreSQL accepts connections on 127.0.0.1:PORT.
js_pg_ready() {
    pg_isready -q -h 127.0.0.1 -p "$1" -U postgres -t 2 >/dev/null 2>&1
}

# js_pg_start DATA PORT [SERVER OPTION...] — creates a cluster in DATA on first use (trust auth, user
# postgres, UTF-8) and starts it on 127.0.0.1:PORT with no Unix socket. Extra arguments go to the
# server (for example `-c fsync=off`). A running server from DATA that answers on PORT is reused; a
# stale postmaster.pid is removed. DATA's parent folders must be enterable by the postgres user.
js_pg_start() {
    local data=$1 port=$2
    shift 2
    local bin pid parent owner options
    bin=$(js_pg_bindir)
    parent="$(dirname "$data")"
    mkdir -p "$parent"
    data="$(cd "$parent" && pwd)/$(basename "$data")"

    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || js_die "no postgres user (is the postgresql package installed?)"
        if ! runuser -u postgres -- test -x "$(dirname "$data")"; then
            js_die "the postgres user cannot enter $(dirname "$data"); put the data folder somewhere it can (every parent folder needs o+x)"
        fi
        # Creates the folder, or fixes owner and mode of an existing one.
        install -d -o postgres -g postgres -m 700 "$data"
        owner=$(stat -c %U "$data")
        [ "$owner" = postgres ] || js_die "$data is owned by $owner, not postgres"
    else
        install -d -m 700 "$data"
    fi

    if pid=$(js_pg_pid "$data"); then
        if js_pg_ready "$port"; then
            js_log "PostgreSQL already running on 127.0.0.1:$port (pid $pid)"
            return 0
        fi
        js_die "PostgreSQL from $data (pid $pid) runs but does not answer on port $port; stop it first"
    fi
    if [ -f "$data/postmaster.pid" ]; then
        js_warn "removing stale $data/postmaster.pid"
        rm -f "$data/postmaster.pid"
    fi

    if [ ! -f "$data/PG_VERSION" ]; then
        if [ -n "$(ls -A "$data" 2>/dev/null)" ]; then
            js_die "$data is neither empty nor a PostgreSQL data folder"
        fi
        js_log "initdb $data"
        js_as_postgres "$bin/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync \
            >"$(dirname "$data")/initdb.log" 2>&1 \
            || { cat "$(dirname "$data")/initdb.log" >&2; js_die "initdb failed"; }
    fi

    js_port_free "$port" || js_die "port $port is taken; cannot start PostgreSQL there"
    options="-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
    [ "$#" -gt 0 ] && options="$options $*"
    if ! js_as_postgres "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 30 -o "$options" start >/dev/null; then
        tail -n 20 "$data/server.log" >&2 2>/dev/null || true
        js_die "PostgreSQL failed to start (see $data/server.log)"
    fi
    js_pg_ready "$port" || js_die "PostgreSQL started but does not answer on port $port"
    js_log "PostgreSQL on 127.0.0.1:$port (pid $(js_pg_pid "$data" || echo '?'), data in $data)"
}

# js_pg_stop DATA — fast shutdown (SIGINT) of the server running from DATA, waiting for it to exit.
# Succeeds when nothing is running.
js_pg_stop() {
    local data=$1 pid
    pid=$(js_pg_pid "$data") || return 0
    js_stop_pid "$pid" INT 30 "PostgreSQL"
}

# js_pg_createdb PORT NAME — creates database NAME unless it exists.
js_pg_createdb() {
    local port=$1 name=$2 exists
    exists=$(psql -X -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
        "select 1 from pg_database where datname = '$name'") || js_die "cannot query PostgreSQL on port $port"
    if [ "$exists" != 1 ]; then
        createdb -h 127.0.0.1 -p "$port" -U postgres "$name" || js_die "createdb $name failed"
        js_log "created database $name"
    fi
}
