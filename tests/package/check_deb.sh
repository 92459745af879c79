#!/usr/bin/env bash
# check_deb.sh BUILD_DIR DEB ARCH VERSION: builds the Debian package with
# `cpack -G DEB` in BUILD_DIR and checks what came out, with dpkg-deb:
#   the file name hiroba_VERSION_ARCH.deb, ARCH being this machine's
#   dpkg --print-architecture (never a fixed one);
#   the files: both binaries, fonts.ini, the i18n catalogs, the unit in
#   /lib/systemd/system, /etc/hiroba/hiroba.conf, and nothing under /usr/local
#   or from the tests;
#   the control data: /etc/hiroba/hiroba.conf a conffile, postinst / prerm /
#   postrm present, 0755 and valid sh; Depends holding the libraries
#   dpkg-shlibdeps found and the run-time packages no binary links against.
# Lintian, when installed, is run and its findings printed (not a failure).
set -euo pipefail
# (No grep -q or head after a pipe here: an early exit would kill the writer
# with SIGPIPE, which pipefail turns into a failure.)

build="${1:?usage: check_deb.sh BUILD_DIR DEB ARCH VERSION}"
deb="${2:?}"
arch="${3:?}"
version="${4:?}"

fails=0
fail() {
    echo "check_deb: FAIL: $*" >&2
    fails=$((fails + 1))
}

[ "$arch" = "$(dpkg --print-architecture)" ] ||
    echo "check_deb: note: packaging for $arch on a $(dpkg --print-architecture) machine"
[ "$(basename "$deb")" = "hiroba_${version}_${arch}.deb" ] ||
    fail "unexpected file name $(basename "$deb")"

rm -f "$deb"
start=$SECONDS
(cd "$build" && cpack -G DEB >cpack.log 2>&1) || {
    cat "$build/cpack.log" >&2
    echo "check_deb: cpack -G DEB failed" >&2
    exit 1
}
[ -f "$deb" ] || {
    cat "$build/cpack.log" >&2
    echo "check_deb: cpack did not write $deb" >&2
    exit 1
}
echo "check_deb: cpack -G DEB wrote $deb ($(du -k "$deb" | cut -f1) KiB) in $((SECONDS - start)) s"

field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = hiroba ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version)"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture: $(field Architecture)"

depends="$(field Depends)"
echo "check_deb: Depends: $depends"
# Each name must appear as a whole package name in the comma-separated list.
has_dep() {
    printf '%s\n' "$depends" | tr ',' '\n' | sed 's/^ *//; s/[ (|].*//' | grep -x -- "$1" >/dev/null
}
# What no binary links against: always listed by hand.
for pkg in adduser fonts-morisawa-bizud-gothic fonts-noto-cjk tzdata libegl1 libgles2 \
    libgl1-mesa-dri; do
    has_dep "$pkg" || fail "Depends lacks $pkg"
done
if grep -q '^HIROBA_LIBVLC:BOOL=ON' "$build/CMakeCache.txt"; then
    for pkg in libvlc5 vlc-plugin-base libvlc-bin; do
        has_dep "$pkg" || fail "Depends lacks $pkg"
    done
fi

contents="$(dpkg-deb -c "$deb" | awk '{ print $6 }')"
want=(./usr/bin/hiroba ./usr/bin/hiroba-pack ./usr/share/hiroba/fonts/fonts.ini
    ./lib/systemd/system/hiroba.service ./etc/hiroba/hiroba.conf)
if [ -f "$(dirname "$0")/../../assets/i18n/ja.ini" ]; then
    want+=(./usr/share/hiroba/i18n/ja.ini)
fi
for f in "${want[@]}"; do
    printf '%s\n' "$contents" | grep -x -- "$f" >/dev/null || fail "the package lacks $f"
done
if printf '%s\n' "$contents" | grep -E '^\./usr/local/|/test_|/bench_|/fuzz_'; then
    fail "the package holds files it should not (above)"
fi

ctrl="$(mktemp -d)"
trap 'rm -rf "$ctrl"' EXIT
dpkg-deb -e "$deb" "$ctrl"

# Every shared library the packaged binaries load (their NEEDED entries)
# must come from a package in Depends, found the way dpkg-shlibdeps does:
# the library's file on this machine and the package that owns it.
dpkg-deb -x "$deb" "$ctrl/root"
needed=0
for bin in "$ctrl/root/usr/bin/hiroba" "$ctrl/root/usr/bin/hiroba-pack"; do
    for soname in $(objdump -p "$bin" | awk '$1 == "NEEDED" { print $2 }'); do
        path="$(ldconfig -p | awk -v s="$soname" '$1 == s && !n++ { print $NF }')"
        owner=""
        if [ -n "$path" ]; then
            # dpkg knows a file by the path its package ships: with /usr
            # merged that may be /lib/... or /usr/lib/..., either side of
            # the symbolic links.
            real="$(readlink -f "$path")"
            for p in "$path" "$real" "${real#/usr}" "/usr${path}"; do
                owner="$(dpkg -S "$p" 2>/dev/null | sed -n '1s/:.*//p')" || true
                [ -z "$owner" ] || break
            done
        fi
        if [ -z "$owner" ]; then
            fail "${bin##*/} needs $soname, which no installed package provides"
        elif ! has_dep "$owner"; then
            fail "${bin##*/} needs $soname from $owner, which is not in Depends"
        fi
        needed=$((needed + 1))
    done
done
[ "$needed" -ge 10 ] || fail "only $needed NEEDED entries found: is objdump working?"
echo "check_deb: $needed NEEDED libraries of the two binaries, each from a package in Depends"
grep -x -- /etc/hiroba/hiroba.conf "$ctrl/conffiles" >/dev/null 2>/dev/null ||
    fail "/etc/hiroba/hiroba.conf is not a conffile"
for s in postinst prerm postrm; do
    if [ ! -f "$ctrl/$s" ]; then
        fail "no $s script"
        continue
    fi
    [ "$(stat -c %a "$ctrl/$s")" = 755 ] || fail "$s has mode $(stat -c %a "$ctrl/$s")"
    sh -n "$ctrl/$s" || fail "$s is not valid sh"
done

if command -v lintian >/dev/null; then
    echo "check_deb: lintian (information only):"
    lintian --no-tag-display-limit "$deb" || true
fi

if [ "$fails" -ne 0 ]; then
    echo "check_deb: $fails check(s) failed" >&2
    exit 1
fi
echo "check_deb: ok"
