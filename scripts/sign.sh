#!/usr/bin/env bash
# Signs Windows files (.exe, .msi) in place with Authenticode, with
# osslsigncode (Debian's osslsigncode; scripts/deps.sh installs it), so that
# SmartScreen, AppLocker and Windows Installer see who published them.
# scripts/package.sh calls it for the wizard and its MSI when a certificate
# is given; IT can also run it to sign a build with the college's own.
#
# Usage: scripts/sign.sh FILE...
#
# The code-signing certificate and its key come from the environment, never
# from the command line:
#   SIGN_CERT, SIGN_KEY      PEM files: the certificate (with its chain) and
#                            its private key
#   or SIGN_PKCS12           a PKCS#12 (.pfx, .p12) file holding both
#   SIGN_PASSWORD            the password of the key or of the PKCS#12 file,
#                            if it has one
#   SIGN_TIMESTAMP_URL       an RFC 3161 time-stamp authority, such as
#                            http://timestamp.digicert.com: the signature
#                            then stays valid after the certificate expires.
#                            Signing fails when it cannot be reached.
#   SIGN_DESCRIPTION         the description shown in the signature
#                            (default: the app's name from FyneApp.toml)
set -euo pipefail
cd "$(dirname "$0")/.."

[ $# -gt 0 ] || { echo "usage: scripts/sign.sh FILE..." >&2; exit 2; }
command -v osslsigncode >/dev/null || { echo "sign: osslsigncode is missing; install Debian's osslsigncode (scripts/deps.sh does)" >&2; exit 1; }

what=()
if [ -n "${SIGN_PKCS12:-}" ]; then
  [ -z "${SIGN_CERT:-}${SIGN_KEY:-}" ] || { echo "sign: give SIGN_PKCS12, or SIGN_CERT and SIGN_KEY, not both" >&2; exit 2; }
  what=(-pkcs12 "$SIGN_PKCS12")
elif [ -n "${SIGN_CERT:-}" ] && [ -n "${SIGN_KEY:-}" ]; then
  what=(-certs "$SIGN_CERT" -key "$SIGN_KEY")
else
  echo "sign: no certificate: set SIGN_CERT and SIGN_KEY, or SIGN_PKCS12" >&2
  exit 2
fi
description=${SIGN_DESCRIPTION:-$(sed -n 's/^Name *= *"\(.*\)"/\1/p' FyneApp.toml)}

for file in "$@"; do
  signed="$file.signing"
  args=(sign "${what[@]}" -h sha256 -n "$description" -in "$file" -out "$signed")
  [ -z "${SIGN_TIMESTAMP_URL:-}" ] || args+=(-ts "$SIGN_TIMESTAMP_URL")
  rm -f "$signed"
  # The password goes through a pipe, never an argument that ps would show.
  run() { osslsigncode "${args[@]}" "$@" >/dev/null; }
  if [ -n "${SIGN_PASSWORD:-}" ]; then
    run -readpass <(printf '%s' "$SIGN_PASSWORD")
  else
    run
  fi || { rm -f "$signed"; echo "sign: $file could not be signed" >&2; exit 1; }
  mv "$signed" "$file"
  echo "sign: $file"
done
