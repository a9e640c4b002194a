package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/baskets"
)

func newTestDetail(dark bool, w, h int, dd detailData) *detailView {
	s := NewStyles(dark)
	d := newDetailView(&s)
	d.SetSize(w, h)
	d.OpenFor(dd.Symbol.Symbol)
	d.SetData(dd)
	return &d
}

func TestDetailViewGolden(t *testing.T) {
	for _, size := range goldenSizes {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			d := newTestDetail(true, size[0], size[1], segDetailFixture("NVDA"))
			requireGolden(t, d.View())
		})
	}
}

func TestDetailViewLightGolden(t *testing.T) {
	d := newTestDetail(false, 120, 40, segDetailFixture("000660.KS"))
	requireGolden(t, d.View())
}

func TestDetailShowsKeyFigures(t *testing.T) {
	d := newTestDetail(true, 120, 40, segDetailFixture("NVDA"))
	screen := ansi.Strip(d.View())
	for _, want := range []string{
		"NVDA", "NVIDIA", "118.53", "+2.79", "▲ +2.41%", "115.74", // price, change, change %, previous close
		"1M return", "▲ +6.12%", "Basket 1M", "▲ +2.41%", "+3.71 pp", "vs SPY", "+5.07 pp",
		"NMS", "USD", "pre-market", "Wed 09:04:00 EDT", "real-time", "1,234,567",
		"2 (20.0%)", "PRE 120.10 ▲ +1.32%", "designs the TPU's SerDes", "esc back",
	} {
		if !strings.Contains(screen, want) {
			t.Errorf("detail lacks %q:\n%s", want, screen)
		}
	}
}

func TestDetailOpenCloseAndSymbolChange(t *testing.T) {
	s := NewStyles(true)
	d := newDetailView(&s)
	d.SetSize(100, 30)
	if d.Open() {
		t.Fatal("a new detail view is open")
	}
	d.OpenFor("NVDA")
	d.SetData(segDetailFixture("NVDA"))
	if !d.Open() || d.Symbol() != "NVDA" {
		t.Fatalf("open %v symbol %q, want NVDA open", d.Open(), d.Symbol())
	}
	d.OpenFor("AVGO") // the app moves the selection before it has AVGO's data
	if strings.Contains(ansi.Strip(d.View()), "118.53") {
		t.Error("NVDA's price is still shown after switching to AVGO")
	}
	d.Close()
	if d.Open() {
		t.Error("still open after Close")
	}
}

func TestDetailRebasesTheSymbolAtItsBase(t *testing.T) {
	dd := segDetailFixture("NVDA")
	s := NewStyles(true)
	d := newDetailView(&s)
	d.SetSize(100, 30)
	d.OpenFor("NVDA")
	d.SetData(dd)
	times, values := d.symbolIndex()
	w := dd.Symbol.Window
	if len(values) != len(w.Values) || !times[0].Equal(w.Times[0]) || abs(values[0]-100) > 1e-12 {
		t.Fatalf("%d points from %v at %.3f, want the %d of the window from its base %v at 100",
			len(values), times[0], values[0], len(w.Values), w.Times[0])
	}
	last := values[len(values)-1]
	if want := 100 + dd.Symbol.RangeReturn.Value; abs(last-want) > 1e-9 {
		t.Errorf("last point %.4f, want %.4f: the live price over the base", last, want)
	}
	dd.Symbol.Window = baskets.Line{}
	dd.Series.Times, dd.Series.Closes = nil, nil
	d.SetData(dd)
	if _, values := d.symbolIndex(); values != nil {
		t.Errorf("%d points without a window", len(values))
	}
	if !strings.Contains(ansi.Strip(d.View()), "SPY") {
		t.Error("the basket and benchmark are not drawn when the symbol has no series")
	}
}

func TestDetailViewFitsEverySize(t *testing.T) {
	for _, sym := range []string{"NVDA", "ZZZZ"} {
		dd := segDetailFixture(sym)
		for _, w := range []int{60, 61, 79, 80, 99, 109, 110, 111, 137, 200, 220} {
			for h := 1; h <= 70; h += 6 {
				d := newTestDetail(true, w, h, dd)
				requireFits(t, "detail of "+sym, d.View(), w, h)
			}
		}
	}
}

func BenchmarkDetailSetData(b *testing.B) {
	dd := segDetailFixture("NVDA")
	d := newTestDetail(true, 200, 60, dd)
	b.ReportAllocs()
	for b.Loop() {
		d.SetData(dd)
	}
}
