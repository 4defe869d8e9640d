package report

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/benchgate/benchgate/gate"
	"github.com/benchgate/benchgate/internal/comparison"
)

// TableWidth is the width the terminal table fits in: long series names
// are abbreviated in the middle ("BenchmarkVery…/size=1000") to keep every
// line of a table within it; --format json has the full names.
const TableWidth = 120

// Table writes the verdict as plain text for a terminal, laid out as
// benchstat users expect: one table per metric and unit, regressions first
// (most severe first), then improvements, then the rest; what every row
// shares (hardware, package, procs, sample counts) is stated once above the
// tables; each table ends with the geometric mean of its changes when it
// has two rows or more, and with the notes its rows point to (¹, ²).
// Untrusted text passes through OneLine.
func Table(w io.Writer, c *comparison.Comparison) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nbaseline:  %s\ncandidate: %s\n", OneLine(comparison.Headline(c)), OneLine(sideLabel(c.Base)), OneLine(sideLabel(c.Head)))
	sh := sharedOf(c.Rows)
	for _, kv := range sh.lines {
		b.WriteString(kv + "\n")
	}
	groups := c.Groups()
	if len(groups) > 0 {
		writeGroups(&b, groups, sh)
		b.WriteString("\n" + wrap(tableLegend, TableWidth, ""))
	}
	for i, f := range c.Failed {
		if i == 0 {
			b.WriteString("\nFailed benchmarks:\n")
		}
		fmt.Fprintf(&b, "%d. %s on %s: %s: %s\n", i+1, OneLine(f.Name), OneLine(f.Hardware.Type), OneLine(string(f.Failure.Type)), OneLine(truncate(f.Failure.Message, 300)))
	}
	for i, m := range c.Missing {
		if i == 0 {
			b.WriteString("\nNot compared (one side only):\n")
		}
		fmt.Fprintf(&b, "- only in %s: %s\n", m.OnlyIn, OneLine(keyLabel(m.Key)))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// tableLegend says once what the columns of Table hold.
// Note: the interval is at the gate's default confidence, the only one the
// CLI, the suite file and the action can set.
var tableLegend = fmt.Sprintf("CI: %g%% confidence interval of the change. P: one-sided p-value in the direction of the change: "+
	"p(worse), the gate's test, for a change for the worse; p(better) for a change for the better. "+
	"Q: Benjamini–Hochberg q-value of p(worse) across all series (blank for a change for the better). "+
	"benchstat's two-sided p is p_two_sided in --format json.", gate.DefaultPolicy.Confidence*100)

// shared is what every row of a table has in common, stated once.
type shared struct {
	lines    []string        // "hardware: cpu (Test CPU)", "pkg: example.com/p", …
	params   map[string]bool // parameter keys every row has with one value
	hardware bool            // every row is on one hardware
	n        bool            // every row has the same sample counts
}

// sharedOf finds what rows share: hardware, parameters (key and value) and
// sample counts. Nothing is shared by fewer than two rows' worth of
// evidence only when there is a single row, which still reads well.
func sharedOf(rows []comparison.Row) shared {
	sh := shared{params: map[string]bool{}}
	if len(rows) == 0 {
		return sh
	}
	first := rows[0]
	sh.hardware, sh.n = true, true
	values := paramMap(first.Key.Params)
	for _, r := range rows[1:] {
		sh.hardware = sh.hardware && r.Key.HardwareName() == first.Key.HardwareName()
		sh.n = sh.n && r.NBase == first.NBase && r.NHead == first.NHead
		pm := paramMap(r.Key.Params)
		for k, v := range values {
			if pv, ok := pm[k]; !ok || pv != v {
				delete(values, k)
			}
		}
	}
	if sh.hardware {
		sh.lines = append(sh.lines, "hardware: "+OneLine(first.Key.HardwareName()))
	}
	for _, kv := range strings.Split(first.Key.Params, ",") {
		k, v, _ := strings.Cut(kv, "=")
		if k == "" {
			continue
		}
		if _, ok := values[k]; ok {
			sh.params[k] = true
			sh.lines = append(sh.lines, OneLine(k)+": "+OneLine(v))
		}
	}
	if sh.n {
		if first.NBase == first.NHead {
			sh.lines = append(sh.lines, fmt.Sprintf("samples: %d per side", first.NBase))
		} else {
			sh.lines = append(sh.lines, fmt.Sprintf("samples: %d baseline, %d candidate", first.NBase, first.NHead))
		}
	}
	return sh
}

// paramMap splits a series key's "k=v,k=v" parameters.
func paramMap(params string) map[string]string {
	m := map[string]string{}
	for _, kv := range strings.Split(params, ",") {
		if k, v, _ := strings.Cut(kv, "="); k != "" {
			m[k] = v
		}
	}
	return m
}

// rowLabel is a row's name in Table: the benchmark with the parameters
// that not every row shares.
func rowLabel(r comparison.Row, sh shared) string {
	var keep []string
	for _, kv := range strings.Split(r.Key.Params, ",") {
		if k, _, _ := strings.Cut(kv, "="); !sh.params[k] {
			keep = append(keep, kv)
		}
	}
	n := r.Key.Benchmark
	if p := DisplayParams(strings.Join(keep, ",")); p != "" {
		n += " [" + p + "]"
	}
	return OneLine(n)
}

// groupTitle names a table: the metric, its unit when that differs, and
// which way is better.
func groupTitle(g comparison.Group) string {
	t := g.Metric
	if g.Unit != "" && g.Unit != g.Metric {
		t += " (" + g.Unit + ")"
	}
	return OneLine(t) + ", " + g.Better.String() + " is better"
}

// tableRow is one line of a table: its cells and the note it points to.
type tableRow struct {
	cells []string
	note  string
}

// writeGroups lays the groups out with one set of column widths, so that
// the tables line up, abbreviating names to fit TableWidth.
func writeGroups(b *strings.Builder, groups []comparison.Group, sh shared) {
	head := []string{"", "BASE", "HEAD", "CHANGE", "CI", "P", "Q"}
	right := []bool{false, true, true, true, false, true, true}
	if !sh.hardware {
		head, right = append(head, "HARDWARE"), append(right, false)
	}
	if !sh.n {
		head, right = append(head, "N"), append(right, true)
	}
	head, right = append(head, "VERDICT"), append(right, false)

	tables := make([][]tableRow, len(groups))
	widths := make([]int, len(head))
	for i, h := range head {
		widths[i] = width(h)
	}
	for gi, g := range groups {
		for _, r := range g.Rows {
			p, better := directionP(r)
			q := ""
			if !better {
				q = FormatP(r.Q)
			}
			cells := []string{rowLabel(r, sh), ScaledValue(r.BaseMedian, r.Unit), ScaledValue(r.HeadMedian, r.Unit),
				FormatChange(r.Change), ciText(r), FormatP(p), q}
			if !sh.hardware {
				cells = append(cells, OneLine(hardwareName(r)))
			}
			if !sh.n {
				cells = append(cells, fmt.Sprintf("%d/%d", r.NBase, r.NHead))
			}
			cells = append(cells, severityText(r))
			tables[gi] = append(tables[gi], tableRow{cells: cells, note: OneLine(note(r))})
		}
		if len(g.Rows) > 1 && g.GeomeanN > 0 {
			cells := make([]string, len(head))
			cells[0], cells[3] = "geomean", FormatChange(g.Geomean-1)
			tables[gi] = append(tables[gi], tableRow{cells: cells})
		}
		for _, tr := range tables[gi] {
			for i, cell := range tr.cells {
				widths[i] = max(widths[i], width(cell))
			}
		}
	}
	// The verdict cell carries a footnote mark of up to 3 runes. When the
	// lines are too wide, the wider of the name and hardware columns gives
	// way, one rune at a time, down to a floor.
	const gap, mark = 2, 3
	for _, g := range groups {
		widths[0] = max(widths[0], min(width(groupTitle(g)), 40))
	}
	hw := slices.Index(head, "HARDWARE")
	floor := func(i int) int {
		if i == 0 {
			return 16
		}
		return 12
	}
	for {
		total := mark + gap*(len(widths)-1)
		for _, w := range widths {
			total += w
		}
		i := 0
		if hw > 0 && widths[hw]-floor(hw) > widths[0]-floor(0) {
			i = hw
		}
		if total <= TableWidth || widths[i] <= floor(i) {
			break
		}
		widths[i]--
	}

	line := func(cells []string, suffix string) {
		var l strings.Builder
		for i, cell := range cells {
			if i == 0 || i == hw {
				cell = abbreviate(cell, widths[i])
			}
			pad := strings.Repeat(" ", widths[i]-width(cell))
			if i > 0 {
				l.WriteString(strings.Repeat(" ", gap))
			}
			if right[i] {
				l.WriteString(pad + cell)
			} else if i == len(cells)-1 {
				l.WriteString(cell + suffix)
			} else {
				l.WriteString(cell + pad)
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " ") + "\n")
	}
	for gi, g := range groups {
		b.WriteString("\n")
		title := groupTitle(g)
		if width(title) > widths[0] {
			b.WriteString(title + "\n")
			title = ""
		}
		line(append([]string{title}, head[1:]...), "")
		var notes []string
		for _, tr := range tables[gi] {
			suffix := ""
			if tr.note != "" {
				i := slices.Index(notes, tr.note)
				if i < 0 {
					notes = append(notes, tr.note)
					i = len(notes) - 1
				}
				suffix = superscript(i + 1)
			}
			line(tr.cells, suffix)
		}
		for i, n := range notes {
			b.WriteString(wrap(superscript(i+1)+" "+n, TableWidth, "  "))
		}
	}
}

// directionP is the one-sided p-value of the direction of r's change, and
// whether that is "better": the gate tests "worse" (P), so a change for
// the better would otherwise show a p near 1 next to a sizeable
// improvement. A regression always shows P.
func directionP(r comparison.Row) (p float64, better bool) {
	if r.Severity == gate.SeverityImprovement || (!r.Severity.IsRegression() && r.Worsening() < 0) {
		return r.PBetter, true
	}
	return r.P, false
}

// ciText is the interval of the change, "[-5.0%, +49.4%]", or "" when
// there is none.
func ciText(r comparison.Row) string {
	if math.IsNaN(r.Low) || math.IsNaN(r.High) {
		return ""
	}
	return "[" + FormatChange(r.Low) + ", " + FormatChange(r.High) + "]"
}

// width is the number of columns s takes: its runes (the table's text is
// OneLine output, which has no control or zero-width characters).
func width(s string) int { return utf8.RuneCountInString(s) }

// abbreviate cuts s to n runes by replacing its middle with "…", keeping
// the start (the benchmark) and the end (its sub-benchmark or parameters).
func abbreviate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n || n < 3 {
		return s
	}
	head := (n - 1) / 2
	tail := n - 1 - head
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}

// superscript writes n in superscript digits: ¹, ², ¹⁰.
func superscript(n int) string {
	const digits = "⁰¹²³⁴⁵⁶⁷⁸⁹"
	sup := []rune(digits)
	var b strings.Builder
	for _, d := range fmt.Sprint(n) {
		b.WriteRune(sup[d-'0'])
	}
	return b.String()
}

// wrap breaks s into lines of at most n runes at spaces, indenting every
// line after the first; a word longer than a line stays whole.
func wrap(s string, n int, indent string) string {
	var b strings.Builder
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case width(line)+1+width(word) <= n:
			line += " " + word
		default:
			b.WriteString(line + "\n")
			line = indent + word
		}
	}
	if line != "" {
		b.WriteString(line + "\n")
	}
	return b.String()
}
