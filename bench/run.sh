#!/usr/bin/env bash
# End-to-end load through HTTP: 20 segments (8 on time windows), N events over M customers with
# power-law activity, query and visibility probes during the load.
#   bench/run.sh sqlite   [events=100000] [customers=10000] [batch=500] [concurrency=8]
#   bench/run.sh postgres [events] [customers] [batch] [concurrency]   (one silo + client-mode Api,
#                          plus the same events COPYed straight into PostgreSQL as the baseline)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-sqlite}; events=${2:-100000}; customers=${3:-10000}; batch=${4:-500}; concurrency=${5:-8}
port=5181
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  [ "$mode" = postgres ] && scripts/postgres.sh stop 55440 >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
dotnet build -c Release CustomerGrains.sln >/dev/null
bin() { echo "src/$1/bin/Release/net10.0/CustomerGrains.$1.dll"; }

baseline=()
if [ "$mode" = postgres ]; then
  pg=$(scripts/postgres.sh start 55440)
  CustomerGrains__PostgreSql="$pg" CustomerGrains__SiloPort=11511 CustomerGrains__GatewayPort=30511 Urls=http://127.0.0.1:5191 \
    dotnet "$(bin Silo)" >"$work/silo.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do curl -sf http://127.0.0.1:5191/health/live >/dev/null && break; sleep 0.5; done
  CustomerGrains__Mode=Client CustomerGrains__PostgreSql="$pg" Urls="http://127.0.0.1:$port" \
    dotnet "$(bin Api)" >"$work/api.log" 2>&1 &
  pids+=($!)
  baseline=(--copy-baseline "$pg")
  server=${pids[0]}
else
  CustomerGrains__DataPath="$work" Urls="http://127.0.0.1:$port" CustomerGrains__SiloPort=11311 CustomerGrains__GatewayPort=30311 \
    dotnet "$(bin Api)" >"$work/api.log" 2>&1 &
  pids+=($!)
  server=${pids[0]}
fi
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.5; done

rss() { echo $(( $(ps -o rss= -p "$server") / 1024 )); }
# CPU seconds used by the engine's processes (utime + stime), a figure that other load on the machine disturbs less than wall time.
cpu() { local total=0; for pid in "${pids[@]}"; do total=$(( total + $(awk '{print $14 + $15}' "/proc/$pid/stat") )); done; echo "$total"; }
before=$(rss)
cpu_before=$(cpu)
dotnet bench/LoadGen/bin/Release/net10.0/CustomerGrains.LoadGen.dll --api "http://127.0.0.1:$port" --events "$events" \
  --customers "$customers" --batch "$batch" --concurrency "$concurrency" --segments "${baseline[@]}"
after=$(rss)
cpu_after=$(cpu)
ticks=$(getconf CLK_TCK)
echo "engine CPU (silo + Api processes): $(( (cpu_after - cpu_before) / ticks )) s for $events events ≈ $(( (cpu_after - cpu_before) * 1000000 / ticks / events )) µs per event"
echo "silo process resident memory: ${before} MiB before, ${after} MiB after (≈ $(( (after - before) * 1024 * 1024 / customers )) bytes per customer touched, at most $customers)"
