#!/usr/bin/env bash
# demo.sh: quick-start command 1. Installs what is missing (run+build
# packages), builds a Release kiosk in build/, starts the demo's city server
# (scripts/demo-server.py: nginx on a free loopback port, and a feed changer
# that moves the queue numbers every 4 s), publishes the demo channel to it
# and starts the touch kiosk following it over HTTP. With a display: in a
# window until Ctrl-C. Without one: headless, a screenshot of every screen in
# every language into demo-shots/, then the queue board live (two shots 10 s
# apart, and one after the server is stopped). Stops the server on exit.
#
#   bash scripts/demo.sh [--seconds N] [--headless]
#     --seconds N   window: stop after N seconds (default: run until Ctrl-C)
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
        sed -n '2,13s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
        exit 0
        ;;
    *) die "unknown argument '$1' (try --help)" ;;
    esac
done
if [ -n "$seconds" ] && ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
    die "--seconds wants a whole number of seconds, got '$seconds'"
fi
if [ "$headless" = 0 ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
    window=1
else
    window=0
fi

step "[1/5] system packages (run + build)"
bash scripts/deps.sh run build

step "[2/5] Release build in build/"
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
export HIROBA_FONTS="${HIROBA_FONTS:-$root/fonts/fonts.ini}"

# ---------------------------------------------------------------------------
# THE CITY'S SIDE: nginx on 127.0.0.1 (a free port) serving the published
# channel at /hiroba/ and the live feeds at /feeds/, and the feed changer.
# Its standard input is a pipe this script holds: if the script dies in any
# way, the server sees end of file and stops nginx. Stopped on every exit.
step "[3/5] the demo's city server: nginx on a loopback port, and the feed changer"
demo="$root/build/demo"
mkdir -p "$demo/publish" "$demo/feeds" "$demo/server" "$demo/logs"
rm -f "$demo/server/url"
server_pid=""
kiosk_pid=""
stop_server() {
    [ -n "$server_pid" ] || return 0
    if [ -n "${server_in:-}" ]; then
        exec {server_in}>&- || true
        server_in=""
    fi
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    server_pid=""
}
cleanup() {
    if [ -n "$kiosk_pid" ]; then
        kill -TERM "$kiosk_pid" 2>/dev/null || true
        wait "$kiosk_pid" 2>/dev/null || true
    fi
    stop_server
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# Ctrl-C reaches the kiosk and the server too (one process group). A kiosk
# that shuts down cleanly on it exits 0, and then bash does not run the INT
# trap (it assumes the child handled the signal); the server stopping is how
# we notice. Also catches a server that died on its own.
server_gone() {
    [ -n "$server_pid" ] && ! kill -0 "$server_pid" 2>/dev/null
}
stop_if_interrupted() {
    if server_gone; then
        printf 'demo: the demo server has stopped (Ctrl-C?); stopping too\n' >&2
        exit 130
    fi
}
exec {server_in}> >(exec python3 "$root/scripts/demo-server.py" --publish "$demo/publish" \
    --feeds "$demo/feeds" --state "$demo/server" --ready-file "$demo/server/url" --watch-stdin)
server_pid=$!
for _ in $(seq 1 150); do
    [ ! -s "$demo/server/url" ] || break
    kill -0 "$server_pid" 2>/dev/null || die "the demo server did not start (see above)"
    sleep 0.1
done
[ -s "$demo/server/url" ] || die "the demo server did not start within 15 s"
base="$(cat "$demo/server/url")"

# ---------------------------------------------------------------------------
# DEMO CONTENT: the demo channel, built, signed and verified with hiroba-pack
# exactly as staff would (scripts/demo-pack.sh), published into the folder the
# server serves, with its feed URLs on this server's port. The kiosk follows
# it over HTTP like a kiosk in a community centre follows the city's server.
step "[4/5] publishing the demo channel to $base/hiroba/ (hiroba-pack build, sign, verify)"
bash "$root/scripts/demo-pack.sh" "$root/build" "$base/feeds"

# A short "may be out of date" threshold, so the headless run (and you, after
# stopping the server) sees the badge within half a minute, not two minutes.
conf="$demo/hiroba.conf"
cat >"$conf" <<EOF
; Written by scripts/demo.sh for the demo kiosk; see README "Configuring".
[kiosk]
queue_stale = 20
vacancy_stale = 300
poll_interval = 15
; Emergency drills are shown (bash scripts/demo-alert.sh drill|real|cancel).
drills = yes
EOF
demo_args=(--config "$conf" --data "$demo/data" --channel demo --source "$base/hiroba"
    --trust "$demo/keys/demo.pub")
# The touch kiosk: home menu, language button, idle return.
if "$kiosk" --help 2>/dev/null | grep -q -- '--touch'; then
    demo_args+=(--touch)
else
    printf 'note: this kiosk has no --touch yet; showing the signage loop\n'
fi
# The pack first: fetched from the server, verified and activated, as a kiosk
# does at its first poll, so the kiosk below starts on this version (and its
# feed URLs on this port) from the first frame.
sync_line="$("$kiosk" --sync-once "${demo_args[@]}" 2>"$demo/logs/sync-once.log")" ||
    { cat "$demo/logs/sync-once.log" >&2; die "the kiosk could not fetch the demo channel: $sync_line"; }
stop_if_interrupted
printf 'the kiosk fetched the channel from %s/hiroba/: %s\n' "$base" "$sync_line"
# ---------------------------------------------------------------------------

if [ "$window" = 1 ]; then
    how_long="until you press Ctrl-C (or Esc)"
    after=()
    if [ -n "$seconds" ]; then
        how_long="for $seconds seconds"
        after=(--after "$seconds")
    fi
    step "[5/5] starting the touch kiosk in a 1280x720 window, $how_long"
    printf 'The queue board changes every few seconds. To see an outage, stop the\n'
    printf 'server (the boards keep the last numbers, with their age):\n'
    printf '  kill %s\n' "$(cat "$demo/server/demo-server.pid" 2>/dev/null || echo "$server_pid")"
    printf 'To raise an emergency drill or a real alert, and to cancel it (in another terminal;\n'
    printf 'on screen within about 5 s):\n'
    printf '  bash scripts/demo-alert.sh drill\n  bash scripts/demo-alert.sh real\n'
    printf '  bash scripts/demo-alert.sh cancel\n'
    status=0
    "$kiosk" --size 1280x720 "${demo_args[@]}" "${after[@]}" || status=$?
    if [ "$status" != 0 ] && [ "$status" != 130 ]; then
        printf 'No window? Try: bash scripts/demo.sh --headless\n' >&2
        die "the kiosk exited with status $status"
    fi
    exit 0
fi

# ---------------------------------------------------------------------------
# HEADLESS: what a new user would tap through, as pictures.
export SDL_VIDEODRIVER="${SDL_VIDEODRIVER:-offscreen}"
export SDL_FRAMEBUFFER_ACCELERATION="${SDL_FRAMEBUFFER_ACCELERATION:-0}"
shots="$root/demo-shots"
mkdir -p "$shots"
rm -f "$shots"/*.png
why="no display"
[ "$headless" = 0 ] || why="--headless"
step "[5/5] $why: screenshots (1920x1080) into $shots"
[ -z "$seconds" ] || printf 'note: --seconds is for the window; the headless run ends by itself\n'

# The numbers the live kiosk had on screen at its shot N: the "updated" time
# of the last queue document its log says it took before writing the shot,
# looked up in the server's history of what it wrote.
shown_queue() { # N
    python3 - "$demo/logs/live.log" "$demo/server/queue-history.jsonl" "$1" <<'EOF'
import json, re, sys
log, history, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
shot = f"shot-{n:04d}.png"
updated = None
for line in open(log, encoding="utf-8", errors="replace"):
    m = re.search(r"feeds: queue(?: updated|: cached copy loaded): .*updated (\S+)", line)
    if m:
        updated = m.group(1)
    if "wrote" in line and line.rstrip().endswith(shot):
        break
docs = {}
for line in open(history, encoding="utf-8"):
    doc = json.loads(line)
    docs[doc["updated"]] = doc["counters"]
if updated not in docs:
    print(f"(the log does not say which feed shot {n} showed)")
    sys.exit()
out = []
for c in docs[updated]:
    if not c["open"]:
        out.append(f'{c["id"]} closed')
    else:
        out.append(f'{c["id"]} {c.get("serving", "-")} ({c.get("waiting", "-")} waiting)')
print(f"feed of {updated[11:19]}: " + ", ".join(out))
EOF
}

# Every screen in every language. A screen this kiosk does not know (yet) is
# skipped with a note rather than failing the demo.
shot() { # screen lang file [extra args...]
    local screen="$1" lang="$2" file="$3"
    shift 3
    "$kiosk" --headless --size 1920x1080 "${demo_args[@]}" --screen "$screen" --lang "$lang" \
        --screenshot "$file" --after 1.5 "$@" 2>"$demo/logs/$screen-$lang.log"
}
skipped=()
taken=0
for screen in home signage queue vacancy childcare; do
    for lang in ja en zh ko ja-easy; do
        status=0
        shot "$screen" "$lang" "$shots/$screen-$lang.png" || status=$?
        stop_if_interrupted
        if [ "$status" = 2 ]; then
            skipped+=("$screen")
            printf 'note: skipped --screen %s: %s\n' "$screen" \
                "$(head -n 1 "$demo/logs/$screen-$lang.log")"
            break
        fi
        if [ "$status" != 0 ]; then
            cat "$demo/logs/$screen-$lang.log" >&2
            die "the kiosk failed on --screen $screen --lang $lang (status $status)"
        fi
        taken=$((taken + 1))
    done
    [[ " ${skipped[*]-} " == *" $screen "* ]] || printf '  %-9s ja en zh ko ja-easy\n' "$screen"
done

# Live: one kiosk on the queue board, a screenshot every 5 s. Two shots 10 s
# apart while the feed changes, then the server (feed changer and nginx) is
# stopped, as if the queue system's network were unplugged: the board keeps
# the last numbers with their time, and after queue_stale (20 s here) says
# they may be out of date.
if [[ " ${skipped[*]-} " == *" queue "* ]]; then
    printf 'note: no queue board in this kiosk yet: the live check is skipped\n'
else
    live="$demo/live"
    rm -rf "$live"
    mkdir -p "$live"
    printf 'live: the queue board for 40 s; the feed changes every 4 s, the kiosk polls every 5 s\n'
    "$kiosk" --headless --size 1920x1080 "${demo_args[@]}" --screen queue --lang ja \
        --screenshot-dir "$live" --screenshot-every 5 --after 41 2>"$demo/logs/live.log" &
    kiosk_pid=$!
    wait_shot() { # n: waits for shot n (and a moment for the write to end)
        local f
        f="$(printf '%s/shot-%04d.png' "$live" "$1")"
        for _ in $(seq 1 300); do
            [ ! -s "$f" ] || { sleep 0.3; return 0; }
            kill -0 "$kiosk_pid" 2>/dev/null || break
            sleep 0.1
        done
        [ -s "$f" ] || { cat "$demo/logs/live.log" >&2; die "the live kiosk wrote no $f"; }
    }
    wait_shot 2
    cp "$live/shot-0002.png" "$shots/live-1-queue.png"
    wait_shot 4
    cp "$live/shot-0004.png" "$shots/live-2-queue-10s-later.png"
    stop_if_interrupted
    first="$(shown_queue 2)"
    second="$(shown_queue 4)"
    printf '  live-1-queue.png:            %s\n' "$first"
    printf '  live-2-queue-10s-later.png:  %s\n' "$second"
    if [ "${first#*: }" != "${second#*: }" ] && ! cmp -s "$shots/live-1-queue.png" \
        "$shots/live-2-queue-10s-later.png"; then
        printf '  the numbers changed on screen within 10 s\n'
    else
        printf '  warning: the two queue screenshots show the same numbers\n' >&2
    fi
    stop_server
    printf '  server stopped (feed changer and nginx) at %s; waiting for the board to age\n' \
        "$(TZ=Asia/Tokyo date +%H:%M:%S)"
    wait "$kiosk_pid" || { cat "$demo/logs/live.log" >&2; die "the live kiosk failed"; }
    kiosk_pid=""
    last="$(find "$live" -name 'shot-*.png' | sort | tail -n 1)"
    cp "$last" "$shots/live-3-queue-server-stopped.png"
    age=$(($(stat -c %Y "$last") - $(stat -c %Y "$demo/feeds/queue.json")))
    n_last="$(basename "$last" .png)"
    printf '  live-3-queue-server-stopped.png:  %s\n' "$(shown_queue "$((10#${n_last#shot-}))")"
    printf '  the last numbers, %s s old: marked "may be out of date"\n' "$age"
    [ "$age" -gt 20 ] || printf '  warning: only %s s old: no badge yet\n' "$age" >&2
    if grep -Ei 'refus|reject' "$demo/logs/live.log" | grep -qi 'queue'; then
        printf '  warning: the kiosk refused a queue feed (see %s)\n' "$demo/logs/live.log" >&2
    fi
    # What conditional requests saved: 304s carry no body.
    python3 - "$demo/server/access.log" <<'EOF'
import collections, sys
seen = collections.Counter()
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    parts = line.split(" ")
    if len(parts) >= 3 and parts[1].startswith("/feeds/"):
        seen[(parts[1].rsplit("/", 1)[-1], parts[2])] += 1
for feed in ("queue.json", "vacancy.json"):
    codes = {c: n for (f, c), n in seen.items() if f == feed}
    if codes:
        print(f"  {feed}: " + ", ".join(f"{n} x {c}" for c, n in sorted(codes.items()))
              + "  (304: unchanged since the kiosk's last poll, no body sent)")
EOF
fi
stop_server

count=$(find "$shots" -maxdepth 1 -name '*.png' | wc -l)
printf '%s screenshot(s) in %s (logs in %s)\n' "$count" "$shots" "$demo/logs"
printf 'Open the PNGs there with any image viewer.\n'
