#!/usr/bin/env bash
# demo-pack.sh BUILD_DIR [FEEDS_URL]: makes the demo channel the way staff
# make theirs. From assets/demo-pack (pack.json, SVG pictures, the clip's
# recipe) it assembles a pack source in BUILD_DIR/demo/src, makes a demo
# signing key once (BUILD_DIR/demo/keys/demo.{key,pub}; a demo key, not a
# secret), then runs hiroba-pack build, sign and verify into
# BUILD_DIR/demo/publish.
# FEEDS_URL (or $HIROBA_DEMO_FEEDS) is where the live feeds are served, e.g.
# http://127.0.0.1:PORT/feeds as scripts/demo-server.py prints it: the pack's
# feed URLs (queue.json, vacancy.json, alerts/demo.json, cap.xml) are put under
# it; scripts/demo-alert.sh publishes alerts/demo.json into BUILD_DIR/demo/feeds.
# Without it: the running demo server's (BUILD_DIR/demo/server/url, there
# while scripts/demo.sh runs), else as pack.json has them (port 8080).
# Run again after editing assets/demo-pack: a new version is published.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:?usage: demo-pack.sh BUILD_DIR [FEEDS_URL]}" && pwd)"
feeds="${2:-${HIROBA_DEMO_FEEDS:-}}"
if [ -z "$feeds" ] && [ -s "$build/demo/server/url" ]; then
    feeds="$(cat "$build/demo/server/url")/feeds"
fi
feeds="${feeds%/}"
# Checked before it goes into a sed expression and into the signed pack.
if [ -n "$feeds" ] && ! [[ "$feeds" =~ ^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~-]+)*$ ]]; then
    echo "demo-pack: FEEDS_URL must look like http://127.0.0.1:8080/feeds, got '$feeds'" >&2
    exit 2
fi
pack="$build/app/hiroba-pack"
[ -x "$pack" ] || { echo "demo-pack: $pack not built" >&2; exit 1; }
demo="$build/demo"
src="$demo/src"
mkdir -p "$src" "$demo/keys" "$demo/publish"
export HIROBA_FONTS="${HIROBA_FONTS:-$root/fonts/fonts.ini}"

# The pack names its feeds by absolute URL; the demo server's port is chosen
# at start, so the copy gets that server's address (nothing else changes).
in_pack='http://127.0.0.1:8080/feeds'
if [ -n "$feeds" ] && [ "$feeds" != "$in_pack" ]; then
    grep -q "\"$in_pack/" "$root/assets/demo-pack/pack.json" ||
        { echo "demo-pack: pack.json no longer names feeds under $in_pack" >&2; exit 1; }
    sed "s|\"$in_pack/|\"$feeds/|g" "$root/assets/demo-pack/pack.json" >"$src/pack.json.tmp"
    mv "$src/pack.json.tmp" "$src/pack.json"
else
    cp "$root/assets/demo-pack/pack.json" "$src/pack.json"
fi
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
