#!/usr/bin/env bash
# test.sh: quick-start command 2, and what CI runs (.ci/run). Installs what is
# missing (run+build+test packages), checks formatting, builds twice and runs
# the whole suite. Its last output is CTest's own summary; it exits with
# CTest's status. Benchmarks are built here but run only by scripts/bench.sh.
#
#   (a) build-werror  gcc, -Werror, RelWithDebInfo: build, clang-format check, and
#                     the package tests (ctest -L package: .deb, rootfs, Pi image)
#   (b) build-asan    clang, ASan+UBSan, libFuzzer targets, -Werror: build, then ctest
#
#   bash scripts/test.sh          (CI=true: no colours, never waits for input)
set -euo pipefail

name=test
# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
took() { printf '    (%d s)\n' "$((SECONDS - $1))"; }

case "${1:-}" in
-h | --help)
    sed -n '2,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
    exit 0
    ;;
"") ;;
*) die "no arguments expected (try --help)" ;;
esac

# Options every configure gets: ccache when present, no colour codes in CI logs.
# (The launcher is always set, to "" without ccache, so a tree configured while
# ccache was installed still builds after it is gone.)
common=(-DCMAKE_C_COMPILER_LAUNCHER="$(command -v ccache || true)")
if [ "${CI:-}" = true ]; then
    common+=(-DCMAKE_COLOR_DIAGNOSTICS=OFF)
fi

# configure DIR COMPILER -D...: one Ninja build tree per compiler. A tree
# made earlier with another generator would make cmake refuse; start it over.
configure() {
    local dir="$1" cc="$2"
    shift 2
    if [ -f "$dir/CMakeCache.txt" ] &&
        ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$dir/CMakeCache.txt"; then
        rm -rf "$dir/CMakeCache.txt" "$dir/CMakeFiles"
    fi
    mkdir -p "$dir"
    # Its chatter goes to a log, shown only when configuring fails; errors and
    # warnings (stderr) always show.
    if ! cmake -S . -B "$dir" -G Ninja -DCMAKE_C_COMPILER="$cc" "${common[@]}" "$@" \
        >"$dir/configure.log"; then
        cat "$dir/configure.log"
        die "configuring $dir failed (see above)"
    fi
}

# The C sources whose formatting we check: what git tracks (plus new files not
# yet added, so a developer hears about them before CI does); every file when
# this is not a git checkout (a tarball or a copied tree).
c_sources() {
    if [ -e .git ] && command -v git >/dev/null; then
        git ls-files --cached --others --exclude-standard -- \
            'app/*.c' 'app/*.h' 'ui/*.c' 'ui/*.h' 'tests/*.c' 'tests/*.h'
    else
        find app ui tests -type f \( -name '*.c' -o -name '*.h' \)
    fi | LC_ALL=C sort -u | while IFS= read -r f; do
        if [ -f "$f" ]; then printf '%s\n' "$f"; fi
    done
}

start=$SECONDS

t=$SECONDS
step "[1/6] system packages (run + build + test)"
bash scripts/deps.sh all
took "$t"

t=$SECONDS
step "[2/6] formatting: clang-format --dry-run -Werror"
mapfile -t sources < <(c_sources)
[ ${#sources[@]} -gt 0 ] || die "no C sources found under app/ ui/ tests/"
if ! report="$(clang-format --dry-run -Werror "${sources[@]}" 2>&1)"; then
    # sed, not head: head would close the pipe early and SIGPIPE kills us first.
    printf '%s\n' "$report" | sed -n '1,40p'
    mapfile -t unformatted < <(printf '%s\n' "$report" |
        sed -n 's/^\([^:]*\.[ch]\):[0-9]*:[0-9]*: error: .*/\1/p' | LC_ALL=C sort -u)
    die "not formatted as .clang-format says: ${unformatted[*]:-(see above)}
  fix with: clang-format -i ${unformatted[*]:-FILE...}"
fi
printf '    %d files formatted as .clang-format says\n' "${#sources[@]}"
took "$t"

t=$SECONDS
step "[3/6] build-werror: gcc, -Werror, RelWithDebInfo"
configure build-werror gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DHIROBA_WERROR=ON -DHIROBA_SANITIZE=OFF -DHIROBA_FUZZ=OFF \
    -DHIROBA_TESTS=ON -DHIROBA_BENCH=ON
cmake --build build-werror
took "$t"

t=$SECONDS
step "[4/6] build-asan: clang, ASan+UBSan, libFuzzer targets, -Werror"
configure build-asan clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DHIROBA_WERROR=ON -DHIROBA_SANITIZE=ON -DHIROBA_FUZZ=ON \
    -DHIROBA_TESTS=ON -DHIROBA_BENCH=ON
cmake --build build-asan
took "$t"

# Readable stack traces when a sanitizer fires (llvm-14 ships the symbolizer
# under a versioned name).
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ]; then
    for s in llvm-symbolizer llvm-symbolizer-14; do
        if command -v "$s" >/dev/null; then
            ASAN_SYMBOLIZER_PATH="$(command -v "$s")"
            export ASAN_SYMBOLIZER_PATH
            export UBSAN_SYMBOLIZER_PATH="$ASAN_SYMBOLIZER_PATH"
            break
        fi
    done
fi

# The Debian package, its install into a clean Debian 12 root and the Pi
# image's package set: only an optimised build without sanitizers makes a
# package worth checking (tests/package/CMakeLists.txt), so they run here,
# in build-werror, before the main suite (which skips them in build-asan).
# package.rootfs downloads about 150 MB from the Debian mirror.
t=$SECONDS
step "[5/6] package tests in build-werror: ctest -L package"
if ! ctest --test-dir build-werror --output-on-failure --timeout 900 -L package \
    --no-tests=error --no-label-summary; then
    die "package tests failed in build-werror (see above)"
fi
took "$t"

step "[6/6] ctest in build-asan (set-up, builds and package tests took $((SECONDS - start)) s)"
# Nothing may print after CTest's summary: exec hands it our exit status too.
exec ctest --test-dir build-asan --output-on-failure -j2 --timeout 600 --no-tests=error \
    --no-label-summary
