package service_test

import (
	"testing"

	"casreset/internal/testkit/pgtest"
)

// TestMain stops the PostgreSQL server that the tests on both engines
// share (see onEachEngine).
func TestMain(m *testing.M) { pgtest.Main(m) }
