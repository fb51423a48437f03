package wizard

import (
	"casreset/api"
	"casreset/ui/shell"
)

// helpText is the help page as it reads on a computer with a keyring.
func helpText(tr *shell.Translator, s shell.Settings, p api.Policy) string {
	return helpTextFor(tr, s, p, true)
}
