#!/usr/bin/env bash
# bench.sh: builds a Release tree in build-bench/ and runs every benchmark in
# build-bench/tests/bench/, then the Python ones in tests/bench/ (signage
# against Chromium, sync, alert latency, start-up and memory over an hour of
# the demo loop), printing their figures. Benchmarks are not timed tests: the
# test command builds them but never runs them, because figures from a loaded
# CI machine (or a sanitizer build) mean nothing.
#
#   bash scripts/bench.sh [--seconds N] [ARG...]
#     --seconds N   seconds the signage benchmark measures each program (60)
#     ARGs are passed to every benchmark executable
set -euo pipefail

name=bench
# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

case "${1:-}" in
-h | --help)
    sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
    exit 0
    ;;
esac
seconds=60
args=()
while [ $# -gt 0 ]; do
    case "$1" in
    --seconds)
        [ $# -ge 2 ] || die "--seconds needs a number"
        seconds="$2"
        shift 2
        ;;
    --seconds=*)
        seconds="${1#--seconds=}"
        shift
        ;;
    *)
        args+=("$1")
        shift
        ;;
    esac
done

step "system packages (the peers: Pango and SDL_ttf with the test group, Chromium in bench)"
bash scripts/deps.sh all bench

step "Release build in build-bench/"
# ccache when installed; "" otherwise, so a tree configured with it still builds.
launcher=(-DCMAKE_C_COMPILER_LAUNCHER="$(command -v ccache || true)")
if [ -f build-bench/CMakeCache.txt ] &&
    ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' build-bench/CMakeCache.txt; then
    rm -rf build-bench/CMakeCache.txt build-bench/CMakeFiles
fi
mkdir -p build-bench
if ! cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DHIROBA_TESTS=ON -DHIROBA_BENCH=ON -DHIROBA_SANITIZE=OFF -DHIROBA_FUZZ=OFF \
    "${launcher[@]}" >build-bench/configure.log; then
    cat build-bench/configure.log
    die "configuring build-bench/ failed (see above)"
fi
cmake --build build-bench

mapfile -t benches < <(find build-bench/tests/bench -maxdepth 1 -type f -perm -u+x | LC_ALL=C sort)
[ ${#benches[@]} -gt 0 ] || die "no benchmark executables in build-bench/tests/bench/"

# The same environment the tests get: the source tree's fonts and corpus, no display.
export HIROBA_SOURCE_DIR="$root"
export HIROBA_FONTS="${HIROBA_FONTS:-$root/fonts/fonts.ini}"
export SDL_VIDEODRIVER="${SDL_VIDEODRIVER:-offscreen}"
export SDL_FRAMEBUFFER_ACCELERATION="${SDL_FRAMEBUFFER_ACCELERATION:-0}"

cpu="$(LC_ALL=C lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | sed -n 1p || true)"
step "machine: ${cpu:-unknown CPU}, $(nproc) cores; $(uname -sr)"
status=0
for b in "${benches[@]}"; do
    step "${b#build-bench/}"
    "$b" "${args[@]}" || {
        status=$?
        printf 'bench: %s exited with status %d\n' "$b" "$status" >&2
    }
done
step "tests/bench/bench_signage.py (hiroba and Chromium, $seconds s each)"
python3 tests/bench/bench_signage.py --build build-bench --seconds "$seconds" || {
    status=$?
    printf 'bench: bench_signage.py exited with status %d\n' "$status" >&2
}
# Sync over loopback HTTP: bytes on the wire and a fleet on one nginx (its own options).
step "tests/bench/bench_sync.py (sync: bytes on the wire, 300 kiosks on one nginx)"
python3 tests/bench/bench_sync.py build-bench/app/hiroba build-bench/app/hiroba-pack || {
    status=$?
    printf 'bench: bench_sync.py exited with status %d\n' "$status" >&2
}
# Emergency alerts: publish -> first frame showing it, 20 runs at the default
# 5 s poll and at 1 s (real nginx, real kiosk headless).
step "tests/bench/bench_alert_latency.py (alerts: publish to first frame, 20 runs, poll 5 s and 1 s)"
python3 tests/bench/bench_alert_latency.py build-bench/app/hiroba build-bench/app/hiroba-pack || {
    status=$?
    printf 'bench: bench_alert_latency.py exited with status %d\n' "$status" >&2
}
# The appliance: exec to READY=1 (first frame of content) and memory over an
# hour of the demo loop in fast-forward (its own options: --runs, --minutes, --speed).
step "tests/bench/bench_startup.py (start-up to READY=1; memory over an hour of the demo loop, x20)"
python3 tests/bench/bench_startup.py --build build-bench || {
    status=$?
    printf 'bench: bench_startup.py exited with status %d\n' "$status" >&2
}
exit "$status"
