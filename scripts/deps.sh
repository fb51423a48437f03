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
#   fonttools                                                the embedded font subsets (scripts/cjkfont.sh)
#   dbus dbus-x11 gnome-keyring                              the keyring tests' private session
#   postgresql                                               the PostgreSQL store tests
#   slapd ldap-utils                                         the LDAP directory tests
#   samba samba-ad-dc samba-ad-provision krb5-user winbind
#   ldb-tools smbclient                                      the Active Directory tests (a Samba AD DC)
#   gcc-mingw-w64-x86-64                                     the Windows cross-build
#   wine wine64                                              the Windows tests under Wine (test/windows)
#   wixl msitools                                            the MSI (make package) and its tests
#   osslsigncode                                             signing the Windows program and MSI
#   sslscan                                                  the TLS scan test
#   tesseract-ocr                                            the OCR attack on the CAPTCHA image
packages=(
  ca-certificates curl git make gcc libc6-dev pkg-config
  libgl1-mesa-dev xorg-dev libasound2-dev
  xvfb xauth imagemagick x11-utils fonts-noto-cjk fonttools
  dbus dbus-x11 gnome-keyring
  postgresql
  slapd ldap-utils
  samba samba-ad-dc samba-ad-provision krb5-user winbind ldb-tools smbclient
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
  # The packaged daemons (Samba's above all, which would take ports 88,
  # 389 and 445) must not start: the tests run their own. Debian's
  # policy-rc.d says so to the packages' scripts for the time of the
  # install, unless the machine has one already (containers do).
  own_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod 755 /usr/sbin/policy-rc.d
    own_policy=1
    trap '$sudo rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ -n "$own_policy" ]; then
    $sudo rm -f /usr/sbin/policy-rc.d
    trap - EXIT
  fi
  # The packaged PostgreSQL, slapd and Samba services are not used by the tests;
  # stop them so they hold no ports.
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    $sudo systemctl disable --now postgresql slapd samba-ad-dc smbd nmbd winbind >/dev/null 2>&1 || true
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
