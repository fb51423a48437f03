package pgserver

import "syscall"

// credential is the user a server runs as.
type credential = syscall.Credential

func newCredential(uid, gid uint32) *credential {
	return &syscall.Credential{Uid: uid, Gid: gid}
}

// procAttr runs a PostgreSQL program as cred (nil: the current user).
// With tied, the kernel sends it SIGQUIT when the thread that started it
// ends, so that a server never outlives this process, even one that is
// killed. (Go ends threads only for goroutines that exit while locked to
// one.)
func procAttr(cred *credential, tied bool) *syscall.SysProcAttr {
	attr := &syscall.SysProcAttr{Credential: cred}
	if tied {
		attr.Pdeathsig = syscall.SIGQUIT
	}
	return attr
}
