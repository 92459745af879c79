#!/usr/bin/env bash
# build-image.sh: turns a hiroba release (the arm64 .deb) into a Raspberry Pi
# SD-card image that boots straight into the kiosk. Debian 12 packages only,
# put together with mmdebstrap:
#   raspi-firmware + linux-image-arm64   the Pi's boot firmware, Debian's kernel
#   hiroba (your .deb) and what it needs   the service enabled by its postinst
#   systemd-networkd (DHCP), systemd-resolved, systemd-timesyncd (time sync)
# and laid out as one image with three partitions:
#   1 RASPIFIRM    FAT32, /boot/firmware   firmware, kernel, initrd, config.txt
#   2 HIROBA_ROOT  ext4,  /                mounted read-only; /tmp, /var/tmp
#                                          and /var/log are in memory
#   3 HIROBA_DATA  ext4,  /var/lib/hiroba  the only writable disk: the store,
#                                          packs, alert state
# The boot shows no console on the screen (kernel messages go to the serial
# port; tty1 has no login prompt), only the kiosk.
#
#   sudo kiosk-image/build-image.sh --deb build/hiroba_0.1.0_arm64.deb \
#        --config my.conf --out hiroba-pi.img
#
#   --deb FILE        the hiroba package, built on (or for) arm64 (required)
#   --config FILE     becomes /etc/hiroba/hiroba.conf (required; start from
#                     kiosk-image/hiroba.conf)
#   --out FILE        the image to write (required)
#   --add FILE        also copy FILE into /etc/hiroba/ (the pack-signing
#                     public keys and CA your config names); repeatable
#   --hostname NAME   the kiosk's host name (default: hiroba)
#   --data-size MB    the data partition (default: 2048)
#   --root-size MB    the root partition (default: what it holds + 25%)
#   --mirror URL      a Debian mirror (default: the one this machine's apt uses)
#   --work DIR        scratch space (default: OUT.work, removed on success)
#   --simulate        only check that the package set resolves for arm64
#                     (mmdebstrap --simulate); needs no emulator. A --deb of
#                     another architecture is then stood in for by its Depends
#   --from-root DIR   skip mmdebstrap: lay out an image from a root file
#                     system built earlier (WORK/root of a --keep run)
#   --keep            keep WORK (the root file system) afterwards
#
# Needs root, the Debian archive, and: mmdebstrap, fdisk (sfdisk), dosfstools,
# mtools, e2fsprogs; on a machine that is not arm64, qemu-user-static and
# binfmt-support so that arm64 programs run in the image while it is built.
# See kiosk-image/README.md for flashing and for what needs real hardware.
set -euo pipefail

name=build-image
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=kiosk-image/lib.sh
. "$here/lib.sh"

deb=""
config=""
out=""
adds=()
hostname=hiroba
data_mb=2048
root_mb=""
work=""
simulate=0
from_root=""
keep=0
while [ $# -gt 0 ]; do
    case "$1" in
    --deb) deb="${2:?--deb needs a file}"; shift 2 ;;
    --config) config="${2:?--config needs a file}"; shift 2 ;;
    --out) out="${2:?--out needs a file}"; shift 2 ;;
    --add) adds+=("${2:?--add needs a file}"); shift 2 ;;
    --hostname) hostname="${2:?--hostname needs a name}"; shift 2 ;;
    --data-size) data_mb="${2:?--data-size needs MB}"; shift 2 ;;
    --root-size) root_mb="${2:?--root-size needs MB}"; shift 2 ;;
    --mirror) MIRROR="${2:?--mirror needs a URL}"; shift 2 ;;
    --work) work="${2:?--work needs a folder}"; shift 2 ;;
    --simulate) simulate=1; shift ;;
    --from-root) from_root="${2:?--from-root needs a folder}"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help)
        sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}"
        exit 0
        ;;
    *) die "unknown argument '$1' (see --help)" ;;
    esac
done

# --- What was asked, checked before anything slow starts --------------------
[ -n "$deb" ] || [ -n "$from_root" ] || die "--deb FILE is required (see --help)"
[ -z "$deb" ] || [ -f "$deb" ] || die "no such package: $deb"
if [ "$simulate" -eq 0 ]; then
    [ -n "$out" ] || die "--out FILE is required"
    if [ -z "$from_root" ]; then
        [ -n "$config" ] || die "--config FILE is required (start from kiosk-image/hiroba.conf)"
        [ -f "$config" ] || die "no such config: $config"
    fi
fi
case "$hostname" in
*[!a-z0-9-]* | -* | "") die "--hostname '$hostname': use a-z, 0-9 and '-'" ;;
esac
case "$data_mb$root_mb" in
*[!0-9]*) die "--data-size and --root-size are whole numbers of MB" ;;
esac
[ "$data_mb" -ge 64 ] || die "--data-size $data_mb: at least 64 MB"
for f in "${adds[@]}"; do
    [ -f "$f" ] || die "no such file: $f"
done
if [ -n "$config" ]; then
    # The kiosk stops on a malformed config; better to hear it now. Only the
    # shape is checked here: [kiosk] and key = value lines.
    awk '/^[ \t]*([#;]|$)/ { next }
         /^\[kiosk\][ \t]*$/ { next }
         /^[a-z_]+[ \t]*=[ \t]*[^ \t]/ { next }
         { printf "%s:%d: not a \"key = value\" line or [kiosk]: %s\n", FILENAME, NR, $0; bad = 1 }
         END { exit bad }' "$config" >&2 || die "fix $config first"
fi

arch=arm64
# The packages of the image. hiroba's own Depends (fonts, libraries, Mesa)
# come with it through apt.
packages=(
    raspi-firmware    # the Pi's boot firmware (non-free-firmware) and its kernel hook
    linux-image-arm64 # Debian's kernel, with the vc4 (display) and v3d (GPU) drivers
    initramfs-tools   # the initrd that finds the root partition by its label
    systemd-sysv      # systemd as init
    udev              # device nodes for the display, touch panel and sound card
    systemd-timesyncd # time sync (the Pi has no battery-backed clock)
    systemd-resolved  # DNS for systemd-networkd
    ca-certificates   # https to the city's server
    e2fsprogs         # fsck of the root and data partitions at boot
    dosfstools        # fsck of the firmware partition
    kmod              # loads the display and sound modules
    iproute2          # `ip addr`, for whoever looks at the serial console
)
# (bash drops the comments inside the list.)
include="$(printf '%s,' "${packages[@]}")"
include="${include%,}"

mapfile -t sources < <(debian_sources "main non-free-firmware")

# --- --simulate: does the package set resolve for arm64? --------------------
# apt alone, with its own lists for arm64 in a scratch folder: mmdebstrap
# refuses a foreign architecture it cannot run even to simulate, and this
# check must work on a CI machine without an emulator.
if [ "$simulate" -eq 1 ]; then
    pkgs=("${packages[@]}")
    if [ "$(deb_arch "$deb")" = "$arch" ]; then
        pkgs+=("$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")")
    else
        # Stand in for an amd64 build: what it depends on, by name (the
        # libraries' names are the same on every architecture).
        say "$(basename "$deb") is $(deb_arch "$deb"): resolving its Depends for $arch instead"
        mapfile -t deps < <(dpkg-deb -f "$deb" Depends |
            sed 's/([^)]*)//g; s/|[^,]*//g; s/ //g' | tr ',' '\n')
        pkgs+=("${deps[@]}")
    fi
    start=$SECONDS
    apt_dir="$(mktemp -d)"
    trap 'rm -rf "$apt_dir"' EXIT
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/parts"
    printf '%s\n' "${sources[@]}" >"$apt_dir/sources.list"
    : >"$apt_dir/status"
    apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list"
        -o "Dir::Etc::SourceParts=$apt_dir/parts" -o "Dir::State::Lists=$apt_dir/lists"
        -o "Dir::State::status=$apt_dir/status" -o "Dir::Cache=$apt_dir/cache"
        -o "APT::Architecture=$arch" -o "APT::Architectures::=$arch"
        -o "APT::Sandbox::User=root" -o "Debug::NoLocking=1")
    say "resolving for $arch from: ${sources[*]}"
    apt-get "${apt_opts[@]}" -q update >"$apt_dir/update.log" 2>&1 || {
        cat "$apt_dir/update.log" >&2
        die "apt-get update for $arch failed"
    }
    if ! apt-get "${apt_opts[@]}" install --simulate --no-install-recommends "${pkgs[@]}" \
        >"$apt_dir/simulate.log" 2>&1; then
        tail -n 30 "$apt_dir/simulate.log" >&2
        die "the package set does not resolve for $arch (above)"
    fi
    n="$(grep -c '^Inst ' "$apt_dir/simulate.log" || true)"
    say "ok: ${#pkgs[@]} packages asked for, $n to install, all resolve for $arch $(took "$start")"
    exit 0
fi

[ "$(id -u)" -eq 0 ] || die "needs root (mmdebstrap's root mode, chroot, file ownership): sudo $0 ..."
missing=()
for tool in mmdebstrap:mmdebstrap sfdisk:fdisk mkfs.vfat:dosfstools mcopy:mtools \
    mkfs.ext4:e2fsprogs; do
    command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
[ ${#missing[@]} -eq 0 ] || die "missing tools: sudo apt-get install ${missing[*]}"

[ -z "$deb" ] || [ "$(deb_arch "$deb")" = "$arch" ] ||
    die "$deb is for $(deb_arch "$deb"); a Pi image needs an $arch build of hiroba (build it on a Pi, or use --simulate)"
if [ -z "$from_root" ] && [ "$(dpkg --print-architecture)" != "$arch" ] &&
    ! arch-test "$arch" >/dev/null 2>&1; then
    die "this $(dpkg --print-architecture) machine cannot run $arch programs, which the image's
  package scripts are. Install the emulator (sudo apt-get install qemu-user-static
  binfmt-support; on a machine whose binfmt_misc the container may not change, build
  on an arm64 machine or a Pi instead), or check the package set with --simulate."
fi

out_abs="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
work="${work:-$out_abs.work}"
mkdir -p "$work"
start_all=$SECONDS

# --- 1. The root file system -------------------------------------------------
if [ -n "$from_root" ]; then
    root="$(cd "$from_root" && pwd)"
    say "using the root file system in $root"
else
    root="$work/root"
    rm -rf "$root"
    mkdir -p "$work/etc-hiroba"
    cp "$config" "$work/etc-hiroba/hiroba.conf"
    for f in "${adds[@]}"; do
        cp "$f" "$work/etc-hiroba/"
    done
    # What the customize hook runs inside the image (as root, /proc and /dev
    # mounted, arm64 programs through the emulator if need be).
    cat >"$work/customize.sh" <<CUSTOMIZE
set -eu
host=$hostname
CUSTOMIZE
    cat >>"$work/customize.sh" <<'CUSTOMIZE'
echo "$host" >/etc/hostname
printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n' \
    "$host" >/etc/hosts

# The kiosk's settings (readable by its group only: a later issue keeps the
# staff view's PIN there) and the keys and CA they name.
cp /tmp/etc-hiroba/* /etc/hiroba/
chown root:hiroba /etc/hiroba/hiroba.conf
chmod 0640 /etc/hiroba/hiroba.conf

# Partitions by label, so the same image works from an SD card or USB.
# The root is read-only: a kiosk whose power is cut mid-write must still
# boot. Only the data partition is written to; the rest lives in memory.
cat >/etc/fstab <<'EOF'
# <file system>     <mount point>    <type> <options>                              <dump> <pass>
LABEL=HIROBA_ROOT   /                ext4   ro,noatime,errors=remount-ro           0 1
LABEL=RASPIFIRM     /boot/firmware   vfat   ro,noatime,umask=0077                  0 2
LABEL=HIROBA_DATA   /var/lib/hiroba  ext4   rw,noatime,nodev,nosuid,noexec         0 2
tmpfs               /tmp             tmpfs  mode=1777,nosuid,nodev,size=128M       0 0
tmpfs               /var/tmp         tmpfs  mode=1777,nosuid,nodev,size=64M        0 0
tmpfs               /var/log         tmpfs  mode=0755,nosuid,nodev,noexec,size=32M 0 0
EOF

# The journal stays in memory (/run/log/journal): no log writes to the card.
mkdir -p /etc/systemd/journald.conf.d
printf '[Journal]\nStorage=volatile\nRuntimeMaxUse=64M\n' \
    >/etc/systemd/journald.conf.d/hiroba.conf

# Every card from this image gets its own machine id at boot (kept in
# memory: the root is read-only), not one shared by every kiosk.
: >/etc/machine-id
rm -f /var/lib/dbus/machine-id

# Wired network by DHCP; the client id is the MAC address, not the machine
# id, so a kiosk keeps its lease across reboots.
mkdir -p /etc/systemd/network
cat >/etc/systemd/network/20-wired.network <<'EOF'
[Match]
Name=eth0 en*

[Network]
DHCP=yes

[DHCPv4]
ClientIdentifier=mac
EOF
systemctl enable systemd-networkd.service systemd-resolved.service systemd-timesyncd.service
ln -sf ../run/systemd/resolve/stub-resolv.conf /etc/resolv.conf
# timesyncd's state folder made now: at boot systemd cannot create or chown
# it on the read-only root, and the unit would fail.
install -d -o systemd-timesync -g systemd-timesync /var/lib/systemd/timesync

# No login prompt on the screen (hiroba.service also conflicts with it), and
# no jobs that expect a writable root.
systemctl mask getty@tty1.service
systemctl mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer \
    e2scrub_reap.service 2>/dev/null || true
systemctl is-enabled hiroba.service

# Boot parameters for the raspi-firmware kernel hook, then the hook again so
# that config.txt and cmdline.txt in /boot/firmware use them:
#   root by label; the kernel's messages on the serial port only;
#   ro (read-only root), quiet, no cursor or logo on the screen.
#   CMA=0: no cma= on the command line, the device tree's default stands
#   (the hook cannot tell a Pi 4 from this build machine, and cma=64M makes
#   a Pi 4 unbootable).
cat >/etc/default/raspi-firmware <<'EOF'
ROOTPART=LABEL=HIROBA_ROOT
CONSOLES="ttyS1,115200"
CMA=0
EOF
echo "ro quiet loglevel=3 vt.global_cursor_default=0 logo.nologo consoleblank=0" \
    >/etc/default/raspi-extra-cmdline
# No rainbow square from the firmware at power-on.
echo "disable_splash=1" >/etc/default/raspi-firmware-custom
DEB_MAINT_PARAMS=configure /etc/kernel/postinst.d/z50-raspi-firmware
grep -q 'root=LABEL=HIROBA_ROOT' /boot/firmware/cmdline.txt
echo "cmdline.txt: $(cat /boot/firmware/cmdline.txt)"

# The data folder is the data partition's mount point: it must be empty here.
find /var/lib/hiroba -mindepth 1 -delete
CUSTOMIZE

    start=$SECONDS
    say "building the $arch root file system in $root (mmdebstrap; this takes a while)"
    say "from: ${sources[*]}"
    # The hooks are in single quotes on purpose: "$1" (the root) is mmdebstrap's.
    # shellcheck disable=SC2016
    mmdebstrap --variant=minbase --mode=root --architectures="$arch" \
        --include="$include" \
        --include="$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")" \
        --hook-dir=/usr/share/mmdebstrap/hooks/file-mirror-automount \
        --dpkgopt='path-exclude=/usr/share/man/*' \
        --dpkgopt='path-exclude=/usr/share/doc/*' \
        --dpkgopt='path-include=/usr/share/doc/*/copyright' \
        --customize-hook="copy-in $work/etc-hiroba /tmp" \
        --customize-hook="upload $work/customize.sh /tmp/customize.sh" \
        --customize-hook='chroot "$1" sh /tmp/customize.sh' \
        --customize-hook='rm -rf "$1"/tmp/etc-hiroba "$1"/tmp/customize.sh' \
        bookworm "$root" "${sources[@]}" >"$work/mmdebstrap.log" 2>&1 || {
        tail -n 40 "$work/mmdebstrap.log" >&2
        die "mmdebstrap failed (log: $work/mmdebstrap.log)"
    }
    say "root file system built $(took "$start")"
fi

# --- 2. The partitions, as image files (no loop devices or mounts) ----------
start=$SECONDS
[ -d "$root/boot/firmware" ] || die "$root has no /boot/firmware (is it a Pi root?)"
[ -d "$root/var/lib/hiroba" ] || die "$root has no /var/lib/hiroba (is hiroba installed?)"
hiroba_ids="$(awk -F: '$1 == "hiroba" { print $3 ":" $4 }' "$root/etc/passwd")"
[ -n "$hiroba_ids" ] || die "$root has no hiroba user (is hiroba installed?)"

# The firmware partition's files leave the root (whose /boot/firmware stays
# as an empty mount point) for their own FAT partition.
fw="$work/firmware"
rm -rf "$fw" "$work"/*.part
mkdir -p "$fw"
if [ -n "$(ls -A "$root/boot/firmware")" ]; then
    mv "$root"/boot/firmware/* "$fw"/
fi
restore_firmware() {
    if [ -n "$(ls -A "$fw" 2>/dev/null)" ]; then
        mv "$fw"/* "$root"/boot/firmware/
    fi
}
trap restore_firmware EXIT

fw_mb=512
used_mb="$(du -sm "$root" | cut -f1)"
root_mb="${root_mb:-$((used_mb + used_mb / 4 + 256))}"
[ "$root_mb" -gt "$used_mb" ] || die "--root-size $root_mb is smaller than the root's $used_mb MB"
say "partitions: firmware $fw_mb MB ($(du -sm "$fw" | cut -f1) MB used), root $root_mb MB ($used_mb MB used), data $data_mb MB"

# mtools would refuse a file system image whose size fits no disk geometry.
export MTOOLS_SKIP_CHECK=1
mkfs.vfat -F 32 -n RASPIFIRM -C "$work/firmware.part" $((fw_mb * 1024)) >/dev/null
if [ -n "$(ls -A "$fw")" ]; then
    mcopy -s -p -m -i "$work/firmware.part" "$fw"/* ::/
fi
# -d copies the tree with its owners, modes, links and device nodes.
mkfs.ext4 -q -F -L HIROBA_ROOT -d "$root" "$work/root.part" "${root_mb}M" >/dev/null
# An empty file system whose top folder is the hiroba user's.
mkdir -p "$work/data-empty"
mkfs.ext4 -q -F -L HIROBA_DATA -E root_owner="$hiroba_ids" -d "$work/data-empty" \
    "$work/data.part" "${data_mb}M" >/dev/null
rmdir "$work/data-empty"
restore_firmware
trap - EXIT

# --- 3. One image: an MBR (the Pi 3 boots only from MBR) and the three ------
# partitions at 4 MiB boundaries (SD cards' erase blocks).
sector=512
mib=$((1024 * 1024 / sector))
p1=$((4 * mib))
p2=$((p1 + fw_mb * mib))
p3=$((p2 + root_mb * mib))
total_mb=$((4 + fw_mb + root_mb + data_mb))
rm -f "$out_abs"
truncate -s "${total_mb}M" "$out_abs"
sfdisk --quiet --no-reread --no-tell-kernel "$out_abs" <<EOF
label: dos
start=$p1, size=$((fw_mb * mib)), type=c, bootable
start=$p2, size=$((root_mb * mib)), type=83
start=$p3, size=$((data_mb * mib)), type=83
EOF
dd if="$work/firmware.part" of="$out_abs" bs=1M seek=4 conv=notrunc,sparse status=none
dd if="$work/root.part" of="$out_abs" bs=1M seek=$((4 + fw_mb)) conv=notrunc,sparse status=none
dd if="$work/data.part" of="$out_abs" bs=1M seek=$((4 + fw_mb + root_mb)) conv=notrunc,sparse \
    status=none
rm -f "$work"/*.part
rmdir "$fw"
say "image laid out $(took "$start")"

if [ "$keep" -eq 0 ] && [ -z "$from_root" ]; then
    rm -rf "$work"
else
    rmdir "$work" 2>/dev/null || true
fi
say "wrote $out ($total_mb MB) in $((SECONDS - start_all)) s"
say "flash it:  sudo dd if=$out of=/dev/sdX bs=4M conv=fsync status=progress"
