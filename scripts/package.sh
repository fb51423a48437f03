#!/usr/bin/env bash
# Builds what a release ships into dist/, named with the version from
# `git describe`, and dist/SHA256SUMS over them:
#
#   casreset-VERSION-windows-amd64.exe    the wizard for Windows x86-64: a GUI
#                                         program (no console) with its icon and
#                                         version resource, cross-compiled with
#                                         mingw-w64
#   casreset-VERSION-x64.msi              the same in a Windows Installer package
#                                         (packaging/windows/casreset.wxs), built
#                                         with wixl, with the licence of the
#                                         fonts it embeds
#   casreset-VERSION-linux-amd64.tar.xz   the wizard for Linux: the program, a
#                                         .desktop file, the icon, the example
#                                         configuration, INSTALL.txt, the
#                                         licence of the fonts it embeds
#   resetd-VERSION-linux-amd64            the service, static (no cgo)
#   resetd-VERSION-linux-arm64
#   resetd-VERSION-windows-amd64.exe
#
# Usage: scripts/package.sh [windows|linux|resetd]...  (default: all of them)
#
# Environment:
#   SIGN_CERT and SIGN_KEY, or SIGN_PKCS12 (with SIGN_PASSWORD, and
#   SIGN_TIMESTAMP_URL)   sign the Windows program and its MSI
#                         (scripts/sign.sh says more); unsigned without them
#   VERSION               the release's name instead of `git describe`'s
#   DIST                  the directory to write to instead of dist/, which
#                         is emptied first
#
# Needs x86_64-w64-mingw32-gcc (Debian's gcc-mingw-w64-x86-64), wixl and
# msibuild (wixl, msitools) and osslsigncode when signing (scripts/deps.sh
# installs them), and the Go module proxy for go-winres, which writes the
# Windows resource. The first Windows build compiles Fyne's C parts for
# Windows and takes several minutes; later ones come from Go's build cache.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/toolchain.sh
root=$(pwd)

GO=${GO:-go}
winres_module=github.com/tc-hib/go-winres@v0.3.3
mingw=x86_64-w64-mingw32-gcc

parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(windows linux resetd)
for p in "${parts[@]}"; do
  case $p in windows | linux | resetd) ;; *)
    echo "package: unknown part $p (windows, linux or resetd)" >&2
    exit 2
    ;;
  esac
done

version=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
dist=${DIST:-dist}
signing=""
[ -z "${SIGN_CERT:-}${SIGN_KEY:-}${SIGN_PKCS12:-}" ] || signing=yes
app_name=$(sed -n 's/^Name *= *"\(.*\)"/\1/p' FyneApp.toml)
app_id=$(sed -n 's/^ID *= *"\(.*\)"/\1/p' FyneApp.toml)
ldflags="-s -w -X main.version=$version"
echo "package: version $version"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$dist"
mkdir -p "$dist"
dist=$(cd "$dist" && pwd)

# The Windows wizard and its MSI. Its resource (icon, version, manifest) is a
# .syso object that go build links when it sits in the package's directory,
# so it is built from a copy of the source tree (what git tracks or would
# track) and the tree itself is never touched.
windows() {
  local tool
  for tool in "$mingw" wixl msibuild; do
    command -v "$tool" >/dev/null || { echo "package: $tool is missing; run scripts/deps.sh" >&2; exit 1; }
  done
  # Windows wants a numeric a.b.c.d file version: a tag vX.Y.Z with the
  # commits since it, else FyneApp.toml's version with the commit count.
  local numeric base
  if [[ $version =~ ^v?([0-9]+)\.([0-9]+)\.([0-9]+)(-([0-9]+)-g)? ]]; then
    numeric="${BASH_REMATCH[1]}.${BASH_REMATCH[2]}.${BASH_REMATCH[3]}.${BASH_REMATCH[5]:-0}"
  else
    base=$(sed -n 's/^Version *= *"\([0-9]*\.[0-9]*\.[0-9]*\)".*/\1/p' FyneApp.toml)
    numeric="${base:-0.0.0}.$(git rev-list --count HEAD 2>/dev/null || echo 0)"
  fi
  echo "package: Windows resource (file version $numeric) with $winres_module"
  GOFLAGS= GOBIN="$tmp/bin" "$GO" install "$winres_module"
  "$tmp/bin/go-winres" simply --arch amd64 --out "$tmp/rsrc" \
    --icon assets/icon.png --manifest gui \
    --product-name "$app_name" --file-description "$app_name" \
    --product-version "$version" --file-version "$numeric" \
    --original-filename casreset.exe
  local src="$tmp/src"
  mkdir -p "$src"
  git ls-files -z --cached --others --exclude-standard |
    tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -C "$src" -xf -
  mv "$tmp/rsrc_windows_amd64.syso" "$src/"
  local exe="$dist/casreset-$version-windows-amd64.exe"
  echo "package: $exe (the first build takes minutes)"
  (cd "$src" && CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC="$mingw" \
    "$GO" build -trimpath -ldflags "$ldflags -H=windowsgui" -o "$exe" .)
  x86_64-w64-mingw32-objdump -h "$exe" | grep -q '\.rsrc' ||
    { echo "package: $exe has no resource section (icon, version)" >&2; exit 1; }
  [ -z "$signing" ] || scripts/sign.sh "$exe"
  msi "$exe" "$numeric"
}

# msi EXE A.B.C.D packs the program into dist/casreset-VERSION-x64.msi.
msi() {
  local exe=$1 numeric=$2
  local out="$dist/casreset-$version-x64.msi" product=${2%.*}
  echo "package: $out (product version $product)"
  # wixl finds files by names relative to the working directory only.
  mkdir -p "$tmp/msi"
  cp "$exe" "$tmp/msi/casreset.exe"
  cp assets/fonts/OFL.txt "$tmp/msi/FONTS-OFL.txt"
  png_to_ico assets/icon.png "$tmp/msi/casreset.ico"
  (cd "$tmp/msi" && wixl -a x64 -D Name="$app_name" -D Version="$product" \
    -D Exe=casreset.exe -D Icon=casreset.ico -D FontLicence=FONTS-OFL.txt \
    -o "$out" "$root/packaging/windows/casreset.wxs")
  # What wixl 0.101 cannot say: the program's file version in the File
  # table (DefaultVersion), so that Windows Installer compares versions,
  # not dates; and that a build of the same x.y.z also replaces the
  # installed one (AllowSameVersionUpgrades), as builds between two tags
  # share their tag's x.y.z. Its own MajorUpgrade row finds older versions
  # only (attributes 1: migrate features); 513 adds the maximum itself.
  local upgrade_code
  upgrade_code=$(sed -n 's/.*UpgradeCode="\([^"]*\)".*/{\1}/p' packaging/windows/casreset.wxs)
  msibuild "$out" \
    -q "UPDATE \`File\` SET \`Version\` = '$numeric' WHERE \`File\` = 'casreset.exe'" \
    -q "DELETE FROM \`MsiFileHash\` WHERE \`File_\` = 'casreset.exe'" \
    -q "DELETE FROM \`Upgrade\` WHERE \`ActionProperty\` = 'WIX_UPGRADE_DETECTED'" \
    -q "INSERT INTO \`Upgrade\` (\`UpgradeCode\`, \`VersionMax\`, \`Attributes\`, \`ActionProperty\`) VALUES ('$upgrade_code', '$product', 513, 'WIX_UPGRADE_DETECTED')"
  [ -z "$signing" ] || scripts/sign.sh "$out"
}

# png_to_ico PNG ICO writes an icon holding one 256x256 PNG image, which
# Windows reads since Vista: the MSI's icon for the shortcut and for Apps.
png_to_ico() {
  local size
  size=$(stat -c %s "$1")
  le32() { printf '\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
  {
    # ICONDIR: reserved, type 1 (icon), one image; ICONDIRENTRY: 0x0 means
    # 256x256, no palette, 1 plane, 32 bits, the PNG's size and offset (22).
    printf '\x00\x00\x01\x00\x01\x00\x00\x00\x00\x00\x01\x00\x20\x00'
    printf "$(le32 "$size")$(le32 22)"
    cat "$1"
  } >"$2"
}

# The Linux wizard, with what a desktop needs to list it.
linux() {
  local dir="casreset-$version-linux-amd64"
  echo "package: $dist/$dir.tar.xz"
  mkdir -p "$tmp/$dir"
  GOOS=linux GOARCH=amd64 "$GO" build -trimpath -ldflags "$ldflags" -o "$tmp/$dir/casreset" .
  cp packaging/casreset.desktop "$tmp/$dir/$app_id.desktop"
  cp assets/icon.png "$tmp/$dir/$app_id.png"
  cp packaging/casreset.example.toml "$tmp/$dir/casreset.example.toml"
  cp packaging/INSTALL-linux.txt "$tmp/$dir/INSTALL.txt"
  cp assets/fonts/OFL.txt "$tmp/$dir/FONTS-OFL.txt"
  tar -C "$tmp" --sort=name --owner=0 --group=0 --numeric-owner \
    --mtime="@$(git log -1 --format=%ct 2>/dev/null || date +%s)" \
    -cJf "$dist/$dir.tar.xz" "$dir"
}

# The service, static, for the servers it runs on.
resetd() {
  local target goos goarch out
  for target in linux/amd64 linux/arm64 windows/amd64; do
    goos=${target%/*} goarch=${target#*/}
    out="$dist/resetd-$version-$goos-$goarch"
    [ "$goos" = windows ] && out="$out.exe"
    echo "package: $out"
    CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch "$GO" build -trimpath -ldflags "$ldflags" -o "$out" ./cmd/resetd
  done
}

for p in "${parts[@]}"; do "$p"; done
(cd "$dist" && sha256sum -- * >SHA256SUMS)
echo "package: done"
ls -l "$dist"
