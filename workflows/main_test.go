package workflows_test

import (
	"testing"

	"github.com/traject-ocmw/traject/testenv"
)

// The package shares one embedded Temporal server between its tests.
func TestMain(m *testing.M) { testenv.Main(m) }
