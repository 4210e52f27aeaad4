#!/usr/bin/env bash
# Load benchmark: POST /api/v1/recommend against the trivial GET /api/v1/health of the same
# server, in the same run, with wrk (Debian package `wrk`). Prints a Markdown table for
# BENCHMARKS.md with requests/s, p50 and p99 latency for both, their throughput ratio, and the
# server's peak resident memory (VmHWM) over the whole run.
#
#   benches/load/run.sh [connections=64] [seconds=20] [rounds=3]
#
# The two endpoints take turns, `rounds` times each (A/B interleaved), so that the machine's
# drift over the run falls on both alike; the ratio is of their mean throughputs.
#   PLAN_CACHE=0 benches/load/run.sh      # every recommendation computed afresh
set -euo pipefail
cd "$(dirname "$0")/../.."
connections="${1:-64}"
seconds="${2:-20}"
rounds="${3:-3}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

cargo build --release --quiet
data="$(mktemp -d)"
port=18181
cache="${PLAN_CACHE:-4096}"
SPINEWISE_DATA_DIR="$data" RUST_LOG=warn target/release/spinewise serve --bind "127.0.0.1:$port" --plan-cache "$cache" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.1; done

run() { # name, url, [script]
    local out
    if [ -n "${3:-}" ]; then
        out="$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$3" "$2")"
    else
        out="$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "$2")"
    fi
    local rps p50 p99 errors
    rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
    p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
    p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
    errors="$(grep -E 'Non-2xx|Socket errors' <<<"$out" || true)"
    [ -z "$errors" ] || { echo "$1: $errors" >&2; exit 1; }
    printf '%s %s %s %s\n' "$1" "$rps" "$p50" "$p99"
}

# Warm up, then measure both in the same run, taking turns.
wrk -t2 -c"$connections" -d3s -s benches/load/recommend.lua "http://127.0.0.1:$port" >/dev/null
echo "| round | endpoint | requests/s | p50 | p99 |"
echo "|---|---|---|---|---|"
t_sum=0
r_sum=0
for round in $(seq "$rounds"); do
    trivial="$(run "GET /api/v1/health" "http://127.0.0.1:$port/api/v1/health")"
    recommend="$(run "POST /api/v1/recommend" "http://127.0.0.1:$port" benches/load/recommend.lua)"
    for line in "$trivial" "$recommend"; do
        read -r -a f <<<"$line"
        n=${#f[@]}
        name="${f[*]:0:n-3}"
        echo "| $round | \`$name\` | ${f[n-3]} | ${f[n-2]} | ${f[n-1]} |"
    done
    t_sum="$(awk -v a="$t_sum" -v b="$(awk '{print $(NF-2)}' <<<"$trivial")" 'BEGIN { print a + b }')"
    r_sum="$(awk -v a="$r_sum" -v b="$(awk '{print $(NF-2)}' <<<"$recommend")" 'BEGIN { print a + b }')"
done
awk -v r="$r_sum" -v t="$t_sum" -v n="$rounds" 'BEGIN { printf "\nmean requests/s: trivial %.0f, recommend %.0f; recommend / trivial throughput: %.2f (target: at least 0.50)\n", t / n, r / n, r / t }'
echo "($connections connections, ${seconds}s each, $rounds rounds, wrk -t2, $(nproc) cores shared by wrk and the server, plan cache $cache)"
peak="$(awk '/^VmHWM:/ {printf "%.0f", $2 / 1024}' "/proc/$server/status")"
echo "server peak resident memory: ${peak} MiB"
