package wizard

import (
	"casreset/ui"
	"casreset/ui/shell"
)

// The shared widgets (package ui) and the shell's translator and contact
// card under the names the screens use.
type (
	translator   = shell.Translator
	contactCard  = shell.ContactCard
	actionButton = ui.ActionButton
	secretEntry  = ui.SecretEntry
	choice       = ui.Choice
	checkBox     = ui.CheckBox
	checkItem    = ui.CheckItem
	wrapLabel    = ui.WrapLabel
	checkState   = ui.CheckState
)

const (
	checkPending = ui.CheckPending
	checkMet     = ui.CheckMet
	checkFailed  = ui.CheckFailed
	checkInfo    = ui.CheckInfo
)

var (
	newActionButton  = ui.NewActionButton
	newPrimaryButton = ui.NewPrimaryButton
	newSecretEntry   = ui.NewSecretEntry
	newWrapLabel     = ui.NewWrapLabel
	newHeading       = ui.NewHeading
	newErrorLabel    = ui.NewErrorLabel
	setText          = ui.SetText
	newChoice        = ui.NewChoice
	newCheckBox      = ui.NewCheckBox
	newCheckItem     = ui.NewCheckItem
	compactList      = ui.CompactList
	newLink          = ui.NewLink
	newNotice        = ui.NewNotice
	quietWhenEmpty   = ui.QuietWhenEmpty
	buttonRow        = shell.ButtonRow
	newContactCard   = shell.NewContactCard
	newTranslator    = shell.NewTranslator
)
