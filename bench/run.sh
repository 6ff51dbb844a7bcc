#!/usr/bin/env bash
# End-to-end load on the embedded host: a fresh Api on a temp SQLite file, five segments
# (two with time windows), N events over M customers through HTTP, then query latencies.
#   bench/run.sh [events=100000] [customers=10000] [batch=500] [concurrency=8]
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-100000}; customers=${2:-10000}; batch=${3:-500}; concurrency=${4:-8}
port=5181
data=$(mktemp -d)
dotnet build -c Release CustomerGrains.sln >/dev/null
CustomerGrains__DataPath="$data" Urls="http://127.0.0.1:$port" CustomerGrains__SiloPort=11311 CustomerGrains__GatewayPort=30311 \
  dotnet src/Api/bin/Release/net10.0/CustomerGrains.Api.dll >"$data/api.log" 2>&1 &
api=$!
trap 'kill $api 2>/dev/null; wait $api 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.5; done

key='Authorization: Bearer cg_dev_demo_key'
api_url="http://127.0.0.1:$port/v1/stores/demo"
while IFS='|' read -r id rule; do
  curl -sf -o /dev/null -X POST "$api_url/segments" -H "$key" -H 'Content-Type: application/json' -d "{\"id\":\"$id\",\"rule\":\"$rule\"}"
done <<'SEGMENTS'
buyers|orders >= 2
big|revenue > 300
browsers|count(visit, 30d) >= 3 and orders == 0
shoes|count(product_viewed where category == \"shoes\", 30d) >= 2
recent|count(visit, 7d) >= 1
SEGMENTS

dotnet bench/LoadGen/bin/Release/net10.0/CustomerGrains.LoadGen.dll "http://127.0.0.1:$port" cg_dev_demo_key demo "$events" "$customers" "$batch" "$concurrency"
echo "resident memory of the Api: $(( $(ps -o rss= -p $api) / 1024 )) MiB"

measure() { # name url: p50/p99 over 200 sequential requests, in ms
  for _ in $(seq 1 200); do curl -s -o /dev/null -w '%{time_total}\n' -H "$key" "$2"; done | sort -n |
    awk -v name="$1" '{ v[NR] = $1 * 1000 } END { printf "%-22s p50=%.1fms p99=%.1fms\n", name, v[int(NR*0.5)], v[int(NR*0.99)] }'
}
measure "count" "$api_url/segments/recent/count"
measure "member page of 1000" "$api_url/segments/recent/members?limit=1000"
measure "customer view" "$api_url/customers/c1"
