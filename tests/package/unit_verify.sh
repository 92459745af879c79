#!/usr/bin/env bash
# unit_verify.sh BUILD_DIR WORK_DIR: checks kiosk-image/hiroba.service as the
# package installs it. `cmake --install` puts the build's install rules
# (binaries, data, the unit, the config) into WORK_DIR as a staging root,
# with the host's systemd units beside it (the targets the unit is ordered
# against), then, inside that root:
#   systemd-analyze verify   syntax, ordering, that ExecStart= is executable
#   systemd-analyze security the sandbox's exposure score stays at most
#                            HIROBA_UNIT_MAX_EXPOSURE (default 1.5 out of 10:
#                            dropping one of the sandboxing lines fails this)
# Exit 77 (skipped) when systemd-analyze is missing.
set -euo pipefail

build="${1:?usage: unit_verify.sh BUILD_DIR WORK_DIR}"
work="${2:?usage: unit_verify.sh BUILD_DIR WORK_DIR}"
max="${HIROBA_UNIT_MAX_EXPOSURE:-1.5}"

if ! command -v systemd-analyze >/dev/null; then
    echo "unit_verify: systemd-analyze not installed (apt-get install systemd): skipped"
    exit 77
fi

rm -rf "$work"
mkdir -p "$work/lib/systemd/system" "$work/etc"
# The prefix the package uses, whatever this tree was configured with.
DESTDIR="$work" cmake --install "$build" --prefix /usr >"$work.install.log"
unit="$work/lib/systemd/system/hiroba.service"
[ -f "$unit" ] || {
    echo "unit_verify: the install rules did not install $unit" >&2
    exit 1
}
for f in /usr/bin/hiroba /usr/bin/hiroba-pack /etc/hiroba/hiroba.conf \
    /usr/share/hiroba/fonts/fonts.ini; do
    [ -e "$work$f" ] || {
        echo "unit_verify: $f is not installed" >&2
        exit 1
    }
done
# The units hiroba.service names (multi-user.target, getty@.service...),
# without overwriting ours.
for u in /lib/systemd/system/*; do
    [ -e "$work/lib/systemd/system/${u##*/}" ] || cp -a "$u" "$work/lib/systemd/system/"
done

echo "unit_verify: systemd-analyze verify --root=$work /lib/systemd/system/hiroba.service"
# verify prints nothing when all is well; any line is a finding.
out="$(cd "$work" && systemd-analyze verify --root="$work" --man=no \
    /lib/systemd/system/hiroba.service 2>&1)" || {
    printf '%s\n' "$out" >&2
    echo "unit_verify: systemd-analyze verify failed" >&2
    exit 1
}
if [ -n "$out" ]; then
    printf '%s\n' "$out" >&2
    echo "unit_verify: systemd-analyze verify had findings" >&2
    exit 1
fi

# --threshold counts in tenths (1.5 -> 15).
threshold="$(awk -v m="$max" 'BEGIN { printf "%d", m * 10 + 0.5 }')"
report="$(systemd-analyze security --offline=yes --root="$work" \
    --threshold="$threshold" hiroba.service 2>&1)" && rc=0 || rc=$?
printf '%s\n' "$report" | grep -E 'exposure level' || true
if [ "$rc" -ne 0 ]; then
    printf '%s\n' "$report" | grep -E '✗' >&2 || true
    echo "unit_verify: the sandbox is weaker than $max (see the ✗ lines above)" >&2
    exit 1
fi
echo "unit_verify: ok"
