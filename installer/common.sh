# Shared by demo.sh and run-tests.sh: where the build lives and how it is configured.
# Sourced, not run.
MIDONET_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MIDONET_BUILD=${MIDONET_BUILD:-$MIDONET_SRC/build}
# ccache lives outside the clone so a fresh clone (CI) does not rebuild from nothing.
export CCACHE_DIR=${CCACHE_DIR:-/var/cache/midonet-ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
mkdir -p "$CCACHE_DIR" 2>/dev/null || export CCACHE_DIR=$HOME/.cache/midonet-ccache
# Paths under the clone are hashed relative to it, and the build directory is not hashed, so a
# clone in another place (CI) hits the cache that a developer's build filled.
export CCACHE_BASEDIR=$MIDONET_SRC
export CCACHE_NOHASHDIR=1

midonet_build() {
  local jobs=${MIDONET_JOBS:-$(nproc)}
  echo "==> configuring in $MIDONET_BUILD"
  mkdir -p "$MIDONET_BUILD"
  cmake -S "$MIDONET_SRC" -B "$MIDONET_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        "$@" >"$MIDONET_BUILD/configure.log" 2>&1 || { cat "$MIDONET_BUILD/configure.log"; return 1; }
  echo "==> building with $jobs jobs (ccache in $CCACHE_DIR)"
  cmake --build "$MIDONET_BUILD" -j "$jobs"
}
