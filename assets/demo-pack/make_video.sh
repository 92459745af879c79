#!/usr/bin/env bash
# make_video.sh OUT.mp4: the demo pack's hand-washing clip (tearai.mp4),
# made with ffmpeg at build time so no binary media is committed. 12 s,
# 1280x720, 25 fps, H.264, silent; the same bytes on every run.
set -euo pipefail
out="${1:?usage: make_video.sh OUT.mp4}"
font=/usr/share/fonts/truetype/bizud-gothic/BIZUDGothic-Bold.ttf
pfont=/usr/share/fonts/truetype/bizud-gothic/BIZUDPGothic-Regular.ttf
[ -r "$font" ] || { echo "make_video.sh: $font missing (fonts-morisawa-bizud-gothic)" >&2; exit 1; }
tmp="${out}.tmp.mp4"
# Steps appear one after another; a bar at the bottom counts the 12 seconds down.
ffmpeg -nostdin -loglevel error -y \
    -f lavfi -i "color=c=0xEAF4FB:s=1280x720:r=25:d=12" \
    -f lavfi -i "color=c=0x2E8B57:s=1280x40:r=25:d=12" \
    -filter_complex "[0]drawbox=x=0:y=0:w=1280:h=120:color=0x0F4C81:t=fill,\
drawtext=fontfile=$font:text='てあらい の じかん':fontsize=64:fontcolor=white:x=(w-tw)/2:y=28,\
drawtext=fontfile=$font:text='1  みずで ぬらす':fontsize=72:fontcolor=0x0F4C81:x=160:y=200:enable='gte(t,0.5)',\
drawtext=fontfile=$font:text='2  せっけんで あわだてる':fontsize=72:fontcolor=0x0F4C81:x=160:y=310:enable='gte(t,3)',\
drawtext=fontfile=$font:text='3  ゆびのあいだも ごしごし':fontsize=72:fontcolor=0x0F4C81:x=160:y=420:enable='gte(t,6)',\
drawtext=fontfile=$font:text='4  ながして ふく':fontsize=72:fontcolor=0x0F4C81:x=160:y=530:enable='gte(t,9)',\
drawtext=fontfile=$pfont:text='Wash your hands':fontsize=36:fontcolor=0x333333:x=w-tw-40:y=620,\
drawbox=x=0:y=680:w=1280:h=40:color=0xC8DCEC:t=fill[base];\
[base][1]overlay=x='-1280*t/12':y=680:shortest=1" \
    -c:v libx264 -preset veryfast -tune stillimage -pix_fmt yuv420p -threads 1 \
    -fflags +bitexact -flags +bitexact -map_metadata -1 -an "$tmp"
mv -f "$tmp" "$out"
