#!/usr/bin/env bash
# Measures what the wizard costs beside Fyne's hello world
# (cmd/hello-window), side by side in one run under Xvfb: for each, the
# time from start to its first window on the screen and its resident
# memory (RSS) once settled, and the ratio of the wizard's to hello
# world's. The wizard runs against a real resetd started here (as staff
# PCs run it against the college's service), in English and in Chinese,
# and in demo mode (the embedded service in the same process).
#
# Every program gets the same conditions: the same display, environment,
# window size and a home directory of its own, warmed by one run first (so
# that the system-font index Fyne's fallback builds is there, as on a PC
# that has run it before). Each is run RUNS times (default 3), alternating;
# the median is printed. SETTLE (default 5) seconds after the window shows,
# the RSS is read.
# Needs Xvfb and x11-utils (scripts/deps.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/toolchain.sh

runs=${RUNS:-3}
settle=${SETTLE:-5}

for tool in Xvfb xwininfo; do
  command -v "$tool" >/dev/null || { echo "measure-ui: $tool is missing; run scripts/deps.sh" >&2; exit 1; }
done

tmp=$(mktemp -d)
xvfb_pid="" resetd_pid="" app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "$resetd_pid" ] && kill "$resetd_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "measure-ui: building casreset, hello-window and resetd"
go build -o "$tmp/casreset" .
go build -o "$tmp/hello-window" ./cmd/hello-window
CGO_ENABLED=0 go build -o "$tmp/resetd" ./cmd/resetd

# The reset service, on a port of its own choosing.
"$tmp/resetd" serve --addr 127.0.0.1:0 --data "$tmp/resetd-data" --outbox "$tmp/outbox" \
  --metrics-addr off --org-name "Example College" --help-email ithelp@example.edu.hk \
  >"$tmp/resetd.out" 2>"$tmp/resetd.log" &
resetd_pid=$!
server=""
for _ in $(seq 100); do
  server=$(sed -n 's/.*listening on \(https:[^ ]*\).*/\1/p' "$tmp/resetd.out")
  [ -n "$server" ] && break
  sleep 0.1
done
[ -n "$server" ] || { echo "measure-ui: resetd did not start" >&2; cat "$tmp/resetd.log" >&2; exit 1; }

# A display of our own, at a number other scripts on the machine do not
# start from; Xvfb refuses a number another holds, and then the next is
# tried.
display=""
for n in $(shuf -i 300-399); do
  [ -e "/tmp/.X$n-lock" ] && continue
  Xvfb ":$n" -screen 0 1280x1024x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
  xvfb_pid=$!
  for _ in $(seq 50); do
    DISPLAY=":$n" xwininfo -root >/dev/null 2>&1 && { display=":$n"; break; }
    kill -0 "$xvfb_pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$display" ] && break
  kill "$xvfb_pid" 2>/dev/null || true
  xvfb_pid=""
done
[ -n "$display" ] || { echo "measure-ui: Xvfb did not start" >&2; cat "$tmp/xvfb.log" >&2; exit 1; }
export DISPLAY=$display

# The programs measured: name, window title, command.
names=(hello wizard-en wizard-zh-HK wizard-demo-en)
titles=("Hello" "CAS Password Reset" "CAS Password Reset" "CAS Password Reset")
commands=(
  "$tmp/hello-window"
  "$tmp/casreset --server $server --ca $tmp/resetd-data/ca.pem --lang en"
  "$tmp/casreset --server $server --ca $tmp/resetd-data/ca.pem --lang zh-HK"
  "$tmp/casreset --lang en"
)

now_ms() { date +%s%3N; }

# measure I prints "MILLISECONDS KIB": the time program I took to show its
# window and its RSS once settled.
measure() {
  local i=$1 start shown="" rss
  local home="$tmp/home-${names[$i]}"
  mkdir -p "$home"
  start=$(now_ms)
  # shellcheck disable=SC2086 # the command's words
  env -i PATH="$PATH" DISPLAY="$DISPLAY" HOME="$home" LANG=en_US.UTF-8 \
    FYNE_THEME=light FYNE_SCALE=1 ${commands[$i]} >"$tmp/app.log" 2>&1 &
  app_pid=$!
  for _ in $(seq 3000); do
    if xwininfo -name "${titles[$i]}" 2>/dev/null | grep -q 'Map State: IsViewable'; then
      shown=$(now_ms)
      break
    fi
    kill -0 "$app_pid" 2>/dev/null || break
    sleep 0.01
  done
  if [ -z "$shown" ]; then
    echo "measure-ui: ${names[$i]} showed no window" >&2
    kill -0 "$xvfb_pid" 2>/dev/null || echo "measure-ui: Xvfb on $DISPLAY is gone (stopped by something else)" >&2
    cat "$tmp/app.log" >&2
    exit 1
  fi
  sleep "$settle"
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$app_pid/status")
  kill "$app_pid"
  wait "$app_pid" 2>/dev/null || true
  app_pid=""
  echo "$((shown - start)) $rss"
}

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

echo "measure-ui: warming each program's home directory"
for i in "${!names[@]}"; do measure "$i" >/dev/null; done

declare -A times rsses
for run in $(seq "$runs"); do
  for i in "${!names[@]}"; do
    read -r ms kib < <(measure "$i")
    times[$i]+="$ms "
    rsses[$i]+="$kib "
    echo "measure-ui: run $run: ${names[$i]}: first window after $ms ms, RSS $((kib / 1024)) MiB"
  done
done

printf '\n%-16s %18s %10s %8s\n' program "first window (ms)" "RSS (MiB)" "× hello"
hello_rss=""
for i in "${!names[@]}"; do
  ms=$(tr ' ' '\n' <<<"${times[$i]}" | grep . | median)
  kib=$(tr ' ' '\n' <<<"${rsses[$i]}" | grep . | median)
  [ -z "$hello_rss" ] && hello_rss=$kib
  ratio=$(awk -v a="$kib" -v b="$hello_rss" 'BEGIN {printf "%.2f", a / b}')
  printf '%-16s %18d %10.1f %8s\n' "${names[$i]}" "$ms" "$(awk -v k="$kib" 'BEGIN {print k / 1024}')" "$ratio"
done
echo "(median of $runs runs each, RSS read ${settle} s after the first window; Go $(go env GOVERSION))"
