package bot

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/benchgate/benchgate/internal/comparison"
	gitcmd "github.com/benchgate/benchgate/internal/git"
	"github.com/benchgate/benchgate/internal/history"
	"github.com/benchgate/benchgate/internal/report"
	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/site"
)

// MaxBody is GitHub's limit on an issue's body, in characters.
const MaxBody = 65536

// maxTitle is GitHub's limit on an issue's title, in characters.
const maxTitle = 256

const (
	maxCharts       = 6  // Mermaid charts per body
	chartPoints     = 30 // points per chart
	maxBetweenShown = 20 // commits between listed in the body
	maxCommands     = 6  // benchgate history commands listed
)

var (
	repoRe = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)
	shaRe  = regexp.MustCompile(`^[0-9a-f]{7,64}$`)
)

// plainText makes untrusted text safe for an issue title or a table's
// plain column: one line, mentions and references broken with a word
// joiner.
func plainText(s string) string {
	return strings.NewReplacer("@", "@\u2060", "#", "#\u2060").Replace(report.OneLine(s))
}

// worsening returns the regressions' worsening range as text: "+10 %" or
// "+10–15 %".
func worsening(ms []history.Member) string {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, m := range ms {
		w := m.Change.Worsening(m.Series.Better) * 100
		lo, hi = min(lo, w), max(hi, w)
	}
	if len(ms) == 0 {
		return ""
	}
	if math.Round(lo) == math.Round(hi) {
		return fmt.Sprintf("+%.0f %%", hi)
	}
	return fmt.Sprintf("+%.0f–%.0f %%", lo, hi)
}

// hardwareList lists the distinct hardware types and devices of ms.
func hardwareList(ms []history.Member) string {
	var out []string
	for _, m := range ms {
		for _, h := range []string{m.Series.Key.Hardware, m.Series.Key.Device} {
			if h != "" && !slices.Contains(out, h) {
				out = append(out, h)
			}
		}
	}
	return strings.Join(out, ", ")
}

// headline is the group's headline in plain (unescaped) text, e.g.
// "Regression: 2 series +10–15 % at abc1234 (cuda, H100)".
func (v *view) headline() string {
	kind := "Regression"
	if v.infra {
		kind = "Infrastructure change"
	}
	regs := v.members[:v.regs]
	t := fmt.Sprintf("%s: %s %s at %s", kind, comparison.Plural(v.regs, "series", "series"), worsening(regs), gitcmd.Short(v.g.Commit))
	if v.regs == 1 {
		t = fmt.Sprintf("%s: %s %s at %s", kind, regs[0].Series.Name(), worsening(regs), gitcmd.Short(v.g.Commit))
	}
	if hw := hardwareList(regs); hw != "" {
		t += " (" + hw + ")"
	}
	return t
}

// title is the issue title: the headline, sanitised and cut to GitHub's
// limit.
func (v *view) title() string {
	return report.Truncate(plainText(v.headline()), maxTitle)
}

// hardwareCell describes a series' machine: "cuda (H100), runner r1".
func hardwareCell(k results.SeriesKey) string {
	h := k.HardwareName()
	if k.Runner != "" {
		h += ", runner " + k.Runner
	}
	return h
}

// SeriesURL returns the link to a series' page on the reports site at
// site (benchgate site): the site's root and the page's route.
func SeriesURL(siteURL string, k results.SeriesKey) string {
	return strings.TrimRight(siteURL, "/") + "/" + site.SeriesPath(k)
}

// statusCell is a change's status: "confirmed", "provisional", or with
// "resolved at <commit>".
func statusCell(c *history.Change) string {
	s := c.Status
	if c.ResolutionCommit != "" {
		s += ", resolved at " + report.CodeSpan(gitcmd.Short(c.ResolutionCommit))
	}
	return s
}

// bodyLayout is how much of a group a body shows.
type bodyLayout struct {
	rows   int // series rows
	charts bool
}

// body renders the issue body of v with marker m, shrinking it to MaxBody:
// first without charts, then with fewer rows.
func (v *view) body(a *history.Analysis, o Options, m Marker) string {
	l := bodyLayout{rows: len(v.members), charts: true}
	b := v.render(a, o, m, l)
	if len(b) <= MaxBody {
		return b
	}
	l.charts = false
	for {
		b = v.render(a, o, m, l)
		if len(b) <= MaxBody || l.rows == 0 {
			return b
		}
		over := len(b) - MaxBody
		per := max(1, (len(b)-len(v.render(a, o, m, bodyLayout{})))/max(l.rows, 1))
		l.rows = max(0, l.rows-max(1, over/per+1))
	}
}

// render renders the body of v with layout l.
func (v *view) render(a *history.Analysis, o Options, m Marker, l bodyLayout) string {
	var b strings.Builder
	g := v.g
	b.WriteString(m.String() + "\n")
	fmt.Fprintf(&b, "## %s\n\n", report.EscapeMarkdown(v.headline()))
	fmt.Fprintf(&b, "benchgate found %s in the history of %s between %s (last good) and %s (first bad)",
		comparison.Plural(v.regs, "regressed series", "regressed series"), report.CodeSpan(history.RefName(a.Ref)),
		report.CodeSpan(gitcmd.Short(g.PreviousCommit)), report.CodeSpan(gitcmd.Short(g.Commit)))
	if n := len(v.members) - v.regs; n > 0 {
		fmt.Fprintf(&b, ", with %s in the same range", comparison.Plural(n, "other change", "other changes"))
	}
	b.WriteString(".\n\n")
	if v.infra {
		fmt.Fprintf(&b, "> [!WARNING]\n> The environment changed in this range (%s): this is filed as `infra`, not as a code regression.\n\n",
			report.EscapeMarkdown(v.envText()))
	}
	if v.resolved {
		fmt.Fprintf(&b, "> [!NOTE]\n> Every regressed series is back: %s.\n\n", v.recoveryText())
	}
	b.WriteString("| Benchmark | Params | Metric | Hardware | Before → after | Change [95 % interval] | Severity | Status |")
	sep := "|---|---|---|---|---|---:|---|---|"
	if o.SiteURL != "" {
		b.WriteString(" Page |")
		sep += "---|"
	}
	b.WriteString("\n" + sep + "\n")
	for _, mb := range v.members[:min(l.rows, len(v.members))] {
		s, c := mb.Series, mb.Change
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s → %s | %s [%s, %s] | %s | %s |",
			report.EscapeMarkdown(s.Key.Benchmark), report.EscapeMarkdown(report.DisplayParams(s.Key.Params)),
			report.EscapeMarkdown(s.Key.Metric), report.EscapeMarkdown(hardwareCell(s.Key)),
			report.EscapeMarkdown(report.FormatValue(c.Before, s.Unit)), report.EscapeMarkdown(report.FormatValue(c.After, s.Unit)),
			report.FormatChange(c.Magnitude), report.FormatChange(c.Low), report.FormatChange(c.High),
			c.Severity, statusCell(c))
		if o.SiteURL != "" {
			fmt.Fprintf(&b, " [page](%s) |", SeriesURL(o.SiteURL, s.Key))
		}
		b.WriteString("\n")
	}
	if n := len(v.members) - l.rows; n > 0 {
		fmt.Fprintf(&b, "\n_%s not shown (GitHub's limit on an issue's length); `benchgate changes` lists them all._\n",
			comparison.Plural(n, "more series", "more series"))
	}
	v.writeRange(&b, o)
	if l.charts {
		v.writeCharts(&b)
	} else {
		b.WriteString("\n_Charts left out (GitHub's limit on an issue's length)._\n")
	}
	v.writeCommands(&b)
	return b.String()
}

// recoveryText names the recovering commits: "recovered at `abc1234`".
func (v *view) recoveryText() string {
	var cs []string
	for _, c := range v.recovery {
		cs = append(cs, report.CodeSpan(gitcmd.Short(c)))
	}
	return "recovered at " + strings.Join(cs, ", ")
}

// writeRange writes the suspect range: last good, first bad, the commits
// between and a compare link.
func (v *view) writeRange(b *strings.Builder, o Options) {
	g := v.g
	b.WriteString("\n### Suspect range\n\n")
	fmt.Fprintf(b, "- Last good: %s\n- First bad: %s\n", report.CodeSpan(g.PreviousCommit), report.CodeSpan(g.Commit))
	if n := len(g.Between); n > 0 {
		var cs []string
		for _, c := range g.Between[:min(n, maxBetweenShown)] {
			cs = append(cs, report.CodeSpan(gitcmd.Short(c)))
		}
		more := ""
		if n > maxBetweenShown {
			more = fmt.Sprintf(" and %d more", n-maxBetweenShown)
		}
		fmt.Fprintf(b, "- %s between: %s%s\n", comparison.Plural(n, "commit", "commits"), strings.Join(cs, ", "), more)
	}
	if repoRe.MatchString(o.Repo) && shaRe.MatchString(g.PreviousCommit) && shaRe.MatchString(g.Commit) {
		fmt.Fprintf(b, "- Compare: https://github.com/%s/compare/%s...%s\n", o.Repo, g.PreviousCommit, g.Commit)
	}
}

// writeCharts writes a Mermaid chart of the history around the change of
// the first maxCharts members.
func (v *view) writeCharts(b *strings.Builder) {
	b.WriteString("\n### History\n\n")
	shown := 0
	for _, m := range v.members {
		if shown == maxCharts {
			break
		}
		if chart(b, m) {
			shown++
		}
	}
	if n := len(v.members) - shown; n > 0 && shown == maxCharts {
		fmt.Fprintf(b, "_%s left out._\n", comparison.Plural(n, "more chart", "more charts"))
	}
}

// chart writes the chart of m's series: at most chartPoints points from
// 15 before the change; false when it has fewer than two points.
func chart(b *strings.Builder, m history.Member) bool {
	ps := m.Series.Points
	start := max(0, m.Change.Index-chartPoints/2)
	end := min(len(ps), start+chartPoints)
	start = max(0, end-chartPoints)
	var labels, vals []string
	for _, p := range ps[start:end] {
		if math.IsNaN(p.Median) || math.IsInf(p.Median, 0) {
			continue
		}
		labels = append(labels, `"`+report.MermaidText(gitcmd.Short(p.Commit))+`"`)
		vals = append(vals, strconv.FormatFloat(p.Median, 'g', 5, 64))
	}
	if len(vals) < 2 {
		return false
	}
	name := m.Series.Name() + " " + m.Series.Key.Metric + " " + hardwareCell(m.Series.Key)
	fmt.Fprintf(b, "<details><summary>%s</summary>\n\n```mermaid\nxychart-beta\n  title \"%s\"\n  x-axis [%s]\n  y-axis \"median (%s)\"\n  line [%s]\n```\n\n</details>\n\n",
		report.EscapeMarkdown(name), report.MermaidText(report.Truncate(name, 80)), strings.Join(labels, ", "), report.MermaidText(m.Series.Unit), strings.Join(vals, ", "))
	return true
}

// shellQuote quotes s for a POSIX shell, on one line.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(report.OneLine(s), "'", `'\''`) + "'"
}

// writeCommands writes the commands that reproduce the analysis.
func (v *view) writeCommands(b *strings.Builder) {
	cmds := []string{"benchgate changes --since " + gitcmd.Short(v.g.PreviousCommit)}
	var names []string
	for _, m := range v.members[:v.regs] {
		if !slices.Contains(names, m.Series.Key.Benchmark) {
			names = append(names, m.Series.Key.Benchmark)
		}
	}
	for _, n := range names[:min(len(names), maxCommands)] {
		cmds = append(cmds, "benchgate history --benchmark "+shellQuote(n))
	}
	if n := len(names) - maxCommands; n > 0 {
		cmds = append(cmds, fmt.Sprintf("# and %d more benchmarks", n))
	}
	b.WriteString("\n### Reproduce\n\n" + strings.ReplaceAll(report.CodeBlock(strings.Join(cmds, "\n")), "```text\n", "```sh\n"))
}
