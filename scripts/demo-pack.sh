#!/usr/bin/env bash
# demo-pack.sh BUILD_DIR: makes the demo channel the way staff make theirs.
# From assets/demo-pack (pack.json, SVG pictures, the clip's recipe) it
# assembles a pack source in BUILD_DIR/demo/src, makes a demo signing key
# once (BUILD_DIR/demo/keys/demo.{key,pub}; a demo key, not a secret), then
# runs hiroba-pack build, sign and verify into BUILD_DIR/demo/publish.
# Run again after editing assets/demo-pack: a new version is published.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:?usage: demo-pack.sh BUILD_DIR}" && pwd)"
pack="$build/app/hiroba-pack"
[ -x "$pack" ] || { echo "demo-pack: $pack not built" >&2; exit 1; }
demo="$build/demo"
src="$demo/src"
mkdir -p "$src" "$demo/keys" "$demo/publish"
export HIROBA_FONTS="${HIROBA_FONTS:-$root/fonts/fonts.ini}"

cp "$root/assets/demo-pack/pack.json" "$src/pack.json"
for svg in "$root"/assets/demo-pack/art/*.svg; do
    png="$src/$(basename "${svg%.svg}").png"
    [ "$png" -nt "$svg" ] || rsvg-convert "$svg" -o "$png"
done
clip="$src/tearai.mp4"
[ "$clip" -nt "$root/assets/demo-pack/make_video.sh" ] || "$root/assets/demo-pack/make_video.sh" "$clip"

[ -f "$demo/keys/demo.key" ] || "$pack" keygen --out "$demo/keys/demo" >/dev/null
"$pack" build "$src" --channel demo --out "$demo/publish"
"$pack" sign "$demo/publish" --channel demo --key "$demo/keys/demo.key"
"$pack" verify "$demo/publish" --channel demo --pub "$demo/keys/demo.pub"
