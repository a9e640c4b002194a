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

// screenBlock is a screen in the README or a document under docs/: a marker
// naming its golden, then a text fence holding the golden without colour.
var screenBlock = regexp.MustCompile("(?s)<!-- screen: ([A-Za-z0-9/_-]+) -->\n```text\n(.*?)```\n")

// TestREADMEScreens fails when a screen in the README or in docs/*.md differs
// from its golden; with -update it copies the goldens in. The README must
// hold at least one screen; a document may hold none.
func TestREADMEScreens(t *testing.T) {
	update := false
	if f := flag.Lookup("update"); f != nil {
		update = f.Value.String() == "true"
	}
	docs, err := filepath.Glob(filepath.Join("..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := filepath.Join("..", "README.md")
	if found := checkScreens(t, readme, update); found == 0 {
		t.Fatal("no screens found in the README")
	}
	for _, doc := range docs {
		checkScreens(t, doc, update)
	}
}

// checkScreens checks (or with update rewrites) the screens of one Markdown
// file and returns how many it holds.
func checkScreens(t *testing.T, path string, update bool) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimPrefix(filepath.ToSlash(path), "../")
	found := 0
	out := screenBlock.ReplaceAllStringFunc(string(data), func(block string) string {
		m := screenBlock.FindStringSubmatch(block)
		found++
		golden, err := os.ReadFile(filepath.Join("testdata", m[1]+".golden"))
		if err != nil {
			t.Errorf("%s screen %s: %v", name, m[1], err)
			return block
		}
		lines := strings.Split(ansi.Strip(string(golden)), "\n")
		for i, l := range lines {
			lines[i] = strings.TrimRight(l, " ")
		}
		want := strings.Join(lines, "\n") + "\n"
		if m[2] != want && !update {
			t.Errorf("%s screen %s differs from its golden; run: go test ./ui -run TestREADMEScreens -update", name, m[1])
		}
		return "<!-- screen: " + m[1] + " -->\n```text\n" + want + "```\n"
	})
	if update && out != string(data) {
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
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
			t.Errorf("%s line %d looks like a screen outside a fence: %q", name, i+1, l)
		}
	}
	return found
}
