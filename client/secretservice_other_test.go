//go:build !linux

package client

// The private Secret Service of the keyring tests exists only on Linux.
func stopSecretServices() {}
