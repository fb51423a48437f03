// Package evidence holds end-to-end tests of the resetd binary under the
// conditions a deployment meets and unit tests cannot stage: concurrent
// brute force, hostile connections, a read-only or full disk, a kill in the
// middle of password changes, a graceful stop with requests in flight, and
// the TLS it offers to a scanner. The tests build resetd themselves
// (CGO_ENABLED=0, as it ships) and run it as a separate process on
// 127.0.0.1, with SQLite and with a throw-away PostgreSQL.
//
// Some tests need root (mounting a small tmpfs, chattr +i) and Debian's
// sslscan and postgresql packages; without them they fail and say so.
package evidence
