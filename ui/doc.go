// Package ui holds the widgets that the screens of the desktop app are
// built from: buttons that Enter presses, secret entries, wrapping labels,
// single choices, checklist lines, links and notices.
//
// The app itself is in the packages below:
//   - ui/shell: what every mode shares (the window and its chrome, the
//     language and translator, the theme and fonts, the idle timer, the
//     Demo inbox); it hosts one shell.Mode.
//   - ui/wizard: the reset wizard, a mode of the shell.
//   - ui/validate: the checks of fields as they are typed.
//
// None of them imports the service, the client or the desktop adapters
// (internal/archtest): they speak to ports that those fill.
package ui
