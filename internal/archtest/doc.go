// Package archtest holds the tests of the project's layering: which of its
// packages may import which. It has no code of its own.
package archtest
