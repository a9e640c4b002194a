package feedstest

import (
	"os"
	"testing"
)

// LongEnv names the variable that turns on the long tests: soak, memory
// and large-watch budget runs. CI runs them by name (.ci/run); the README's
// test command leaves them out to stay quick.
const LongEnv = "ROTATION_LONG"

// Long skips tb unless ROTATION_LONG=1.
func Long(tb testing.TB) {
	tb.Helper()
	if os.Getenv(LongEnv) != "1" {
		tb.Skipf("a long test; run it with %s=1 (CI does)", LongEnv)
	}
}
