# casreset: the desktop wizard and resetd, the reset service.
# `make run` runs the app with its embedded default; `make test` runs every test.
# Both install what they need first (scripts/deps.sh skips what is there).

SHELL := /bin/bash
# One toolchain for everything, defined in scripts/toolchain.sh.
export GOTOOLCHAIN := $(shell sed -n 's/^export GOTOOLCHAIN=//p' scripts/toolchain.sh)
GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

# Packages that build without cgo: they run under the race detector.
PURE_PKGS = $(shell GOTOOLCHAIN=$(GOTOOLCHAIN) $(GO) list ./... | grep -v -e '^casreset$$' -e '^casreset/ui' -e '^casreset/cmd/hello-window$$' -e '^casreset/test/windows$$')
GUI_PKGS = $(shell GOTOOLCHAIN=$(GOTOOLCHAIN) $(GO) list ./... | grep -e '^casreset$$' -e '^casreset/ui' -e '^casreset/cmd/hello-window$$')
# The Windows build under Wine: last, as it cross-compiles Fyne for Windows
# (minutes, the first time) and packages, installs and runs the MSI.
WINE_PKGS = casreset/test/windows

.PHONY: deps run run-helpdesk build resetd test test-short bench lint screenshots measure-ui clean load package windows

deps:
	@scripts/deps.sh

run: deps
	$(GO) run -ldflags "$(LDFLAGS)" .

# The app in help-desk mode, over the embedded service with its
# demonstration operator.
run-helpdesk: deps
	$(GO) run -ldflags "$(LDFLAGS)" . --helpdesk

build: deps
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/casreset .
	CGO_ENABLED=0 $(GO) build -ldflags "$(LDFLAGS)" -o bin/resetd ./cmd/resetd

resetd:
	CGO_ENABLED=0 $(GO) build -ldflags "$(LDFLAGS)" -o bin/resetd ./cmd/resetd

# lint first: a reachable vulnerability, a vet or staticcheck finding or
# unformatted code fails the tests as a failing test does.
test: deps lint
	CGO_ENABLED=0 $(GO) build -o /dev/null ./cmd/resetd
	$(GO) test -race -timeout 30m $(PURE_PKGS)
	$(GO) test -timeout 30m $(GUI_PKGS)
	$(GO) test -timeout 60m $(WINE_PKGS)

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./...

lint: deps
	scripts/lint.sh

# resetd under load on SQLite and PostgreSQL against its floor; flags of
# cmd/resetd-load through LOADFLAGS, e.g. make load LOADFLAGS="-flows 1000".
load: deps
	CGO_ENABLED=0 $(GO) run ./cmd/resetd-load $(LOADFLAGS)

screenshots: deps
	scripts/screenshots.sh

# The wizard's time to its first window and its memory beside Fyne's hello
# world (cmd/hello-window), under Xvfb: RUNS=5 for more runs.
measure-ui: deps
	scripts/measure-ui.sh

# Release files in dist/ with SHA-256 sums (scripts/package.sh): the Windows
# wizard and its MSI, the Linux wizard, static resetd for linux/amd64,
# linux/arm64, windows/amd64. The first Windows build takes several minutes.
# SIGN_CERT and SIGN_KEY (or SIGN_PKCS12 and SIGN_PASSWORD) in the
# environment sign the Windows program and the MSI (scripts/sign.sh).
package: deps
	scripts/package.sh

# The Windows wizard and its MSI alone, in dist/.
windows: deps
	scripts/package.sh windows

clean:
	rm -rf bin dist
