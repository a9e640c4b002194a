package watchlists

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/rotation-dev/rotation/sanitize"
)

// eraOrder is the order eras are reported in, matching the tab order.
var eraOrder = []Era{Benchmark, Training, Inference}

// BrokenFiles counts the distinct files errs are about, leaving out a
// directory-wide error (at source).
func BrokenFiles(source string, errs []*FileError) int {
	files := map[string]bool{}
	for _, e := range errs {
		if e.Path != source {
			files[e.Path] = true
		}
	}
	return len(files)
}

// WriteCheck prints the `rotation check` report: one row per file (broken
// files included, so none goes unnoticed), totals per era, then every error
// with its annotated source. Names from the disk and the files are
// sanitized, as FileError's Report is.
func WriteCheck(w io.Writer, set Set, errs []*FileError) {
	fmt.Fprintf(w, "Watchlists: %s\n\n", sanitize.Text(set.Source))

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FILE\tSEGMENT\tERA\tSYMBOLS")
	for _, row := range checkRows(set, errs) {
		fmt.Fprintln(tw, row)
	}
	tw.Flush()

	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ERA\tSEGMENTS\tSYMBOLS")
	for _, era := range eraOrder {
		segs, syms := eraTotals(set, era)
		fmt.Fprintf(tw, "%s\t%d\t%d\n", era, segs, syms)
	}
	fmt.Fprintf(tw, "all\t%d\t%d\n", len(set.Segments), len(set.Symbols()))
	tw.Flush()

	if len(errs) == 0 {
		fmt.Fprintln(w, "\nNo errors in the watchlists.")
		return
	}
	fmt.Fprintf(w, "\n%d %s:\n", len(errs), plural(len(errs), "error", "errors"))
	for _, e := range errs {
		fmt.Fprintf(w, "\n%s\n", e.Report())
	}
}

// checkRows returns the table rows, good and broken files interleaved in
// file-name order as they appear on disk.
func checkRows(set Set, errs []*FileError) []string {
	type row struct{ file, text string }
	var rows []row
	for _, seg := range set.Segments {
		rows = append(rows, row{seg.File, fmt.Sprintf("%s\t%s\t%s\t%d",
			sanitize.Text(seg.File), sanitize.Text(seg.Name), sanitize.Text(string(seg.Era)), len(seg.Symbols))})
	}
	// A broken file gets one row, whatever the number of its errors.
	var broken []string
	lines := map[string][]string{}
	for _, e := range errs {
		if e.Path == set.Source { // a directory-wide error has no row of its own
			continue
		}
		file := filepath.Base(e.Path)
		if _, ok := lines[file]; !ok {
			broken = append(broken, file)
			lines[file] = nil
		}
		// A line with several errors (a typo'd key and the key it leaves
		// missing) is named once; ParseAll gives them in line order.
		if l := strconv.Itoa(e.Line); e.Line > 0 && !slices.Contains(lines[file], l) {
			lines[file] = append(lines[file], l)
		}
	}
	for _, file := range broken {
		where := "error"
		switch n := len(lines[file]); {
		case n == 1:
			where = "error at line " + lines[file][0]
		case n > 1:
			where = "errors at lines " + strings.Join(lines[file], ", ")
		}
		rows = append(rows, row{file, fmt.Sprintf("%s\t(not loaded)\t-\t%s", sanitize.Text(file), where)})
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].file < rows[j].file })
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.text
	}
	return out
}

// eraTotals counts the segments of era and their distinct symbols.
func eraTotals(set Set, era Era) (segments, symbols int) {
	seen := make(map[string]bool)
	for _, seg := range set.Segments {
		if seg.Era != era {
			continue
		}
		segments++
		for _, s := range seg.Symbols {
			seen[s.Symbol] = true
		}
	}
	return segments, len(seen)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
