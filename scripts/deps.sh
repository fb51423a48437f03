#!/usr/bin/env bash
# Installs on Debian or Ubuntu whatever building, running and testing casreset
# needs, and skips what is already there. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/toolchain.sh

# Debian packages:
#   gcc pkg-config libgl1-mesa-dev xorg-dev libasound2-dev  cgo builds of Fyne and oto
#   xvfb xauth imagemagick x11-utils                         a real window, screenshots
#   fonts-noto-cjk                                           Traditional Chinese glyphs
#   dbus dbus-x11 gnome-keyring                              the keyring tests' private session
#   postgresql                                               the PostgreSQL store tests
#   slapd ldap-utils                                         the LDAP directory tests
#   gcc-mingw-w64-x86-64                                     the Windows cross-build
#   wine wine64                                              the Windows tests under Wine (test/windows)
#   wixl msitools                                            the MSI (make package) and its tests
#   osslsigncode                                             signing the Windows program and MSI
#   sslscan                                                  the TLS scan test
#   tesseract-ocr                                            the OCR attack on the CAPTCHA image
packages=(
  ca-certificates curl git make gcc libc6-dev pkg-config
  libgl1-mesa-dev xorg-dev libasound2-dev
  xvfb xauth imagemagick x11-utils fonts-noto-cjk
  dbus dbus-x11 gnome-keyring
  postgresql
  slapd ldap-utils
  gcc-mingw-w64-x86-64
  wine wine64
  wixl msitools
  osslsigncode
  sslscan
  tesseract-ocr
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # slapd asks for an admin password on install; the tests start their own
  # slapd from a temporary configuration, so the packaged one is not used.
  echo "slapd slapd/no_configuration boolean true" | $sudo debconf-set-selections
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The packaged PostgreSQL and slapd services are not used by the tests;
  # stop them so they hold no ports.
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    $sudo systemctl disable --now postgresql slapd >/dev/null 2>&1 || true
  fi
else
  echo "deps: Debian packages present"
fi

# Go 1.26 or newer. The go command fetches a newer toolchain itself from
# the module proxy when go.mod asks for one.
if ! command -v go >/dev/null; then
  echo "deps: Go is not installed; install Go 1.26 or newer (https://go.dev/dl/) and run again" >&2
  exit 1
fi

go mod download
echo "deps: Go modules present"
