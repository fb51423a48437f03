//go:build !linux

package pgserver

import "syscall"

// The servers run on Linux, from Debian's postgresql package. Elsewhere
// this package only builds, so that tests which link it without starting
// a server (the client's, cross-compiled for Windows) build too; New
// finds no PostgreSQL there and says so.

type credential struct{ Uid, Gid uint32 }

func newCredential(uid, gid uint32) *credential { return &credential{uid, gid} }

func procAttr(*credential, bool) *syscall.SysProcAttr { return nil }
