# Shared by the e2e scripts (cloud/cloud.sh, gateway/gateway.sh, l2gw/l2gw.sh): reporting, polling,
# the REST API and namespaces. Sourced, not run. The caller sets, before calling these:
#   work        its temporary directory (api() keeps the last response's body/headers there)
#   API         the REST API's base URL (http://127.0.0.1:PORT/midonet-api)
#   want_cases  the cases asked for on the command line (empty: all)
#   failures    the count fail() increments
# Output contract (read by tests/e2e/scenario_script.h): "CASE <name> PASS|FAIL <details>" and
# "BENCH ..." on stdout, the log on stderr.

log() { printf '%s\n' "$*" >&2; }

case_enabled() {
  [ ${#want_cases[@]} -eq 0 ] && return 0
  local c; for c in "${want_cases[@]}"; do [ "$c" = "$1" ] && return 0; done; return 1
}
pass() { echo "CASE $1 PASS ${2:-}"; }
fail() { echo "CASE $1 FAIL ${2:-}"; failures=$((failures + 1)); }

# wait_for SECONDS CMD...: polls CMD every 0.1 s until it succeeds; never a fixed sleep.
wait_for() {
  local deadline=$(( $(date +%s%N) + $1 * 1000000000 )); shift
  while ! "$@" >/dev/null 2>&1; do
    [ "$(date +%s%N)" -ge "$deadline" ] && return 1
    sleep 0.1
  done
}

# api METHOD PATH [JSON] -> body on stdout; Location in $work/location; fails on >= 300.
api() {
  local method=$1 path=$2 body=${3:-}
  local out; out=$(curl -sS -o "$work/body" -D "$work/headers" -w '%{http_code}' -X "$method" \
      -H 'Content-Type: application/json' -H 'Accept: application/json' \
      ${body:+--data "$body"} "$API$path") || return 1
  sed -n 's/^[Ll]ocation: *\(.*\)\r$/\1/p' "$work/headers" > "$work/location"
  cat "$work/body"
  if [ "$out" -ge 300 ]; then log "API $method $path -> $out: $(cat "$work/body")"; return 1; fi
}
created_id() { sed 's#.*/##' "$work/location"; }
create() { api POST "$1" "$2" >/dev/null && created_id; }

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
