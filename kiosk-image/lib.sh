# kiosk-image/lib.sh: what build-image.sh and check-rootfs.sh share. Sourced,
# not run. Expects $name (the script's short name, for messages).
# shellcheck shell=bash disable=SC2154

say() { printf '%s: %s\n' "$name" "$*"; }
die() {
    printf '%s: error: %s\n' "$name" "$*" >&2
    exit 1
}
# took START: "(N s)" since START (a $SECONDS value).
took() { printf '(%d s)' "$((SECONDS - $1))"; }

# The Debian 12 archive this machine's apt uses, as one-line sources for
# mmdebstrap: the main archive's bookworm and bookworm-updates, and the
# security archive when apt knows one. Falls back to deb.debian.org. A mirror
# given by the user (MIRROR=URL, --mirror) replaces the main archive.
#   debian_sources COMPONENTS   e.g. "main" or "main non-free-firmware"
debian_sources() {
    local components="$1" main="${MIRROR:-}" security=""
    if [ -z "$main" ] && command -v apt-cache >/dev/null; then
        # " 500 http://deb.debian.org/debian bookworm/main amd64 Packages"
        main="$(apt-cache policy 2>/dev/null |
            awk '$3 == "bookworm/main" && !n++ { print $2 }')"
        security="$(apt-cache policy 2>/dev/null |
            awk '$3 == "bookworm-security/main" && !n++ { print $2 }')"
    fi
    main="${main:-http://deb.debian.org/debian}"
    printf 'deb %s bookworm %s\n' "$main" "$components"
    printf 'deb %s bookworm-updates %s\n' "$main" "$components"
    if [ -n "$security" ]; then
        printf 'deb %s bookworm-security %s\n' "$security" "$components"
    fi
}

# The Debian architecture a .deb was built for.
deb_arch() { dpkg-deb -f "$1" Architecture; }
