//go:build !windows

package config

// SystemPolicy is this computer's policy: none outside Windows, where
// Group Policy does not reach.
func SystemPolicy() PolicySource { return nil }
