#!/usr/bin/env bash
# End-to-end load through HTTP: 20 segments (8 on time windows), N events over M customers with
# power-law activity, query and visibility probes during the load.
#   bench/run.sh sqlite   [events=100000] [customers=10000] [batch=500] [concurrency=8]
#   [SILOS=1] bench/run.sh postgres [events] [customers] [batch] [concurrency]   (SILOS silos + client-mode
#                          Api through deploy/cluster.sh, plus the same events COPYed straight into PostgreSQL
#                          as the baseline)
#   WARMUP=N bench/run.sh …   first sends N events over the same customers, unmeasured, so the figures are
#                          those of a host past JIT warm-up and first activations ("sustained")
#   RATE=R bench/run.sh …     the measured load at a fixed R events/s (open loop: latencies at that load)
#                          instead of as fast as <concurrency> requests in flight allow
#   RANKINGS=1 bench/run.sh … also probes the exact top 100 by revenue, p_alive and clv during the measured load
#   CONSUMERS=1 bench/run.sh … (sqlite) a webhook on every segment and a Server-Sent Events reader of the change feed
#                          follow the measured load; prints the time from an event to its change reaching the webhook
#                          (CONSUMERS=webhook: the webhook alone)
#   IDLE_WATCH=S bench/run.sh … (sqlite) after the load, every 15 s for S seconds: resident memory, active customers and GC
#                          heap, to watch idle customers deactivate (set CustomerGrains__Customers__IdleAfter to see it soon)
#   GCDUMP=file.gcdump bench/run.sh … (sqlite) a heap dump of the host after the measured load, its top types in file.gcdump.txt
#   PROFILE=file.nettrace bench/run.sh … (sqlite) samples the host's CPU with dotnet-trace during the measured load;
#                          bench/profile.py file.speedscope.json (written beside it) prints where it went
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-sqlite}; events=${2:-100000}; customers=${3:-10000}; batch=${4:-500}; concurrency=${5:-8}
silos=${SILOS:-1}
port=5181
work=$(mktemp -d)
pids=()
# The cluster (postgres mode) on ports of its own, so a bench never meets a cluster started by hand.
export CG_CLUSTER_STATE="$work/cluster" CG_CLUSTER_API_PORT=$port CG_CLUSTER_PG_PORT=55440 \
  CG_CLUSTER_SILO_PORT=11511 CG_CLUSTER_GATEWAY_PORT=30511 CG_CLUSTER_HTTP_PORT=5191 CG_CLUSTER_ID=bench
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  [ "$mode" = postgres ] && deploy/cluster.sh stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
dotnet build -c Release CustomerGrains.sln >/dev/null
bin() { echo "src/$1/bin/Release/net10.0/CustomerGrains.$1.dll"; }

baseline=()
if [ "$mode" = postgres ]; then
  deploy/cluster.sh start "$silos"
  pg=$(scripts/postgres.sh start 55440)
  baseline=(--copy-baseline "$pg")
  servers=$(cat "$CG_CLUSTER_STATE"/silo-*.pid)
  engine="$servers $(cat "$CG_CLUSTER_STATE/api.pid")"
else
  CustomerGrains__DataPath="$work" Urls="http://127.0.0.1:$port" CustomerGrains__Webhooks__AllowedHosts__0=127.0.0.1 CustomerGrains__SiloPort=11311 CustomerGrains__GatewayPort=30311 \
    dotnet "$(bin Api)" >"$work/api.log" 2>&1 &
  pids+=($!)
  servers=${pids[0]}
  engine=$servers
fi
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.5; done

# Resident memory of every process that hosts a silo, together.
rss() { local kib=0 pid; for pid in $servers; do kib=$((kib + $(ps -o rss= -p "$pid"))); done; echo $((kib / 1024)); }
# CPU seconds used by the engine's processes (utime + stime), a figure that other load on the machine disturbs less than wall time.
cpu() { local total=0 pid; for pid in ${1:-$engine}; do total=$(( total + $(awk '{print $14 + $15}' "/proc/$pid/stat") )); done; echo "$total"; }
before=$(rss)
if [ "${WARMUP:-0}" -gt 0 ]; then
  echo "warm-up: ${WARMUP} events over the same customers, not measured"
  dotnet bench/LoadGen/bin/Release/net10.0/CustomerGrains.LoadGen.dll --api "http://127.0.0.1:$port" --events "$WARMUP" \
    --customers "$customers" --batch "$batch" --concurrency "$concurrency" --segments | sed -n 1,2p
fi
cpu_before=$(cpu)
servers_before=$(cpu "$servers")
tracer=
if [ -n "${PROFILE:-}" ]; then
  command -v dotnet-trace >/dev/null || PATH="$PATH:$HOME/.dotnet/tools"
  command -v dotnet-trace >/dev/null || dotnet tool install -g dotnet-trace >/dev/null
  PATH="$PATH:$HOME/.dotnet/tools" dotnet-trace collect -p "$servers" --profile dotnet-sampled-thread-time --format Speedscope -o "$PROFILE" >"$work/trace.log" 2>&1 &
  tracer=$!
  sleep 2
fi
dotnet bench/LoadGen/bin/Release/net10.0/CustomerGrains.LoadGen.dll --api "http://127.0.0.1:$port" --events "$events" \
  --customers "$customers" --batch "$batch" --concurrency "$concurrency" ${RATE:+--rate "$RATE"} --segments ${RANKINGS:+--rankings} ${CONSUMERS:+--consumers ${CONSUMERS/#1/both}} "${baseline[@]}"
after=$(rss)
cpu_after=$(cpu)
if [ -n "$tracer" ]; then kill -TERM "$tracer"; wait "$tracer" || true; fi
if [ -n "${GCDUMP:-}" ]; then
  command -v dotnet-gcdump >/dev/null || PATH="$PATH:$HOME/.dotnet/tools"
  command -v dotnet-gcdump >/dev/null || dotnet tool install -g dotnet-gcdump >/dev/null
  dotnet-gcdump collect -p "$servers" -o "$GCDUMP" >/dev/null && dotnet-gcdump report "$GCDUMP" | head -45 >"$GCDUMP.txt"
fi
servers_after=$(cpu "$servers")
ticks=$(getconf CLK_TCK)
if [ -n "${IDLE_WATCH:-}" ]; then
  echo "idle: seconds since the load, resident MiB, active customers, GC heap MiB"
  for t in $(seq 0 15 "$IDLE_WATCH"); do
    [ "$t" -gt 0 ] && sleep 15
    scrape=$(curl -sf "http://127.0.0.1:$port/metrics" || true)
    active=$(echo "$scrape" | awk '/^customergrains_customers_active[{ ]/ && !seen {print $NF; seen = 1}')
    heap=$(echo "$scrape" | awk '/^dotnet_gc_last_collection_heap_size_bytes[{ ]/ {sum += $NF} END {printf "%d", sum / 1048576}')
    echo "idle: $t s, $(rss) MiB, ${active:-?} active, ${heap:-?} MiB heap"
  done
fi
[ "$mode" = postgres ] || silos="1 (embedded)"
echo "engine CPU (silo + Api processes): $(( (cpu_after - cpu_before) / ticks )) s for $events events ≈ $(( (cpu_after - cpu_before) * 1000000 / ticks / events )) µs per event"
if [ "$mode" = postgres ]; then
  silo_us=$(( (servers_after - servers_before) * 1000000 / ticks / events ))
  echo "  of which the silos $silo_us µs per event, the client-mode Api $(( (cpu_after - cpu_before) * 1000000 / ticks / events - silo_us ))"
fi
echo "silos: $silos; their resident memory together: ${before} MiB before, ${after} MiB after (≈ $(( (after - before) * 1024 * 1024 / customers )) bytes per customer touched, at most $customers)"
