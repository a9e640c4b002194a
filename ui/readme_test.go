package ui

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// screenBlock is a README screen: a marker naming its golden, then a text
// fence holding the golden without colour.
var screenBlock = regexp.MustCompile("(?s)<!-- screen: ([A-Za-z0-9/_-]+) -->\n```text\n(.*?)```\n")

// TestREADMEScreens fails when a screen in the README differs from its
// golden; with -update it copies the goldens in.
func TestREADMEScreens(t *testing.T) {
	readme := filepath.Join("..", "README.md")
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	update := false
	if f := flag.Lookup("update"); f != nil {
		update = f.Value.String() == "true"
	}
	found := 0
	out := screenBlock.ReplaceAllStringFunc(string(data), func(block string) string {
		m := screenBlock.FindStringSubmatch(block)
		found++
		golden, err := os.ReadFile(filepath.Join("testdata", m[1]+".golden"))
		if err != nil {
			t.Errorf("README screen %s: %v", m[1], err)
			return block
		}
		lines := strings.Split(ansi.Strip(string(golden)), "\n")
		for i, l := range lines {
			lines[i] = strings.TrimRight(l, " ")
		}
		want := strings.Join(lines, "\n") + "\n"
		if m[2] != want && !update {
			t.Errorf("README screen %s differs from its golden; run: go test ./ui -run TestREADMEScreens -update", m[1])
		}
		return "<!-- screen: " + m[1] + " -->\n```text\n" + want + "```\n"
	})
	if found == 0 {
		t.Fatal("no screens found in the README")
	}
	if update && out != string(data) {
		if err := os.WriteFile(readme, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Every screen-looking line stays inside a fence: a box-drawing
	// character outside one is a screen that lost its fence.
	inFence := false
	for i, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "```") {
			inFence = !inFence
			continue
		}
		if !inFence && strings.ContainsAny(l, "╭╰│") && !strings.Contains(l, "`") {
			t.Errorf("README line %d looks like a screen outside a fence: %q", i+1, l)
		}
	}
}
