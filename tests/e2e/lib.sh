# Shared by the e2e scripts (cloud/cloud.sh, gateway/gateway.sh, l2gw/l2gw.sh): reporting, polling,
# the REST API, namespaces and teardown. Sourced, not run. The caller sets, before calling these:
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

# Teardown, shared by the three scripts. The caller also sets P (the prefix of every namespace and
# root-side link it makes), BR (its underlay bridge) and pids (the processes it started); a script
# with more to stop (FRR, the switch VM) does that first and then calls e2e_cleanup.
#
# cleanup_stale: removes every namespace and root-side link named "$P-*" and the bridge $BR — also
# what an earlier run left behind (a namespace outlives its run while a process is still inside).
cleanup_stale() {
  for ns in $(ip netns list | awk '{print $1}' | grep "^${P}-"); do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
    ip netns del "$ns"
  done
  for l in $(ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | grep "^${P}-"); do
    ip link del "$l" 2>/dev/null
  done
  ip link del "$BR" 2>/dev/null || true
}
# e2e_cleanup [GRACE_SECONDS]: SIGTERM to what runs in our namespaces (`ip netns exec` forks, so
# the pids we hold are not all of it) and to our pids, SIGKILL after the grace (0.3 s), then
# cleanup_stale; $work is kept when KEEP_E2E is set.
e2e_cleanup() {
  for ns in $(ip netns list | awk '{print $1}' | grep "^${P}-"); do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
  done
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  sleep "${1:-0.3}"
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  cleanup_stale 2>/dev/null
  [ -n "${KEEP_E2E:-}" ] || rm -rf "$work"
}
