#!/usr/bin/env bash
# demo-alert.sh drill|real|cancel [BUILD_DIR]: raises or cancels an emergency
# alert on the running demo (bash scripts/demo.sh), the way city staff do it:
# hiroba-pack alert publish / cancel, signed with the demo's key
# (BUILD_DIR/demo/keys/demo.key), written into the folder the demo's nginx
# serves at /feeds/ (BUILD_DIR/demo/feeds/alerts/demo.json and its
# .minisig), which is where the demo pack's feeds.alerts points. The kiosk
# polls it every 5 s: the alert is on screen within about that.
#
#   drill    an evacuation drill (訓練): full screen, amber, marked DRILL
#            (the demo kiosk's config allows drills), for 10 minutes
#   real     a real evacuation order: full screen, red, for 10 minutes
#   cancel   withdraws the current alert (drill or real) and what it updated
#
# BUILD_DIR defaults to build/ (where demo.sh builds).
set -euo pipefail

name=demo-alert
# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

what="${1:-}"
case "$what" in
drill | real | cancel) ;;
-h | --help | "")
    sed -n '2,15s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
    [ -n "$what" ] && exit 0
    exit 2
    ;;
*) die "unknown alert '$what': want drill, real or cancel (try --help)" ;;
esac
build="${2:-$root/build}"
pack="$build/app/hiroba-pack"
key="$build/demo/keys/demo.key"
feeds="$build/demo/feeds"
[ -x "$pack" ] || die "$pack is not built: run bash scripts/demo.sh first"
[ -f "$key" ] || die "no demo key at $key: run bash scripts/demo.sh first"
mkdir -p "$feeds"
if [ ! -s "$build/demo/server/url" ]; then
    printf 'note: the demo server is not running: the alert is written, and a kiosk sees\n' >&2
    printf '      it once bash scripts/demo.sh serves %s again\n' "$feeds" >&2
fi

# Identifiers must be new for every message: the time makes them so.
stamp="$(date +%Y%m%d-%H%M%S)"
common=(--channel demo --key "$key")
case "$what" in
drill)
    "$pack" alert publish "$feeds" "${common[@]}" --id "demo-drill-$stamp" --drill \
        --sender "ひろば市 危機管理課" \
        --title-ja "【訓練】避難訓練を行います" --title-en "DRILL: evacuation exercise" \
        --title-zh "【演习】疏散演习" --title-ko "[훈련] 대피 훈련" \
        --title-ja-easy "【くんれん】ひなんの れんしゅうを します" \
        --instruction-ja "係員の指示に従って、落ち着いて避難してください。" \
        --instruction-en "Follow the staff and leave the building calmly." \
        --area-ja "ひろば館" --area-en "Hiroba Hall" \
        --shelter-ja "中央公園@ひろば町1-1" --shelter-en "Central Park@1-1 Hiroba-cho" \
        --severity Severe --urgency Immediate --for 10
    ;;
real)
    "$pack" alert publish "$feeds" "${common[@]}" --id "demo-real-$stamp" \
        --sender "ひろば市 危機管理課" \
        --title-ja "【警戒レベル4】避難指示" --title-en "Level 4: evacuate now" \
        --title-zh "【警戒级别4】避难指示" --title-ko "[경계 레벨 4] 대피 지시" \
        --title-ja-easy "【けいかいレベル4】すぐに にげてください" \
        --instruction-ja "直ちに近くの避難所へ避難してください。" \
        --instruction-en "Go to the nearest shelter now." \
        --area-ja "ひろば町全域" --area-en "All of Hiroba-cho" \
        --shelter-ja "ひろば小学校@ひろば町1-2-3" --shelter-en "Hiroba Elementary School@1-2-3 Hiroba-cho" \
        --url "https://www.city.example.jp/bousai/" \
        --severity Extreme --urgency Immediate --for 10
    ;;
cancel)
    [ -s "$feeds/alerts/demo.json" ] || die "no alert has been published on the demo yet"
    "$pack" alert cancel "$feeds" "${common[@]}" --id "demo-cancel-$stamp"
    ;;
esac
url="$(cat "$build/demo/server/url" 2>/dev/null || echo 'http://127.0.0.1:PORT')"
printf '%s: %s published at %s/feeds/alerts/demo.json (the kiosk polls every 5 s)\n' \
    "$name" "$what" "$url"
