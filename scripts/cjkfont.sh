#!/usr/bin/env bash
# Makes assets/fonts/*.subset.otf: the Hong Kong and mainland faces of
# Noto Sans CJK and Noto Sans Mono CJK (regular and bold) cut down to the
# characters the wizard shows in each language (translations, help,
# messages, the language's name and date formats, the default settings;
# assets/fonts/cmd/fontsubsets lists them). Run it again
# whenever a text gains a character; assets/fonts' tests say when.
# Needs fonts-noto-cjk and fonttools (scripts/deps.sh installs them);
# NOTO_CJK_DIR overrides where the collections are.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/toolchain.sh

src=${NOTO_CJK_DIR:-/usr/share/fonts/opentype/noto}
out=assets/fonts
command -v pyftsubset >/dev/null || { echo "cjkfont: pyftsubset is missing; run scripts/deps.sh" >&2; exit 1; }
[ -f "$src/NotoSansCJK-Regular.ttc" ] || { echo "cjkfont: no Noto Sans CJK in $src; run scripts/deps.sh" >&2; exit 1; }

# (LANG: Fyne, which the wizard's default settings come with, warns of a "C" locale.)
plan=$(LANG=en_US.UTF-8 LC_ALL= go run ./assets/fonts/cmd/fontsubsets "$src")
while IFS=$'\t' read -r ttc index file unicodes; do
  # Only the layout features of horizontal text: no vertical forms and
  # metrics (the wizard writes horizontally), no regional variants (locl:
  # the face is already the region's, and the other regions' forms would
  # double its size). The names keep the copyright, trademark and licence
  # (name IDs 0, 7, 13, 14), as the OFL asks.
  pyftsubset "$ttc" --font-number="$index" --unicodes="$unicodes" \
    --layout-features=kern,liga,ccmp,mark,mkmk --drop-tables+=vhea,vmtx,VORG \
    --name-IDs=0,1,2,3,4,5,6,7,13,14 --name-languages='*' \
    --output-file="$out/$file"
  echo "cjkfont: $out/$file $(stat -c %s "$out/$file") bytes"
done <<<"$plan"
