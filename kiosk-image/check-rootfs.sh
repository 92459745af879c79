#!/usr/bin/env bash
# check-rootfs.sh: what can be checked of the kiosk image without a Pi. Builds
# a minimal Debian 12 root for this machine's architecture with mmdebstrap,
# installs the hiroba .deb into it with apt (so its Depends must resolve from
# the archive alone), and checks, inside that root:
#   systemd-analyze verify /lib/systemd/system/hiroba.service
#   the service is enabled (multi-user.target wants it) and did not start
#   the hiroba system user, in the video, render, input and audio groups
#   /etc/hiroba/hiroba.conf is there, a conffile, root:hiroba 0640 (staff_pin)
#   /var/lib/hiroba is owned by hiroba, mode 0750
#   hiroba --version and hiroba-pack --help run
#   the kiosk draws a frame as the hiroba user, headless, with the installed
#     fonts.ini and the fonts the package depends on (shot.png, kept in WORK)
#   dpkg -r hiroba: the data folder, the config and the user stay; the
#     binaries and the unit go
#   dpkg --purge hiroba: the data folder and the config go
# It is the package.rootfs CTest test (labels package, slow).
#
#   sudo kiosk-image/check-rootfs.sh --deb build/hiroba_0.1.0_amd64.deb
#     --deb FILE     the package (required; this machine's architecture)
#     --work DIR     where the root, the apt cache and shot.png go
#                    (default: a folder next to the .deb, check-rootfs/)
#     --mirror URL   a Debian mirror (default: the one this machine's apt uses)
#     --keep         keep the root file system afterwards (WORK/root)
# Needs root (mmdebstrap's root mode, chroot) and the Debian archive. Exit 77
# (skipped) when not root or mmdebstrap is missing; 1 when a check fails.
# The downloaded packages are kept in WORK/apt-cache, so a second run
# downloads only what changed.
set -euo pipefail

name=check-rootfs
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=kiosk-image/lib.sh
. "$here/lib.sh"

deb=""
work=""
keep=0
while [ $# -gt 0 ]; do
    case "$1" in
    --deb) deb="${2:?--deb needs a file}"; shift 2 ;;
    --work) work="${2:?--work needs a folder}"; shift 2 ;;
    --mirror) MIRROR="${2:?--mirror needs a URL}"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help)
        sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}"
        exit 0
        ;;
    *) die "unknown argument '$1' (see --help)" ;;
    esac
done
[ -n "$deb" ] || die "--deb FILE is required (see --help)"
[ -f "$deb" ] || die "no such package: $deb (build it: cd build && cpack -G DEB)"
deb="$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")"
work="${work:-$(dirname "$deb")/check-rootfs}"

if [ "$(id -u)" -ne 0 ]; then
    say "needs root (mmdebstrap's root mode and chroot): skipped"
    exit 77
fi
if ! command -v mmdebstrap >/dev/null; then
    say "mmdebstrap is not installed (apt-get install mmdebstrap): skipped"
    exit 77
fi
arch="$(deb_arch "$deb")"
[ "$arch" = "$(dpkg --print-architecture)" ] ||
    die "$deb is for $arch; this check runs the binaries, so it needs a $(dpkg --print-architecture) package"

root="$work/root"
cache="$work/apt-cache"
rm -rf "$root" "$work/shot.png" "$work/checks.sh"
mkdir -p "$work" "$cache"

# The checks, run inside the root by a customize hook (as root, /proc and
# /dev mounted by mmdebstrap). Each prints "ok: ..." or stops with "FAIL: ...".
cat >"$work/checks.sh" <<'CHECKS'
set -eu
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

out="$(systemd-analyze verify --man=no /lib/systemd/system/hiroba.service 2>&1)" ||
    fail "systemd-analyze verify: $out"
[ -z "$out" ] || fail "systemd-analyze verify had findings: $out"
ok "systemd-analyze verify /lib/systemd/system/hiroba.service"

[ "$(systemctl is-enabled hiroba.service 2>&1)" = enabled ] ||
    fail "hiroba.service is not enabled: $(systemctl is-enabled hiroba.service 2>&1)"
[ -L /etc/systemd/system/multi-user.target.wants/hiroba.service ] ||
    fail "multi-user.target does not want hiroba.service"
ok "hiroba.service enabled (multi-user.target.wants)"

entry="$(getent passwd hiroba)" || fail "no hiroba user"
uid="$(echo "$entry" | cut -d: -f3)"
[ "$uid" -lt 1000 ] || fail "hiroba is not a system user (uid $uid)"
[ "$(echo "$entry" | cut -d: -f6)" = /var/lib/hiroba ] || fail "home: $entry"
case "$(echo "$entry" | cut -d: -f7)" in
*/nologin | /bin/false) ;;
*) fail "hiroba can log in: $entry" ;;
esac
for g in video render input audio; do
    id -nG hiroba | tr ' ' '\n' | grep -x "$g" >/dev/null || fail "hiroba is not in $g: $(id -nG hiroba)"
done
ok "user: $entry; groups: $(id -nG hiroba)"

[ -f /etc/hiroba/hiroba.conf ] || fail "no /etc/hiroba/hiroba.conf"
dpkg-query -W -f='${Conffiles}\n' hiroba | grep -q '^ /etc/hiroba/hiroba.conf ' ||
    fail "/etc/hiroba/hiroba.conf is not a conffile"
ok "/etc/hiroba/hiroba.conf (conffile)"
# It may hold the staff PIN: root and the kiosk's group only (postinst).
[ "$(stat -c '%U:%G %a' /etc/hiroba/hiroba.conf)" = "root:hiroba 640" ] ||
    fail "/etc/hiroba/hiroba.conf: $(stat -c '%U:%G %a' /etc/hiroba/hiroba.conf)"
ok "/etc/hiroba/hiroba.conf root:hiroba 640"

[ "$(stat -c '%U:%G %a' /var/lib/hiroba)" = "hiroba:hiroba 750" ] ||
    fail "/var/lib/hiroba: $(stat -c '%U:%G %a' /var/lib/hiroba)"
ok "/var/lib/hiroba hiroba:hiroba 750"

v="$(hiroba --version)" || fail "hiroba --version failed"
ok "hiroba --version: $v"
hiroba-pack --help >/dev/null || fail "hiroba-pack --help failed"
ok "hiroba-pack --help"

# A frame, drawn as the service's user with what the package installed: the
# fonts.ini in /usr/share/hiroba and the fonts its Depends brought.
rm -f /tmp/shot.png
runuser -u hiroba -- env HOME=/var/lib/hiroba SDL_VIDEODRIVER=offscreen \
    SDL_FRAMEBUFFER_ACCELERATION=0 HIROBA_LOG=warn \
    hiroba --config /etc/hiroba/hiroba.conf --headless --size 960x540 --screen specimen \
    --clock 2026-11-24T10:00:00+09:00 --screenshot /tmp/shot.png --after 0.5 ||
    fail "hiroba could not draw a frame headless"
[ -s /tmp/shot.png ] || fail "no screenshot"
ok "a frame drawn as hiroba (/tmp/shot.png, $(stat -c %s /tmp/shot.png) bytes)"

# Removing keeps the data, the config and the user.
echo "kept across dpkg -r" >/var/lib/hiroba/marker
dpkg -r hiroba >/dev/null
[ ! -e /usr/bin/hiroba ] || fail "dpkg -r left /usr/bin/hiroba"
[ ! -e /lib/systemd/system/hiroba.service ] || fail "dpkg -r left the unit"
[ -f /var/lib/hiroba/marker ] || fail "dpkg -r removed the data folder"
[ "$(stat -c %U /var/lib/hiroba)" = hiroba ] || fail "dpkg -r changed the data folder's owner"
[ -f /etc/hiroba/hiroba.conf ] || fail "dpkg -r removed the config"
getent passwd hiroba >/dev/null || fail "dpkg -r removed the user"
ok "dpkg -r hiroba: /var/lib/hiroba, /etc/hiroba/hiroba.conf and the user stay"

# Purging removes the data and the config (the user stays, as policy advises).
dpkg --purge hiroba >/dev/null
[ ! -e /var/lib/hiroba ] || fail "dpkg --purge left /var/lib/hiroba"
[ ! -e /etc/hiroba ] || fail "dpkg --purge left /etc/hiroba"
ok "dpkg --purge hiroba: /var/lib/hiroba and /etc/hiroba gone"
CHECKS

start=$SECONDS
say "building a Debian 12 $arch root in $root with $(basename "$deb") (mmdebstrap)"
mapfile -t sources < <(debian_sources main)
say "from: ${sources[*]}"
# minbase: Essential and apt only; systemd for systemd-analyze and systemctl,
# udev so its postinst and hiroba's agree on the render and input groups.
# The package comes in through apt, like any other, so that its Depends are
# resolved from the archive (file-mirror-automount makes the .deb visible
# inside). The apt cache is synced in and out so reruns download little.
# For speed (this is a test, not an image): dpkg runs under eatmydata (no
# fsync), and manuals, translations and documentation other than the
# copyright files are not unpacked.
set +e
# The hooks are in single quotes on purpose: "$1" (the root) is mmdebstrap's.
# shellcheck disable=SC2016
mmdebstrap --variant=minbase --mode=root --architectures="$arch" \
    --include=systemd,udev \
    --include="$deb" \
    --hook-dir=/usr/share/mmdebstrap/hooks/file-mirror-automount \
    --hook-dir=/usr/share/mmdebstrap/hooks/eatmydata \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --skip=essential/unlink \
    --setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
    --setup-hook="sync-in $cache /var/cache/apt/archives/" \
    --customize-hook="sync-out /var/cache/apt/archives $cache" \
    --customize-hook="upload $work/checks.sh /tmp/checks.sh" \
    --customize-hook='chroot "$1" sh /tmp/checks.sh' \
    --customize-hook="download /tmp/shot.png $work/shot.png" \
    bookworm "$root" "${sources[@]}" >"$work/mmdebstrap.log" 2>&1
rc=$?
set -e
# The checks' lines, whatever happened; the whole log only on failure.
grep -E '^(ok|FAIL): ' "$work/mmdebstrap.log" || true
if [ "$rc" -ne 0 ]; then
    tail -n 40 "$work/mmdebstrap.log" >&2
    die "failed after $((SECONDS - start)) s (log: $work/mmdebstrap.log; root: $root)"
fi
size="$(du -sm "$root" | cut -f1)"
if [ "$keep" -eq 0 ]; then
    rm -rf "$root"
fi
say "all checks passed in $((SECONDS - start)) s (root file system: $size MB; a frame: $work/shot.png)"
