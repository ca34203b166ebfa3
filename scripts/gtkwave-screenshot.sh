#!/usr/bin/env bash
# Regenerates docs/gtkwave-default-scenario.png: runs the default scenario with --vcd, opens the VCD in GTKWave
# with docs/default-scenario.gtkw under a virtual X server (Xvfb), and grabs the screen.
# Needs Debian's xvfb, xauth, x11-utils, gtkwave and imagemagick; installs them with apt-get when missing (as root).
# Not part of `npm test` (no X server there); test/gtkwave-save-file.test.ts keeps the save file honest.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
save="docs/default-scenario.gtkw"
out="${1:-docs/gtkwave-default-scenario.png}"
# the screen is the window's size, from the save file's [size] line
read -r width height < <(sed -n 's/^\[size\] \([0-9]*\) \([0-9]*\)$/\1 \2/p' "$save")

missing=()
command -v xvfb-run >/dev/null || missing+=(xvfb xauth)
command -v xwininfo >/dev/null || missing+=(x11-utils)
command -v gtkwave >/dev/null || missing+=(gtkwave)
# /usr/bin/import is ImageMagick's; a `convert` elsewhere on PATH may be something else
[ -x /usr/bin/import ] || missing+=(imagemagick)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# build (incremental: quick when nothing changed), so the picture is of the code as it is
npm run build --silent

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
node dist/cli/main.js run --quiet --vcd "$work/default-scenario.vcd"

# GTKWave draws the window at [size] from the save file; the screen is made the same size, so a grab of the
# root window is the GTKWave window. Wait for its window to be mapped, then a moment for the waves to be drawn.
xvfb-run -a -s "-screen 0 ${width}x${height}x24" bash -c '
  gtkwave --nomenus "$1" "$2" >"$3/gtkwave.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    xwininfo -root -tree 2>/dev/null | grep -q "\"GTKWave - " && break
    kill -0 "$pid" 2>/dev/null || { cat "$3/gtkwave.log" >&2; exit 1; }
    sleep 0.2
  done
  sleep 2
  /usr/bin/import -window root "$4"
  kill "$pid"
' _ "$work/default-scenario.vcd" "$save" "$work" "$out"
echo "wrote $out"
