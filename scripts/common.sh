# common.sh: what demo.sh, test.sh and bench.sh share. Sourced, not run:
#   name=demo; . "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# Sets root (the repository) and cds there; defines step and die. Colours
# only on a terminal, never with CI=true or NO_COLOR.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ -t 1 ] && [ "${CI:-}" != true ] && [ -z "${NO_COLOR:-}" ]; then
    bold=$'\e[1m' off=$'\e[0m'
else
    bold="" off=""
fi
step() { printf '%s==> %s%s\n' "$bold" "$*" "$off"; }
die() {
    printf '%s: error: %s\n' "${name:-hiroba}" "$*" >&2
    exit 1
}
