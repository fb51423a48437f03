#!/usr/bin/env bash
# Runs the real casreset under Xvfb and saves a PNG of every screen, in
# English and Traditional Chinese, to docs/screenshots/. Each screen is shown
# with sample data (CASRESET_PREVIEW=<screen>), so no service is needed.
# Needs Xvfb, ImageMagick's import and x11-utils (scripts/deps.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."

out=docs/screenshots
screens=(step1 step2 step3 step4 success error help forgot) # ui.PreviewScreens
langs=(en zh-HK)

for tool in Xvfb import xwininfo; do
  command -v "$tool" >/dev/null || { echo "screenshots: $tool is missing; run scripts/deps.sh" >&2; exit 1; }
done

tmp=$(mktemp -d)
xvfb_pid=""
app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "screenshots: building casreset"
go build -o "$tmp/casreset" .

# A display nobody uses.
display=""
for n in $(seq 90 120); do
  if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then display=":$n"; break; fi
done
[ -n "$display" ] || { echo "screenshots: no free X display" >&2; exit 1; }
Xvfb "$display" -screen 0 1280x1024x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY=$display
for _ in $(seq 50); do xwininfo -root >/dev/null 2>&1 && break; sleep 0.1; done
xwininfo -root >/dev/null 2>&1 || { echo "screenshots: Xvfb did not start" >&2; cat "$tmp/xvfb.log" >&2; exit 1; }

# The window as staff see it by default: light theme, scale 1.
export FYNE_THEME=light FYNE_SCALE=1

mkdir -p "$out"
for lang in "${langs[@]}"; do
  for screen in "${screens[@]}"; do
    LANG=en_US.UTF-8 CASRESET_PREVIEW=$screen "$tmp/casreset" --lang "$lang" >"$tmp/app.log" 2>&1 &
    app_pid=$!
    win=""
    for _ in $(seq 100); do
      win=$(xwininfo -root -tree 2>/dev/null | awk '/"CAS Password Reset"/ {print $1; exit}')
      [ -n "$win" ] && break
      sleep 0.1
    done
    [ -n "$win" ] || { echo "screenshots: no window for $screen ($lang)" >&2; cat "$tmp/app.log" >&2; exit 1; }
    sleep 2 # the CAPTCHA loads and the Chinese font is found in the background
    geometry=$(xwininfo -id "$win" | awk '/Absolute upper-left X/ {x=$NF} /Absolute upper-left Y/ {y=$NF} /Width/ {w=$NF} /Height/ {h=$NF} END {print w "x" h "+" x "+" y}')
    import -window root -crop "$geometry" +repage -strip "$out/$screen-$lang.png"
    kill "$app_pid"; wait "$app_pid" 2>/dev/null || true
    app_pid=""
    echo "screenshots: $out/$screen-$lang.png"
  done
done

# An index to browse them.
{
  echo "# Screenshots"
  echo
  echo "Every screen of the wizard, with sample data, as \`make screenshots\` saves them."
  echo
  echo "| screen | English | 繁體中文 |"
  echo "| --- | --- | --- |"
  for screen in "${screens[@]}"; do
    echo "| $screen | ![$screen, English]($screen-en.png) | ![$screen, 繁體中文]($screen-zh-HK.png) |"
  done
} >"$out/README.md"
echo "screenshots: done"
