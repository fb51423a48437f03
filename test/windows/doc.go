// Package windows tests the Windows build as IT deploys it, under Wine
// (Debian 12's wine64, Wine 8.0) on Linux:
//
//   - the tests of client, desktop/config and desktop/embedded,
//     cross-compiled for Windows and run there: the staff number in the
//     Credential Manager, Group Policy values written with reg.exe, the
//     Demo inbox's outbox removed with Windows' file semantics;
//   - the wizard as scripts/package.sh builds it, started under Xvfb until
//     its window shows something, then closed as a person would;
//   - the wizard in Traditional Chinese, with no Chinese font in Windows,
//     against a real service and as the demonstration: its header drawn
//     the same both ways, in the embedded fonts;
//   - its MSI installed silently (the program and the fonts' licence),
//     the app started from Program Files with a configuration in
//     ProgramData and then with Group Policy over it,
//     upgraded by a newer build with the configuration left alone, and
//     uninstalled leaving the configuration;
//   - the Authenticode signatures scripts/sign.sh makes, with a
//     certificate made for the test.
//
// Each test makes its own Wine prefix (a fresh C: drive and registry) in a
// temporary directory and stops its wineserver afterwards.
//
// Two gaps of Wine 8 are bridged by test tooling, never by the product:
// Go needs bcryptprimitives.dll's ProcessPrng (Windows 10 and later), so a
// stand-in is built from testdata/bcryptprimitives.c with mingw-w64 into
// each prefix; and Wine lacks the FileDispositionInformationEx that
// os.RemoveAll uses on Windows 10, so the cross-compiled test binaries take
// Go's own fallback for older Windows, so that t.TempDir can clean up.
//
// The tests need Debian's wine, wine64, wixl, msitools, osslsigncode,
// gcc-mingw-w64-x86-64, xvfb, x11-utils and imagemagick (scripts/deps.sh
// installs them); a missing one fails the test and names its package.
package windows
