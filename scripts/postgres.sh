#!/usr/bin/env bash
# A throwaway PostgreSQL for tests and local clusters, on 127.0.0.1 only.
#   scripts/postgres.sh install        installs Debian's postgresql if missing (start does too)
#   scripts/postgres.sh start [port]   installs Debian's postgresql if missing, starts a server, prints its connection string
#   scripts/postgres.sh stop  [port]   stops it and removes its data
#   scripts/postgres.sh kill  [port]   crashes it (immediate shutdown, no checkpoint), keeping its data
#   scripts/postgres.sh resume [port]  starts it again on the data a kill left (crash recovery runs)
# Runs as root (the server itself runs as the 'postgres' user, as initdb requires).
set -euo pipefail
command=${1:-start}
port=${2:-55432}
data="${TMPDIR:-/tmp}/customergrains-pg-${port}"
log="${data}.log"
connection="Host=127.0.0.1;Port=${port};Username=customergrains;Password=customergrains;Database=customergrains;Maximum Pool Size=50;Timezone=UTC"

bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

as_postgres() { runuser -u postgres -- "$@"; }

install() {
  [ -n "$(bin_dir)" ] && return 0
  # Test fixtures start servers side by side; on a fresh machine only one of them may run apt-get (dpkg
  # takes a lock and a second install fails at once), the others wait here and find it installed.
  exec 9>"${TMPDIR:-/tmp}/customergrains-pg-install.lock"
  flock 9
  if [ -z "$(bin_dir)" ]; then
    echo "installing PostgreSQL (Debian package postgresql)…" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq postgresql >&2
  fi
  flock -u 9
}

# Starts the server on an existing data folder; also used after a kill.
serve() {
  as_postgres "$1/pg_ctl" -D "$data" -l "$log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=${port} -c max_connections=300 -c unix_socket_directories=${data}" start >/dev/null
}

running() {
  local bin; bin=$(bin_dir) || return 1
  [ -f "$data/postmaster.pid" ] && as_postgres "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

case "$command" in
  install)
    install
    ;;
  start)
    install
    bin=$(bin_dir)
    if running; then echo "$connection"; exit 0; fi
    rm -rf "$data" "$log"
    mkdir -p "$data"
    chown postgres:postgres "$data"
    touch "$log"; chown postgres:postgres "$log"
    as_postgres "$bin/initdb" -D "$data" -U postgres --auth=trust --no-instructions -E UTF8 >/dev/null
    serve "$bin"
    as_postgres "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qtA \
      -c "CREATE ROLE customergrains LOGIN PASSWORD 'customergrains'" \
      -c "CREATE DATABASE customergrains OWNER customergrains" >/dev/null
    echo "$connection"
    ;;
  stop)
    if running; then as_postgres "$(bin_dir)/pg_ctl" -D "$data" -m fast -w stop >/dev/null; fi
    rm -rf "$data" "$log"
    ;;
  kill)
    if running; then as_postgres "$(bin_dir)/pg_ctl" -D "$data" -m immediate -w stop >/dev/null; fi
    ;;
  resume)
    [ -d "$data" ] || { echo "no data folder $data: use start" >&2; exit 1; }
    if ! running; then serve "$(bin_dir)"; fi
    echo "$connection"
    ;;
  *)
    echo "usage: $0 install|start|stop|kill|resume [port]" >&2; exit 2
    ;;
esac
