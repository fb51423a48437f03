#!/usr/bin/env bash
# gofmt, go vet, staticcheck and govulncheck at pinned versions.
#
# govulncheck normally reads vuln.go.dev. Where only the Go module proxy is
# reachable, the same database is built locally from the golang.org/x/vulndb
# module (its OSV files, indexed by the module's own indexdb command).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/toolchain.sh

STATICCHECK_VERSION=v0.8.2
GOVULNCHECK_VERSION=v1.9.0
VULNDB_VERSION=v0.0.0-20261105234957-e22db6528018
# The tools are built by the toolchain they check with (govulncheck fails on
# modules that need a newer Go than its own), into a folder named after both
# versions, so that a stale binary built by another Go is never used.
tools=${XDG_CACHE_HOME:-$HOME/.cache}/casreset-tools/$(go env GOVERSION)
install_tool() { # package version
  local dir="$tools/$(basename "$1")-$2"
  [ -x "$dir/$(basename "$1")" ] || GOBIN="$dir" go install "$1@$2"
  echo "$dir/$(basename "$1")"
}

unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt: these files need formatting:"; echo "$unformatted"; exit 1
fi
go vet ./...

staticcheck=$(install_tool honnef.co/go/tools/cmd/staticcheck "$STATICCHECK_VERSION")
"$staticcheck" ./...

govulncheck=$(install_tool golang.org/x/vuln/cmd/govulncheck "$GOVULNCHECK_VERSION")
db=""
if ! curl -fsS --max-time 5 -o /dev/null https://vuln.go.dev/index/db.json 2>/dev/null; then
  cache=$(go env GOCACHE)/casreset-vulndb-$VULNDB_VERSION
  if [ ! -f "$cache/index/db.json" ]; then
    src=$(go mod download -json "golang.org/x/vulndb@$VULNDB_VERSION" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
    (cd "$src" && GOFLAGS=-mod=mod go run ./cmd/indexdb -vulns data/osv -out "$cache.tmp")
    rm -rf "$cache" && mv "$cache.tmp" "$cache"
  fi
  db="-db file://$cache"
fi
# shellcheck disable=SC2086
"$govulncheck" $db ./...
