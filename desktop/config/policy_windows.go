//go:build windows

package config

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows/registry"
)

// SystemPolicy is this computer's policy: the values of
// HKEY_LOCAL_MACHINE\Software\Policies\casreset.
func SystemPolicy() PolicySource {
	return registryPolicy{root: registry.LOCAL_MACHINE, rootName: "HKLM", path: PolicyKey}
}

// registryPolicy reads the values of one registry key.
type registryPolicy struct {
	root     registry.Key
	rootName string // HKLM
	path     string
}

func (r registryPolicy) Name() string { return r.rootName + `\` + r.path }

func (r registryPolicy) Values() (map[string]any, error) {
	k, err := registry.OpenKey(r.root, r.path, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer k.Close()
	names, err := k.ReadValueNames(0)
	if err != nil {
		return nil, err
	}
	values := make(map[string]any, len(names))
	for _, name := range names {
		v, err := readValue(k, name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if name == "" {
			name = "(Default)" // as regedit shows the key's unnamed value
		}
		values[name] = v
	}
	return values, nil
}

// readValue reads a value as PolicySource.Values gives it.
func readValue(k registry.Key, name string) (any, error) {
	_, valtype, err := k.GetValue(name, nil)
	if err != nil {
		return nil, err
	}
	switch valtype {
	case registry.SZ:
		s, _, err := k.GetStringValue(name)
		return s, err
	case registry.EXPAND_SZ:
		s, _, err := k.GetStringValue(name)
		if err != nil {
			return nil, err
		}
		return registry.ExpandString(s)
	case registry.DWORD, registry.QWORD:
		n, _, err := k.GetIntegerValue(name)
		return n, err
	case registry.MULTI_SZ:
		ss, _, err := k.GetStringsValue(name)
		return ss, err
	}
	b, _, err := k.GetBinaryValue(name)
	return b, err
}
