#!/usr/bin/env bash
# A local CustomerGrains cluster on loopback: PostgreSQL, N silos (src/Silo) and the Api in Client mode.
#   deploy/cluster.sh start [N=2]   PostgreSQL (installed if missing), build if needed, N silos, the Api; waits
#                                   until the Api's /health/ready counts N silos
#   deploy/cluster.sh add           one more silo; waits until the Api counts it
#   deploy/cluster.sh remove [i]    graceful stop (SIGTERM) of silo i (default: the newest); waits until it is gone
#   deploy/cluster.sh status        processes, ports, /health/ready and the membership table
#   deploy/cluster.sh stop          stops the Api, the silos and PostgreSQL, and removes the state folder
#
# Everything listens on 127.0.0.1 only. Settings (environment; `start` records them, later commands reuse them):
#   CG_CLUSTER_STATE         state folder: pid files, logs, recorded settings (${TMPDIR:-/tmp}/customergrains-cluster)
#   CG_CLUSTER_API_PORT      the Api's HTTP port (5080)
#   CG_CLUSTER_PG_PORT       PostgreSQL's port (55432)
#   CG_CLUSTER_SILO_PORT     silo i listens on SILO_PORT+i (silo-to-silo, 11111),
#   CG_CLUSTER_GATEWAY_PORT    GATEWAY_PORT+i (client gateway, 30000)
#   CG_CLUSTER_HTTP_PORT       and HTTP_PORT+i (/health/live, 5090)
#   CG_CLUSTER_ID            Orleans cluster id (customergrains)
#   CG_CLUSTER_CONFIGURATION build configuration of the binaries (Release)
#   CG_CLUSTER_TIMEOUT       seconds to wait for readiness or a graceful stop (90)
# Other CustomerGrains__* variables in the environment (e.g. API keys) reach every process unchanged.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
command=${1:-}
state=${CG_CLUSTER_STATE:-${TMPDIR:-/tmp}/customergrains-cluster}
settings="$state/cluster.env"

usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
log() { echo "cluster: $*" >&2; }
fail() { log "$*"; exit 1; }

load_settings() {
  if [ -f "$settings" ]; then
    # shellcheck source=/dev/null
    . "$settings"
  else
    api_port=${CG_CLUSTER_API_PORT:-5080}
    pg_port=${CG_CLUSTER_PG_PORT:-55432}
    silo_port=${CG_CLUSTER_SILO_PORT:-11111}
    gateway_port=${CG_CLUSTER_GATEWAY_PORT:-30000}
    http_port=${CG_CLUSTER_HTTP_PORT:-5090}
    cluster_id=${CG_CLUSTER_ID:-customergrains}
    configuration=${CG_CLUSTER_CONFIGURATION:-Release}
    timeout=${CG_CLUSTER_TIMEOUT:-90}
    connection=""
  fi
}

save_settings() {
  mkdir -p "$state"
  {
    printf 'api_port=%q\npg_port=%q\nsilo_port=%q\ngateway_port=%q\nhttp_port=%q\n' \
      "$api_port" "$pg_port" "$silo_port" "$gateway_port" "$http_port"
    printf 'cluster_id=%q\nconfiguration=%q\ntimeout=%q\nconnection=%q\n' "$cluster_id" "$configuration" "$timeout" "$connection"
  } >"$settings"
}

dll() { echo "$root/src/$1/bin/$configuration/net10.0/CustomerGrains.$1.dll"; }

# Builds when a binary is missing or any source or project file is newer than it.
build_if_needed() {
  local stale=""
  for project in Silo Api; do
    if [ ! -f "$(dll "$project")" ] || [ -n "$(find "$root/src" "$root/Directory.Build.props" "$root/Directory.Packages.props" \
        \( -name '*.cs' -o -name '*.csproj' -o -name '*.sql' -o -name '*.json' -o -name '*.props' \) \
        -not -path '*/bin/*' -not -path '*/obj/*' -newer "$(dll "$project")" -print -quit)" ]; then
      stale=yes
    fi
  done
  if [ -n "$stale" ]; then
    log "building ($configuration)…"
    dotnet build "$root/CustomerGrains.sln" -c "$configuration" >"$state/build.log" 2>&1 || fail "build failed: see $state/build.log"
  fi
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

silo_indexes() {
  local file
  for file in "$state"/silo-*.pid; do
    [ -e "$file" ] || continue
    file=${file##*/silo-}; echo "${file%.pid}"
  done | sort -n
}

running_silos() {
  local count=0 i
  for i in $(silo_indexes); do alive "$state/silo-$i.pid" && count=$((count + 1)); done
  echo "$count"
}

# The number of active silos the Api reports, or nothing while it is not ready.
ready_silos() {
  curl -sf --max-time 5 "http://127.0.0.1:$api_port/health/ready" 2>/dev/null | sed -n 's/.*"silos":\([0-9]*\).*/\1/p'
}

wait_for() { # description, then a command that succeeds when done
  local what=$1; shift
  local deadline=$((SECONDS + timeout))
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.5
  done
  log "$what"
}

silo_live() { curl -sf --max-time 2 "http://127.0.0.1:$((http_port + $1))/health/live" >/dev/null 2>&1; }
api_counts() { [ "$(ready_silos)" = "$1" ]; }
api_up_with() { alive "$state/api.pid" || fail "the Api exited; its log: $state/api.log"; api_counts "$1"; }

# setsid + no shared stdout: the processes outlive this script, and whoever runs it sees it end at once.
launch() { # name, then environment assignments and the dll
  local name=$1; shift
  setsid env "$@" </dev/null >"$state/$name.log" 2>&1 &
  echo $! >"$state/$name.pid"
}

start_silo() {
  local i=$1
  launch "silo-$i" \
    CustomerGrains__PostgreSql="$connection" CustomerGrains__ClusterId="$cluster_id" \
    CustomerGrains__SiloName="silo-$i" CustomerGrains__AdvertisedIp=127.0.0.1 \
    CustomerGrains__SiloPort=$((silo_port + i)) CustomerGrains__GatewayPort=$((gateway_port + i)) \
    Urls="http://127.0.0.1:$((http_port + i))" ASPNETCORE_ENVIRONMENT=Production \
    dotnet "$(dll Silo)"
}

wait_silo_live() {
  local i=$1
  wait_for "silo-$i up (silo port $((silo_port + i)), gateway $((gateway_port + i)), http $((http_port + i)))" \
    silo_up "$i" || fail "silo-$i did not start; its log: $state/silo-$i.log"
}

silo_up() { alive "$state/silo-$1.pid" || fail "silo-$1 exited; its log: $state/silo-$1.log"; silo_live "$1"; }

# SIGTERM, then wait: the silo deactivates its grains and marks itself dead in the membership table.
# It gets its own shutdown timeout (30 s) and a margin; SIGKILL only past that, and then this fails.
stop_process() {
  local name=$1 file="$state/$1.pid" pid
  alive "$file" || { rm -f "$file"; return 0; }
  pid=$(cat "$file")
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 45))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "$name (pid $pid) ignored SIGTERM for 45 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      rm -f "$file"
      return 1
    fi
    sleep 0.2
  done
  rm -f "$file"
  log "$name stopped"
}

stop_all() {
  local status=0 i pids=()
  stop_process api || status=1
  for i in $(silo_indexes); do stop_process "silo-$i" & pids+=($!); done
  for pid in "${pids[@]}"; do wait "$pid" || status=1; done
  bash "$root/scripts/postgres.sh" stop "$pg_port" >/dev/null 2>&1 || status=1
  rm -rf "$state"
  log "stopped"
  return "$status"
}

cmd_start() {
  local count=${1:-2} i
  [[ "$count" =~ ^[1-9][0-9]*$ ]] || fail "start takes a silo count ≥ 1, not '$count'"
  if [ -f "$settings" ] && [ -f "$state/api.pid" ] && alive "$state/api.pid"; then
    fail "a cluster is already running from $state (deploy/cluster.sh stop first)"
  fi
  rm -rf "$state"; mkdir -p "$state"
  load_settings
  trap 'if [ $? -ne 0 ]; then log "start failed; stopping what it started (logs kept in $state.failed)"; keep_logs; stop_all || true; fi' EXIT
  build_if_needed
  log "starting PostgreSQL on 127.0.0.1:$pg_port…"
  connection=$(bash "$root/scripts/postgres.sh" start "$pg_port")
  save_settings
  # The first silo applies the schema migrations before it listens; the others then find it current.
  start_silo 0
  wait_silo_live 0
  for ((i = 1; i < count; i++)); do start_silo "$i"; done
  for ((i = 1; i < count; i++)); do wait_silo_live "$i"; done
  launch api \
    CustomerGrains__Mode=Client CustomerGrains__PostgreSql="$connection" CustomerGrains__ClusterId="$cluster_id" \
    Urls="http://127.0.0.1:$api_port" ASPNETCORE_ENVIRONMENT=Production \
    dotnet "$(dll Api)"
  wait_for "Api ready on http://127.0.0.1:$api_port with $count silos" api_up_with "$count" \
    || fail "the Api did not report $count silos (it says: '$(ready_silos)'); logs in $state"
  trap - EXIT
}

keep_logs() { rm -rf "$state.failed"; mkdir -p "$state.failed"; cp "$state"/*.log "$state.failed/" 2>/dev/null || true; }

cmd_add() {
  [ -f "$settings" ] || fail "no cluster in $state (deploy/cluster.sh start first)"
  local i=0 expected
  while alive "$state/silo-$i.pid"; do i=$((i + 1)); done
  expected=$(($(running_silos) + 1))
  start_silo "$i"
  wait_silo_live "$i"
  wait_for "the Api counts $expected silos" api_counts "$expected" \
    || fail "the Api did not report $expected silos (it says: '$(ready_silos)')"
}

cmd_remove() {
  [ -f "$settings" ] || fail "no cluster in $state (deploy/cluster.sh start first)"
  local i=${1:-} expected
  if [ -z "$i" ]; then
    local candidate
    for candidate in $(silo_indexes); do alive "$state/silo-$candidate.pid" && i=$candidate; done
  fi
  [ -n "$i" ] && alive "$state/silo-$i.pid" || fail "no running silo ${i:-at all}"
  [[ "$i" =~ ^[0-9]+$ ]] || fail "remove takes a silo index, not '$i'"
  expected=$(($(running_silos) - 1))
  stop_process "silo-$i" || fail "silo-$i did not stop gracefully"
  [ "$expected" -gt 0 ] || { log "no silo left: the Api answers 503 until one is added"; return 0; }
  wait_for "the Api counts $expected silos" api_counts "$expected" \
    || fail "the Api did not report $expected silos (it says: '$(ready_silos)')"
}

cmd_status() {
  [ -f "$settings" ] || { echo "no cluster in $state"; return 0; }
  local i pid
  echo "state: $state   PostgreSQL: 127.0.0.1:$pg_port"
  for i in $(silo_indexes); do
    pid=$(cat "$state/silo-$i.pid")
    if alive "$state/silo-$i.pid"; then
      echo "silo-$i  pid $pid  silo $((silo_port + i))  gateway $((gateway_port + i))  http $((http_port + i))  running"
    else
      echo "silo-$i  pid $pid  exited (log: $state/silo-$i.log)"
    fi
  done
  if alive "$state/api.pid"; then
    echo "api     pid $(cat "$state/api.pid")  http://127.0.0.1:$api_port  ready silos: $(ready_silos || true)"
  else
    echo "api     not running"
  fi
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$bin" ]; then
    echo "membership (status 3 = active, 6 = dead):"
    runuser -u postgres -- "$bin/psql" -h 127.0.0.1 -p "$pg_port" -d customergrains -qtA -F ' ' \
      -c "SELECT SiloName, Address || ':' || Port, Status FROM OrleansMembershipTable ORDER BY StartTime" 2>/dev/null \
      | sed 's/^/  /' || echo "  (not readable)"
  fi
}

case "$command" in
  start) load_settings; cmd_start "${2:-2}" ;;
  add) load_settings; cmd_add ;;
  remove) load_settings; cmd_remove "${2:-}" ;;
  status) load_settings; cmd_status ;;
  stop)
    load_settings
    if [ -d "$state" ]; then stop_all; else bash "$root/scripts/postgres.sh" stop "$pg_port" >/dev/null 2>&1 || true; log "nothing was running"; fi
    ;;
  *) usage ;;
esac
