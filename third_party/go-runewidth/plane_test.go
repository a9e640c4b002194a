package runewidth

import (
	"os"
	"os/exec"
	"testing"
)

// TestOnePlaneBuiltAtATime: measuring with one East Asian setting builds
// that plane of the strict-width table and leaves the other unbuilt (its
// 1.1 MB never touched), and the other still builds when asked. It runs in
// a process of its own, because other tests build both planes.
func TestOnePlaneBuiltAtATime(t *testing.T) {
	if os.Getenv("RUNEWIDTH_PLANE_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestOnePlaneBuiltAtATime$")
		cmd.Env = append(os.Environ(), "RUNEWIDTH_PLANE_CHILD=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return
	}
	narrow := &Condition{StrictEmojiNeutral: true}
	if w := narrow.RuneWidth('│'); w != 1 {
		t.Fatalf("width of │ = %d, want 1", w)
	}
	if strictWidthLUTLimit[0].Load() != 0x110000 || strictWidthLUTLimit[1].Load() != 0x300 {
		t.Fatalf("limits %#x and %#x after a narrow lookup; want only the narrow plane built",
			strictWidthLUTLimit[0].Load(), strictWidthLUTLimit[1].Load())
	}
	wide := &Condition{StrictEmojiNeutral: true, EastAsianWidth: true}
	if w := wide.RuneWidth('│'); w != 2 {
		t.Fatalf("East Asian width of │ = %d, want 2", w)
	}
	if strictWidthLUTLimit[1].Load() != 0x110000 {
		t.Fatal("the East Asian plane was not built when asked for")
	}
}
