#!/bin/sh
# make_clip.sh: generates the short test clip the video tests play, at build or
# test time, so that no binary media is ever committed. Deterministic: the same
# ffmpeg gives the same bytes (bitexact, one encoder thread, no metadata), so a
# pack built from it is reproducible too.
#
# usage: make_clip.sh [--audio-only] OUT.mp4 [SECONDS [WIDTHxHEIGHT [FPS]]]
#   defaults: 2 s, 320x240, 25 fps. H.264 (yuv420p) + AAC sine (440 Hz) in MP4,
#   video is ffmpeg's moving, colourful testsrc2 pattern. --audio-only leaves
#   the video track out (a file a video player must reject).
# Writes OUT.mp4 atomically (temporary file renamed into place). Exit 0 on
# success; 2 on bad usage; 3 when ffmpeg is missing or fails.
set -eu

audio_only=0
if [ "${1:-}" = --audio-only ]; then
    audio_only=1
    shift
fi
if [ $# -lt 1 ] || [ $# -gt 4 ]; then
    echo "usage: $0 [--audio-only] OUT.mp4 [SECONDS [WIDTHxHEIGHT [FPS]]]" >&2
    exit 2
fi
out=$1
seconds=${2:-2}
size=${3:-320x240}
fps=${4:-25}

case $seconds in '' | *[!0-9.]*) echo "$0: SECONDS must be a number: $seconds" >&2; exit 2 ;; esac
case $size in [1-9]*x[1-9]*) ;; *) echo "$0: size must be WIDTHxHEIGHT: $size" >&2; exit 2 ;; esac
case $size in *[!0-9x]*) echo "$0: size must be WIDTHxHEIGHT: $size" >&2; exit 2 ;; esac
case $fps in '' | *[!0-9]*) echo "$0: FPS must be an integer: $fps" >&2; exit 2 ;; esac

ffmpeg=${FFMPEG:-ffmpeg}
if ! command -v "$ffmpeg" >/dev/null 2>&1; then
    echo "$0: ffmpeg not found (apt-get install ffmpeg)" >&2
    exit 3
fi

# The ffmpeg arguments, built in "$@" (POSIX sh has no arrays).
set -- -nostdin -hide_banner -loglevel error -y
if [ $audio_only = 0 ]; then
    set -- "$@" -f lavfi -i "testsrc2=size=$size:rate=$fps:duration=$seconds"
fi
set -- "$@" -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=$seconds"
if [ $audio_only = 0 ]; then
    set -- "$@" -map 0:v -map 1:a \
        -c:v libx264 -preset veryfast -pix_fmt yuv420p -g "$fps" -threads 1 -flags:v +bitexact
else
    set -- "$@" -map 0:a
fi
tmp="$out.tmp.$$.mp4"
set -- "$@" -c:a aac -b:a 64k -flags:a +bitexact -fflags +bitexact -map_metadata -1 \
    -movflags +faststart -shortest "$tmp"

trap 'rm -f "$tmp"' EXIT INT TERM
if ! "$ffmpeg" "$@"; then
    echo "$0: ffmpeg failed to write $out" >&2
    exit 3
fi
mv -f "$tmp" "$out"
trap - EXIT INT TERM
