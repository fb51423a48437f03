#!/usr/bin/env bash
# Runs the real casreset under Xvfb and saves a PNG of every screen, in
# every language of the language table (assets/languages.go), to
# docs/screenshots/, and of the demo
# mode's banner and Demo inbox. Each screen is shown with sample data
# (CASRESET_PREVIEW=<screen>), so no service is needed.
# Needs Xvfb, ImageMagick's import and x11-utils (scripts/deps.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/toolchain.sh

out=docs/screenshots
screens=(step1 step2 step3 step4 success error help forgot language-menu) # wizard.PreviewScreens

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

# The languages of the table: tag, own name and English name a line.
langs=() names=()
while IFS=$'\t' read -r tag name _; do
  langs+=("$tag") names+=("$name")
done < <(CASRESET_PREVIEW=languages "$tmp/casreset")
[ ${#langs[@]} -gt 0 ] || { echo "screenshots: casreset lists no language" >&2; exit 1; }

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

# shoot FILE TITLE VAR=VALUE... runs casreset with the variables and --lang
# $lang, waits for its window titled TITLE and saves it as $out/FILE.png.
shoot() {
  local file=$1 title=$2 win=""
  shift 2
  env LANG=en_US.UTF-8 "$@" "$tmp/casreset" --lang "$lang" >"$tmp/app.log" 2>&1 &
  app_pid=$!
  for _ in $(seq 100); do
    win=$(xwininfo -root -tree 2>/dev/null | awk -v t="\"$title\":" 'index($0, t) {print $1; exit}')
    [ -n "$win" ] && break
    sleep 0.1
  done
  [ -n "$win" ] || { echo "screenshots: no window for $file" >&2; cat "$tmp/app.log" >&2; exit 1; }
  sleep 2 # the CAPTCHA loads in the background
  geometry=$(xwininfo -id "$win" | awk '/Absolute upper-left X/ {x=$NF} /Absolute upper-left Y/ {y=$NF} /Width/ {w=$NF} /Height/ {h=$NF} END {print w "x" h "+" x "+" y}')
  import -window root -crop "$geometry" +repage -strip "$out/$file.png"
  kill "$app_pid"
  wait "$app_pid" 2>/dev/null || true
  app_pid=""
  echo "screenshots: $out/$file.png"
}

mkdir -p "$out"
for lang in "${langs[@]}"; do
  for screen in "${screens[@]}"; do
    shoot "$screen-$lang" "CAS Password Reset" CASRESET_PREVIEW="$screen"
  done
  # Demo mode: the banner with the Demo inbox's button (counting the code
  # not seen yet), and the inbox with a code by SMS and one by e-mail.
  shoot "demo-step3-$lang" "CAS Password Reset" CASRESET_PREVIEW=step3 CASRESET_PREVIEW_DEMO=1
  # The inbox's window is titled with its translation of inbox.title.
  inbox_title=$(sed -n 's/^ *"inbox.title": "\(.*\)",$/\1/p' "assets/translations/$lang.json")
  shoot "demo-inbox-$lang" "$inbox_title" CASRESET_PREVIEW=demo-inbox
done

# An index to browse them.
{
  echo "# Screenshots"
  echo
  echo "Every screen of the wizard, with sample data, as \`make screenshots\` saves them."
  echo
  header="| screen |" rule="| --- |"
  for name in "${names[@]}"; do header+=" $name |" rule+=" --- |"; done
  echo "$header"
  echo "$rule"
  for screen in "${screens[@]}" demo-step3 demo-inbox; do
    row="| $screen |"
    for i in "${!langs[@]}"; do row+=" ![$screen, ${names[$i]}]($screen-${langs[$i]}.png) |"; done
    echo "$row"
  done
  echo
  echo "language-menu is step 1 with the menu of languages open, each named in its own"
  echo "font. demo-step3 is step 3 in demo mode (no server configured): the banner and its"
  echo "button to the Demo inbox, which counts the message not seen yet. demo-inbox is"
  echo "the Demo inbox with a code sent by SMS and one by e-mail."
} >"$out/README.md"
echo "screenshots: done"
