#!/usr/bin/env bash
# Insights against the journal overview, for a journal of ten years: both pages of the same
# signed-in account on the same server, in the same run, with wrk (Debian package `wrk`).
# The insights page is opened again and again with nothing new, as a person comes back to it;
# the overview opens every entry on each visit. Prints a Markdown table for BENCHMARKS.md.
#
#   benches/load/insights.sh [connections=4] [seconds=10] [days=3650]
set -euo pipefail
cd "$(dirname "$0")/../.."
connections="${1:-4}"
seconds="${2:-10}"
days="${3:-3650}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

cargo build --release --quiet
data="$(mktemp -d)"
port=18182
base="http://127.0.0.1:$port"
demo="$(SPINEWISE_DATA_DIR="$data" target/release/spinewise demo --days "$days")"
password="$(awk '/Password:/ {print $2}' <<<"$demo")"
entries="$(grep -oE '[0-9]+ synthetic entries' <<<"$demo" | cut -d' ' -f1)"
SPINEWISE_DATA_DIR="$data" RUST_LOG=warn target/release/spinewise serve --bind "127.0.0.1:$port" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 50); do curl -sf "$base/api/v1/health" >/dev/null && break; sleep 0.1; done

# Sign in as a browser does: the form's CSRF token, then the form.
jar="$data/cookies"
csrf="$(curl -sf -c "$jar" -b "$jar" "$base/login" | grep -oE 'name="csrf" value="[^"]+"' | head -1 | cut -d'"' -f4)"
curl -sf -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf=$csrf" \
    --data-urlencode "login=demo" --data-urlencode "password=$password" "$base/login"
cookie="$(sed 's/^#HttpOnly_//' "$jar" | awk '!/^#/ && NF >= 7 {printf "%s%s=%s", sep, $6, $7; sep="; "}')"

run() { # name, path
    local out
    out="$(wrk -t1 -c"$connections" -d"${seconds}s" --latency -H "Cookie: $cookie" "$base$2")"
    local rps p50 errors
    rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
    p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
    errors="$(grep -E 'Non-2xx|Socket errors' <<<"$out" || true)"
    [ -z "$errors" ] || { echo "$1: $errors" >&2; exit 1; }
    printf '%s|%s|%s\n' "$1" "$rps" "$p50"
}

# Both pages answer for this account (a redirect to /login would mean the sign-in failed).
for path in /journal /journal/insights; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base$path")" = 200 ] \
        || { echo "$path did not answer 200: not signed in?" >&2; exit 1; }
done
# A, B, A, B: the two pages interleaved, so that a noisy neighbour slows both alike.
results=()
for _ in 1 2; do
    results+=("$(run "journal overview" /journal)")
    results+=("$(run "insights, again" /journal/insights)")
done
echo "| page | requests/s | p50 |"
echo "|---|---|---|"
for line in "${results[@]}"; do
    IFS='|' read -r name rps p50 <<<"$line"
    echo "| $name | $rps | $p50 |"
done
awk -v a="$(cut -d'|' -f2 <<<"${results[0]}")" -v b="$(cut -d'|' -f2 <<<"${results[1]}")" \
    -v c="$(cut -d'|' -f2 <<<"${results[2]}")" -v d="$(cut -d'|' -f2 <<<"${results[3]}")" \
    'BEGIN { printf "\ninsights (again) / overview, cost per visit: %.2f (target: at most 2)\n", ((a + c) / 2) / ((b + d) / 2) }'
echo "($entries entries over $days days, $connections connections, ${seconds}s each, wrk -t1, $(nproc) cores shared by wrk and the server)"
