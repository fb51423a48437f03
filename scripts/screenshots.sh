#!/usr/bin/env bash
# Runs the real casreset under Xvfb and saves a PNG of every screen, in
# every language of the language table (assets/languages.go), in the
# light and the dark theme, at the default 820x860 window and at 640x480,
# to docs/screenshots/: SCREEN-LANG.png (light, 820x860), with -dark and
# -640x480 added for the others. The screens are wizard.PreviewScreens (step 1
# also with each message it can show), demo-step3 (the demo banner) and
# the help desk's pages (hd-…, helpdesk.PreviewNames),
# each shown with sample data, so no service is needed; casreset shows
# them one after the other in one run per theme (CASRESET_PREVIEW=all)
# and this script saves each window. The Demo inbox's window is saved
# once per language and theme.
# Needs Xvfb, ImageMagick's import and x11-utils (scripts/deps.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/toolchain.sh

# SCREENSHOTS_OUT saves them elsewhere, SCREENS="step1 help" only those
# screens (and no index), to look at a change before committing.
out=${SCREENSHOTS_OUT:-docs/screenshots}

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

# The screens casreset shows (wizard.PreviewScreens, demo-step3 and the
# help desk's hd-…).
mapfile -t screens < <(CASRESET_PREVIEW=screens "$tmp/casreset")
[ ${#screens[@]} -gt 0 ] || { echo "screenshots: casreset lists no screen" >&2; exit 1; }

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
[ -n "${SCREENS:-}" ] || rm -f "$out"/*.png # screens that no longer exist go too

# The main window is titled in the language it shows, as the wizard or as
# the help desk: app.title and hd.app.title of every translation.
mapfile -t main_titles < <(sed -n 's/^ *"\(hd\.\)\{0,1\}app\.title": "\(.*\)",$/\2/p' assets/translations/*.json)
[ ${#main_titles[@]} -gt 0 ] || { echo "screenshots: no app.title in assets/translations" >&2; exit 1; }

# main_window_geometry prints the geometry of casreset's main window, as
# import -crop takes it.
main_window_geometry() {
  local tree title win
  tree=$(xwininfo -root -tree 2>/dev/null)
  for title in "${main_titles[@]}"; do
    win=$(awk -v t="\"$title\":" 'index($0, t) {print $1; exit}' <<<"$tree")
    if [ -n "$win" ]; then
      xwininfo -id "$win" | awk '/Absolute upper-left X/ {x=$NF} /Absolute upper-left Y/ {y=$NF} /Width/ {w=$NF} /Height/ {h=$NF} END {print w "x" h "+" x "+" y}'
      return
    fi
  done
  echo "screenshots: no window titled as casreset's main window (${main_titles[*]})" >&2
  return 1
}

# Every screen in every language at both sizes, one run per theme: casreset
# prints "shoot FILE" once a screen is drawn and waits for "ok".
for variant in light dark; do
  coproc APP { env LANG=en_US.UTF-8 FYNE_THEME="$variant" CASRESET_PREVIEW=all CASRESET_PREVIEW_SCREENS="${SCREENS:-}" CASRESET_PREVIEW_OUT="$out" "$tmp/casreset" 2>"$tmp/app.log"; }
  app_pid=$APP_PID
  shots=0
  while IFS=' ' read -r verb file <&"${APP[0]}"; do
    [ "$verb" = shoot ] || continue
    geometry=$(main_window_geometry)
    import -window root -crop "$geometry" +repage -strip "$file"
    echo ok >&"${APP[1]}"
    shots=$((shots + 1))
  done
  wait "$app_pid" || { echo "screenshots: casreset failed in the $variant theme" >&2; cat "$tmp/app.log" >&2; exit 1; }
  app_pid=""
  echo "screenshots: $shots screens in the $variant theme"
done

if [ -n "${SCREENS:-}" ]; then
  echo "screenshots: done (only $SCREENS)"
  exit 0
fi

for lang in "${langs[@]}"; do
  # The Demo inbox with a code by SMS and one by e-mail; its window is
  # titled with its translation of inbox.title.
  inbox_title=$(sed -n 's/^ *"inbox.title": "\(.*\)",$/\1/p' "assets/translations/$lang.json")
  shoot "demo-inbox-$lang" "$inbox_title" CASRESET_PREVIEW=demo-inbox
  shoot "demo-inbox-$lang-dark" "$inbox_title" CASRESET_PREVIEW=demo-inbox FYNE_THEME=dark
done

# An index to browse them: a table per theme and size.
{
  echo "# Screenshots"
  echo
  echo "Every screen of the wizard and of the help desk, with sample data, in the light and the dark theme,"
  echo "at the default 820x860 window and at 640x480, as \`make screenshots\` saves them."
  for variant in "" -dark; do
    for size in "" -640x480; do
      echo
      echo "## ${variant:+dark}${variant:-light}, ${size:+640x480}${size:-820x860}"
      echo
      header="| screen |" rule="| --- |"
      for name in "${names[@]}"; do header+=" $name |" rule+=" --- |"; done
      echo "$header"
      echo "$rule"
      for screen in "${screens[@]}"; do
        row="| $screen |"
        for i in "${!langs[@]}"; do row+=" ![$screen, ${names[$i]}]($screen-${langs[$i]}$variant$size.png) |"; done
        echo "$row"
      done
    done
  done
  echo
  echo "## Demo inbox"
  echo
  header="|" rule="|"
  for name in "${names[@]}"; do header+=" $name |" rule+=" --- |"; done
  echo "$header"
  echo "$rule"
  for variant in "" -dark; do
    row="|"
    for i in "${!langs[@]}"; do row+=" ![demo inbox, ${names[$i]}](demo-inbox-${langs[$i]}$variant.png) |"; done
    echo "$row"
  done
  echo
  echo "language-menu is step 1 with the menu of languages open, each named in its own"
  echo "font. step1-wrong-captcha, step1-empty, step1-expired, step1-idle and"
  echo "step1-no-sound are step 1 with each message it can show, Next in sight in each."
  echo "demo-step3 is step 3 in demo mode (no server configured): the banner and its"
  echo "button to the Demo inbox, which counts the message not seen yet. The Demo inbox"
  echo "has a code sent by SMS and one by e-mail. pass is step 2's other way on, with a"
  echo "pass from IT Help. The hd- screens are the help desk (casreset --helpdesk):"
  echo "sign-in, search, an account, verifying the caller, the in-person note for a caller"
  echo "not verified and a one-time pass; hd-demo-signin is the sign-in in demo mode, with"
  echo "the demonstration operator's password and code."
} >"$out/README.md"
echo "screenshots: done"
