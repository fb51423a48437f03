# The Go toolchain every build, test, lint, package and run uses, sourced by
# .ci/run and scripts/*.sh and read by the Makefile. Machines here set
# GOTOOLCHAIN=local and ignore go.mod's toolchain line, so it is exported
# explicitly; the go command fetches it from the module proxy the first time.
# Raise it when a newer release fixes vulnerabilities that govulncheck reports.
export GOTOOLCHAIN=go1.27.3
