#!/usr/bin/env bash
# Scripts/with-postgres.sh CMD ARGS...
#
# Runs CMD with a throw-away PostgreSQL server on 127.0.0.1 and stops it afterwards, exiting with
# CMD's status. CMD finds the server in CASETRACK_TEST_POSTGRES
# (postgresql://postgres@127.0.0.1:PORT/postgres, trust authentication); when no server could be
# had, CASETRACK_TEST_POSTGRES_SKIP says why instead and CMD still runs, so that the PostgreSQL
# tests report themselves skipped rather than failing.
#
# PostgreSQL comes from Debian's postgresql package, installed here when it is missing and we are
# root. initdb refuses to run as root, so as root the server runs as the package's `postgres`
# user. Everything the server writes (data, socket, log) lives in one temporary folder, removed
# on exit together with the server.
set -u

say() { echo "with-postgres: $*" >&2; }

skip() {
    export CASETRACK_TEST_POSTGRES_SKIP="$1"
    unset CASETRACK_TEST_POSTGRES
    echo "$1" >&2
}

if [ "$#" -eq 0 ]; then
    echo "usage: Scripts/with-postgres.sh CMD [ARGS...]" >&2
    exit 2
fi

# The server's programs: Debian keeps them out of PATH, in /usr/lib/postgresql/VERSION/bin.
find_bin() {
    local dir
    for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
        if [ -x "$dir/pg_ctl" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
    done
    if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v pg_ctl)"; return 0
    fi
    return 1
}

is_root=false
[ "$(id -u)" = 0 ] && is_root=true

bin=$(find_bin) || bin=""
if [ -z "$bin" ]; then
    if $is_root; then
        if ! { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }; then
            say "apt-get could not install postgresql"
        fi
        bin=$(find_bin) || bin=""
        # The package creates and starts a cluster of its own (on port 5432): ours needs nothing
        # from it, so it is stopped again rather than left running.
        if command -v pg_lsclusters >/dev/null 2>&1; then
            pg_lsclusters -h 2>/dev/null | while read -r version cluster _ status _; do
                if [ "$status" = online ]; then pg_ctlcluster "$version" "$cluster" stop >/dev/null 2>&1 || true; fi
            done
        fi
    else
        skip "PostgreSQL is not installed and we are not root: the PostgreSQL tests are skipped (install Debian's postgresql package to run them)"
        exec "$@"
    fi
fi
if [ -z "$bin" ]; then
    skip "PostgreSQL could not be installed (apt-get install postgresql failed): the PostgreSQL tests are skipped"
    exec "$@"
fi

if $is_root && ! id -u postgres >/dev/null 2>&1; then
    skip "we are root and there is no postgres user to run the server as (initdb refuses root): the PostgreSQL tests are skipped"
    exec "$@"
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/casetrack-pg.XXXXXX") || { skip "mktemp -d failed: the PostgreSQL tests are skipped"; exec "$@"; }
data="$dir/data"
log="$dir/log"
started=false

# Runs a server program as the user that owns the folder, from inside it (the postgres user may
# not be able to enter the caller's directory).
as_owner() {
    if $is_root; then
        (cd "$dir" && runuser -u postgres -- "$@")
    else
        (cd "$dir" && "$@")
    fi
}

cleanup() {
    if $started; then
        as_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 \
            || as_owner "$bin/pg_ctl" -D "$data" -m immediate -w -t 10 stop >/dev/null 2>&1
        # Should both have failed, end the postmaster we started by its own pid.
        if [ -f "$data/postmaster.pid" ]; then
            pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null)
            case "$pid" in ''|*[!0-9]*) ;; *) kill -9 "$pid" 2>/dev/null ;; esac
        fi
        started=false
    fi
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'cleanup; trap - EXIT; exit 130' INT
trap 'cleanup; trap - EXIT; exit 143' TERM

$is_root && chown postgres: "$dir"

locale=C
if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then locale=C.UTF-8; fi

free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
        return
    fi
    local port
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
    done
    echo 54329
}

reason=""
if ! as_owner "$bin/initdb" -D "$data" --auth=trust -U postgres --encoding=UTF8 --locale="$locale" >"$dir/initdb.log" 2>&1; then
    tail -n 20 "$dir/initdb.log" >&2
    reason="initdb failed"
else
    # A port found free may be taken before the server binds it: try a few.
    for _ in 1 2 3; do
        port=$(free_port)
        if as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
            -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null 2>&1; then
            started=true
            break
        fi
        # pg_ctl may give up while the postmaster still runs: make sure it is gone.
        as_owner "$bin/pg_ctl" -D "$data" -m immediate -w -t 10 stop >/dev/null 2>&1
    done
    if ! $started; then
        [ -f "$log" ] && tail -n 20 "$log" >&2
        reason="the PostgreSQL server did not start (see its log above)"
    fi
fi

if [ -n "$reason" ]; then
    skip "$reason: the PostgreSQL tests are skipped"
else
    export CASETRACK_TEST_POSTGRES="postgresql://postgres@127.0.0.1:$port/postgres"
    unset CASETRACK_TEST_POSTGRES_SKIP
fi

"$@"
status=$?
exit "$status"
