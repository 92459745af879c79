#!/usr/bin/env bash
# image_assemble.sh WORK_DIR: the part of kiosk-image/build-image.sh that
# needs no Pi and no emulator, run for real: laying out the SD-card image
# from a root file system (--from-root). The root here is a small stand-in
# with what build-image.sh relies on (a hiroba user, /boot/firmware with a
# config.txt, /var/lib/hiroba); the image is then taken apart and checked:
#   an MBR with three partitions at 4 MiB boundaries, the first bootable FAT32
#   each partition's label and file system, clean under fsck
#   the firmware files on the FAT partition, not in the root's /boot/firmware
#   the root's files, owners and symbolic links kept
#   the data partition empty and owned by the hiroba user
#   the stand-in root left as it was
# Exit 77 (skipped) when not root or a tool is missing.
set -euo pipefail

work="${1:?usage: image_assemble.sh WORK_DIR}"
src="$(cd "$(dirname "$0")/../.." && pwd)"

if [ "$(id -u)" -ne 0 ]; then
    echo "image_assemble: needs root (file ownership in the image): skipped"
    exit 77
fi
for tool in sfdisk mkfs.vfat mcopy mdir mkfs.ext4 debugfs fsck.vfat fsck.ext4 blkid; do
    if ! command -v "$tool" >/dev/null; then
        echo "image_assemble: $tool is missing (apt-get install fdisk dosfstools mtools e2fsprogs): skipped"
        exit 77
    fi
done

fails=0
fail() {
    echo "image_assemble: FAIL: $*" >&2
    fails=$((fails + 1))
}

rm -rf "$work"
root="$work/root"
mkdir -p "$root/etc" "$root/boot/firmware" "$root/var/lib/hiroba" "$root/usr/bin" \
    "$root/etc/systemd/system/multi-user.target.wants" "$root/lib/systemd/system"
printf 'root:x:0:0:root:/root:/bin/bash\nhiroba:x:105:110:hiroba kiosk:/var/lib/hiroba:/usr/sbin/nologin\n' \
    >"$root/etc/passwd"
printf 'root:x:0:\nhiroba:x:110:\n' >"$root/etc/group"
printf 'arm_64bit=1\nkernel=vmlinuz-6.1.0-arm64\n' >"$root/boot/firmware/config.txt"
printf 'console=ttyS1,115200 root=LABEL=HIROBA_ROOT rw ro quiet\n' >"$root/boot/firmware/cmdline.txt"
mkdir -p "$root/boot/firmware/overlays"
head -c 300000 /dev/urandom >"$root/boot/firmware/overlays/blob.dtbo"
printf '#!/bin/sh\necho hiroba stand-in\n' >"$root/usr/bin/hiroba"
chmod 0755 "$root/usr/bin/hiroba"
cp "$src/kiosk-image/hiroba.conf" "$root/etc/hiroba.conf"
chown 0:110 "$root/etc/hiroba.conf"
chmod 0640 "$root/etc/hiroba.conf"
ln -s /lib/systemd/system/hiroba.service \
    "$root/etc/systemd/system/multi-user.target.wants/hiroba.service"
(cd "$root" && find . | LC_ALL=C sort) >"$work/before.txt"

img="$work/hiroba-test.img"
"$src/kiosk-image/build-image.sh" --from-root "$root" --out "$img" --root-size 64 \
    --data-size 64 --work "$work/scratch"

# The root is as it was, firmware files included.
(cd "$root" && find . | LC_ALL=C sort) >"$work/after.txt"
cmp -s "$work/before.txt" "$work/after.txt" || fail "build-image.sh changed the root it was given"

# The partition table.
table="$(sfdisk --dump "$img")"
echo "$table"
want_starts=(8192 $((8192 + 512 * 2048)) $((8192 + 512 * 2048 + 64 * 2048)))
want_sizes=($((512 * 2048)) $((64 * 2048)) $((64 * 2048)))
want_types=(c 83 83)
for i in 0 1 2; do
    line="$(printf '%s\n' "$table" | grep "^$img$((i + 1)) :")" || {
        fail "no partition $((i + 1))"
        continue
    }
    echo "$line" | grep "start= *${want_starts[$i]}," >/dev/null ||
        fail "partition $((i + 1)) does not start at sector ${want_starts[$i]}: $line"
    echo "$line" | grep "size= *${want_sizes[$i]}," >/dev/null ||
        fail "partition $((i + 1)) is not ${want_sizes[$i]} sectors: $line"
    echo "$line" | grep "type=${want_types[$i]}\b" >/dev/null ||
        fail "partition $((i + 1)) is not of type ${want_types[$i]}: $line"
    dd if="$img" of="$work/p$((i + 1))" bs=512 skip="${want_starts[$i]}" \
        count="${want_sizes[$i]}" conv=sparse status=none
done
printf '%s\n' "$table" | grep "^${img}1 :.*bootable" >/dev/null || fail "partition 1 is not bootable"
printf '%s\n' "$table" | grep '^label: dos' >/dev/null || fail "not an MBR (dos) table"

# Labels, file systems, fsck.
for pair in 1:RASPIFIRM:vfat 2:HIROBA_ROOT:ext4 3:HIROBA_DATA:ext4; do
    IFS=: read -r n label type <<<"$pair"
    [ "$(blkid -o value -s LABEL "$work/p$n")" = "$label" ] || fail "partition $n's label is not $label"
    [ "$(blkid -o value -s TYPE "$work/p$n")" = "$type" ] || fail "partition $n is not $type"
done
fsck.vfat -n "$work/p1" >/dev/null || fail "fsck.vfat found errors in partition 1"
fsck.ext4 -fn "$work/p2" >/dev/null 2>&1 || fail "fsck.ext4 found errors in partition 2"
fsck.ext4 -fn "$work/p3" >/dev/null 2>&1 || fail "fsck.ext4 found errors in partition 3"

# The firmware partition holds the firmware files, byte for byte.
export MTOOLS_SKIP_CHECK=1
mcopy -n -i "$work/p1" ::/config.txt "$work/config.txt"
cmp -s "$work/config.txt" "$root/boot/firmware/config.txt" || fail "config.txt differs on partition 1"
mcopy -n -i "$work/p1" ::/overlays/blob.dtbo "$work/blob.dtbo"
cmp -s "$work/blob.dtbo" "$root/boot/firmware/overlays/blob.dtbo" ||
    fail "overlays/blob.dtbo differs on partition 1"

# The root: /boot/firmware an empty mount point; owners, modes, links kept.
ls_fw="$(debugfs -R 'ls /boot/firmware' "$work/p2" 2>/dev/null | tr -s ' \n' ' ')"
case "$ls_fw" in
*config.txt* | *overlays*) fail "the root's /boot/firmware is not empty: $ls_fw" ;;
esac
[ "$(debugfs -R 'cat /usr/bin/hiroba' "$work/p2" 2>/dev/null)" = "$(cat "$root/usr/bin/hiroba")" ] ||
    fail "/usr/bin/hiroba differs in the root partition"
stat_conf="$(debugfs -R 'stat /etc/hiroba.conf' "$work/p2" 2>/dev/null)"
echo "$stat_conf" | grep -E 'User: +0 +Group: +110' >/dev/null ||
    fail "/etc/hiroba.conf lost its owner: $(echo "$stat_conf" | grep User)"
echo "$stat_conf" | grep -E 'Mode: +0640' >/dev/null || fail "/etc/hiroba.conf lost its mode"
link="$(debugfs -R 'stat /etc/systemd/system/multi-user.target.wants/hiroba.service' \
    "$work/p2" 2>/dev/null)"
echo "$link" | grep 'Fast link dest: "/lib/systemd/system/hiroba.service"' >/dev/null ||
    fail "the enablement link was not kept"

# The data partition: empty (but lost+found), its top folder the hiroba user's.
debugfs -R 'stat /' "$work/p3" 2>/dev/null | grep -E 'User: +105 +Group: +110' >/dev/null ||
    fail "the data partition is not owned by hiroba (105:110)"
for entry in $(debugfs -R 'ls' "$work/p3" 2>/dev/null | grep -o '([0-9]*) [^ ]*' | awk '{ print $2 }'); do
    case "$entry" in
    . | .. | lost+found) ;;
    *) fail "the data partition holds $entry" ;;
    esac
done

if [ "$fails" -ne 0 ]; then
    echo "image_assemble: $fails check(s) failed (work: $work)" >&2
    exit 1
fi
rm -rf "$work"
echo "image_assemble: ok"
