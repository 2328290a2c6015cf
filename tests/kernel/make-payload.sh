#!/usr/bin/env bash
# Builds a payload directory for ovs-vm.sh: the given programs under bin/, every shared library
# `ldd` lists for them under lib/ (the guest has no libc of its own), and run.sh.
#
# usage: tests/kernel/make-payload.sh OUT_DIR RUN_SH PROGRAM...
#   PROGRAM is a path or a name found in PATH (ip, ovs-dpctl, ping are the usual ones).
set -euo pipefail
out=${1:?usage: make-payload.sh OUT_DIR RUN_SH PROGRAM...}; run_sh=${2:?}; shift 2
rm -rf "$out" && mkdir -p "$out/bin" "$out/lib"
cp "$run_sh" "$out/run.sh"
for prog in "$@"; do
    path=$(command -v "$prog" || true)
    [ -n "$path" ] || { echo "make-payload: $prog not found" >&2; exit 1; }
    cp -L "$path" "$out/bin/"
    # "libx.so.1 => /path (0x...)" and "/lib64/ld-linux... (0x...)": keep the paths
    ldd "$path" 2>/dev/null | grep -o '/[^ ]*' | while read -r lib; do
        case "$lib" in */ld-linux*) continue ;; esac
        [ -f "$out/lib/$(basename "$lib")" ] || cp -L "$lib" "$out/lib/"
    done
done
