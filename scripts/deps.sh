#!/usr/bin/env bash
# deps.sh: installs the Debian 12 packages hiroba needs that are missing.
# Reads scripts/debian-packages.txt; asks dpkg first, so when everything is
# present it installs nothing, runs no apt-get at all, and takes well under a
# second. Never prompts: apt runs non-interactively, sudo only asks for a
# password when a person is at the terminal.
#
#   bash scripts/deps.sh [--check] [GROUP...]    GROUP: run build test bench all
#     all (the default) = run build test; bench (Chromium) only when named
#     --check   only report what is missing; exit 1 if anything is
#   HIROBA_SKIP_DEPS=1   do nothing (you installed the equivalents yourself)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
list="$here/debian-packages.txt"

say() { printf 'deps: %s\n' "$*"; }
die() {
    printf 'deps: error: %s\n' "$*" >&2
    exit 1
}

check_only=0
groups=()
for arg in "$@"; do
    case "$arg" in
    --check) check_only=1 ;;
    run | build | test | bench) groups+=("$arg") ;;
    all) groups+=(run build test) ;;
    -h | --help)
        sed -n '2,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
        exit 0
        ;;
    *) die "unknown argument '$arg' (groups: run build test bench all)" ;;
    esac
done
[ ${#groups[@]} -gt 0 ] || groups=(run build test)

if [ "${HIROBA_SKIP_DEPS:-0}" = 1 ]; then
    say "HIROBA_SKIP_DEPS=1: not checking system packages"
    exit 0
fi

# Debian 12 only: the package names below are Debian's. Say so plainly
# rather than failing later with a confusing apt or cmake error.
os_id="unknown"
os_like=""
os_version=""
os_name="an unknown system"
if [ -r /etc/os-release ]; then
    {
        read -r os_id
        read -r os_like
        read -r os_version
        read -r os_name
    } < <(
        # shellcheck disable=SC1091
        . /etc/os-release
        printf '%s\n' "${ID:-unknown}" "${ID_LIKE:-}" "${VERSION_ID:-}" "${PRETTY_NAME:-${ID:-}}"
    )
fi
if [ "$os_id" != debian ] && [[ " $os_like " != *" debian "* ]]; then
    die "this is $os_name; hiroba's setup supports Debian 12 (bookworm) only.
  Install the equivalents of the packages in scripts/debian-packages.txt
  yourself, then run again with HIROBA_SKIP_DEPS=1."
fi
if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
    die "dpkg-query or apt-get not found; is this really $os_name?"
fi
if [ "$os_id" != debian ] || [ "$os_version" != 12 ]; then
    say "warning: made for Debian 12, this is $os_name; package names may differ"
fi

# The wanted packages of the chosen groups, in file order, without duplicates.
wanted=()
group=""
while IFS= read -r line || [ -n "$line" ]; do
    line="${line%%#*}"
    line="${line//[[:space:]]/}"
    [ -n "$line" ] || continue
    if [[ "$line" == \[*\] ]]; then
        group="${line:1:${#line}-2}"
        continue
    fi
    [ -n "$group" ] || die "$list: package '$line' before any [group] line"
    [[ " ${groups[*]} " == *" $group "* ]] || continue
    [[ " ${wanted[*]-} " == *" $line "* ]] || wanted+=("$line")
done <"$list"
[ ${#wanted[@]} -gt 0 ] || die "no packages for groups: ${groups[*]}"

# One dpkg-query for all of them. "ii" = installed and configured; a package
# dpkg has never heard of prints nothing (and an error we do not need).
declare -A installed=()
while read -r pkg status; do
    if [ "$status" = ii ]; then installed["$pkg"]=1; fi
done < <(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${wanted[@]}" 2>/dev/null || true)

missing=()
for pkg in "${wanted[@]}"; do
    [ -n "${installed[$pkg]-}" ] || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
    say "all ${#wanted[@]} packages present (${groups[*]})"
    exit 0
fi
say "missing ${#missing[@]} of ${#wanted[@]} packages (${groups[*]}): ${missing[*]}"
[ "$check_only" = 0 ] || exit 1

# Root runs apt directly; anyone else goes through sudo. Without a terminal
# (CI, no stdin) sudo must not wait for a password that nobody will type.
as_root=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null ||
        die "not root and sudo is not installed; as root run:
  apt-get update && apt-get install --no-install-recommends ${missing[*]}"
    if [ -t 0 ] && [ "${CI:-}" != true ]; then
        as_root=(sudo)
    else
        as_root=(sudo -n)
        sudo -n true 2>/dev/null ||
            die "sudo wants a password and there is no terminal to ask on; run:
  sudo apt-get install --no-install-recommends ${missing[*]}"
    fi
fi
apt=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -y
    -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300)

say "apt-get update"
# A broken third-party source must not stop us: Debian's own lists are what we need.
"${apt[@]}" update || say "warning: apt-get update reported errors; trying to install anyway"
say "apt-get install --no-install-recommends ${missing[*]}"
"${apt[@]}" install --no-install-recommends "${missing[@]}" ||
    die "apt-get install failed (see above). Packages needed: ${missing[*]}"
say "installed ${#missing[@]} package(s)"
