#!/usr/bin/env bash
# demo.sh: quick-start command 1. Installs what is missing (run+build
# packages), builds a Release kiosk in build/, and starts it on the bundled
# demo content: in a window when a display exists, otherwise headless, saving
# a screenshot every 5 seconds into demo-shots/. Runs until Ctrl-C.
#
#   bash scripts/demo.sh [--seconds N] [--headless]
#     --seconds N   stop after N seconds (default: run until Ctrl-C)
#     --headless    screenshots even when a display exists
set -euo pipefail

name=demo
# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

seconds=""
headless=0
while [ $# -gt 0 ]; do
    case "$1" in
    --seconds)
        [ $# -ge 2 ] || die "--seconds needs a number"
        seconds="$2"
        shift 2
        ;;
    --seconds=*)
        seconds="${1#*=}"
        shift
        ;;
    --headless)
        headless=1
        shift
        ;;
    -h | --help)
        sed -n '2,9s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
        exit 0
        ;;
    *) die "unknown argument '$1' (try --help)" ;;
    esac
done
if [ -n "$seconds" ] && ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
    die "--seconds wants a whole number of seconds, got '$seconds'"
fi

step "[1/4] system packages (run + build)"
bash scripts/deps.sh run build

step "[2/4] Release build in build/"
# ccache when installed; "" otherwise, so a tree configured with it still builds.
launcher=(-DCMAKE_C_COMPILER_LAUNCHER="$(command -v ccache || true)")
# A build/ made earlier with another generator would make cmake refuse.
if [ -f build/CMakeCache.txt ] &&
    ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' build/CMakeCache.txt; then
    rm -rf build/CMakeCache.txt build/CMakeFiles
fi
# Tests and benchmarks are the test command's business: the demo needs only
# the run+build packages.
mkdir -p build
if ! cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DHIROBA_TESTS=OFF -DHIROBA_BENCH=OFF -DHIROBA_SANITIZE=OFF -DHIROBA_FUZZ=OFF \
    "${launcher[@]}" >build/configure.log; then
    cat build/configure.log
    die "configuring build/ failed (see above)"
fi
cmake --build build

kiosk="$root/build/app/hiroba"
[ -x "$kiosk" ] || die "build finished but $kiosk is missing"

# ---------------------------------------------------------------------------
# DEMO CONTENT: the demo channel, built, signed and verified with hiroba-pack
# exactly as staff would (scripts/demo-pack.sh), then verified and activated by
# the kiosk from that published folder into its own data folder.
step "[3/4] publishing the demo channel (hiroba-pack build, sign, verify)"
bash "$root/scripts/demo-pack.sh" "$root/build"
demo_args=(--data "$root/build/demo/data" --channel demo --source "$root/build/demo/publish"
           --trust "$root/build/demo/keys/demo.pub")
# ---------------------------------------------------------------------------

export HIROBA_FONTS="${HIROBA_FONTS:-$root/fonts/fonts.ini}"
after=()
[ -z "$seconds" ] || after=(--after "$seconds")
how_long="until you press Ctrl-C"
[ -z "$seconds" ] || how_long="for $seconds seconds"

if [ "$headless" = 0 ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
    step "[4/4] starting the kiosk in a 1280x720 window, $how_long (or press Esc)"
    cmd=("$kiosk" --size 1280x720 "${demo_args[@]}" "${after[@]}")
    shots=""
else
    shots="$root/demo-shots"
    mkdir -p "$shots"
    rm -f "$shots"/*.png
    export SDL_VIDEODRIVER="${SDL_VIDEODRIVER:-offscreen}"
    export SDL_FRAMEBUFFER_ACCELERATION="${SDL_FRAMEBUFFER_ACCELERATION:-0}"
    why="no display"
    [ "$headless" = 0 ] || why="--headless"
    step "[4/4] $why: starting the kiosk headless, $how_long"
    printf 'Screenshots (1920x1080, one every 5 seconds) go to:\n  %s\n' "$shots"
    printf 'Open the PNGs there with any image viewer.\n'
    cmd=("$kiosk" --headless --size 1920x1080 --screenshot-dir "$shots" --screenshot-every 5
        "${demo_args[@]}" "${after[@]}")
fi

# Ctrl-C reaches the kiosk too (same process group); it shuts down cleanly and
# we still print where the pictures are.
trap 'interrupted=1' INT
interrupted=0
status=0
"${cmd[@]}" || status=$?
trap - INT

if [ -n "$shots" ]; then
    count=$(find "$shots" -maxdepth 1 -name '*.png' | wc -l)
    printf '%s screenshot(s) in %s\n' "$count" "$shots"
fi
if [ "$interrupted" = 1 ] || [ "$status" = 130 ]; then
    exit 0
fi
if [ "$status" != 0 ]; then
    [ -n "$shots" ] || printf 'No window? Try: bash scripts/demo.sh --headless\n' >&2
    die "the kiosk exited with status $status"
fi
