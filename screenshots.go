package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"

	"casreset/assets"
	"casreset/ui/helpdesk"
	"casreset/ui/shell"
	"casreset/ui/wizard"
)

// screenshotSizes are the window sizes of the screenshots: the default
// window, and the smallest the wizard is used at.
var screenshotSizes = []fyne.Size{fyne.NewSize(820, 860), fyne.NewSize(640, 480)}

// previewScreens are the screens showEveryScreen shows: the wizard's, then
// the help desk's (hd-…).
func previewScreens() []string {
	return slices.Concat(wizard.PreviewScreens, []string{wizard.PreviewDemo}, helpdesk.PreviewNames())
}

// showEveryScreen shows every screen of the wizard and of the help desk,
// with sample data, in
// every language at each of screenshotSizes, for scripts/screenshots.sh:
// once a screen is drawn it prints "shoot FILE" and waits for a line on
// its standard input, when the script has saved the window as FILE, in
// dir. (Fyne's own capture reads the front buffer, which is blank under
// Xvfb.) FYNE_THEME says the variant. A screen's file is SCREEN-LANG.png
// in the light theme at 820x860, with -dark and -WxH added for the others.
func showEveryScreen(a fyne.App, w fyne.Window, dir string) error {
	if dir == "" {
		return fmt.Errorf("CASRESET_PREVIEW_OUT names no directory")
	}
	variant := ""
	if os.Getenv("FYNE_THEME") == "dark" {
		variant = "-dark"
	}
	in := bufio.NewReader(os.Stdin)
	screens := previewScreens()
	// CASRESET_PREVIEW_SCREENS picks some, to look at a change quickly.
	if only := strings.Fields(os.Getenv("CASRESET_PREVIEW_SCREENS")); len(only) > 0 {
		screens = only
	}
	var wizardScreens, deskScreens []string
	for _, s := range screens {
		if strings.HasPrefix(s, helpdesk.PreviewPrefix) {
			deskScreens = append(deskScreens, s)
		} else {
			wizardScreens = append(wizardScreens, s)
		}
	}
	shot := func(lang, screen string, size fyne.Size) error {
		name := screen + "-" + lang + variant
		if size != screenshotSizes[0] {
			name += fmt.Sprintf("-%gx%g", size.Width, size.Height)
		}
		fmt.Println("shoot", filepath.Join(dir, name+".png"))
		reply, err := in.ReadString('\n')
		if err != nil {
			return fmt.Errorf("no answer to the screenshot of %s: %w", name, err)
		}
		if strings.TrimSpace(reply) != "ok" {
			return fmt.Errorf("screenshot of %s: %s", name, strings.TrimSpace(reply))
		}
		return nil
	}
	if len(wizardScreens) > 0 {
		if err := wizard.PreviewEach(a, w, shell.DefaultSettings(), assets.Tags(), wizardScreens, screenshotSizes, shot); err != nil {
			return err
		}
	}
	if len(deskScreens) > 0 {
		return helpdesk.PreviewEach(a, w, shell.DefaultSettings(), assets.Tags(), deskScreens, screenshotSizes, shot)
	}
	return nil
}
