package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	gitcmd "github.com/benchgate/benchgate/internal/git"
	"github.com/benchgate/benchgate/internal/store"

	"github.com/benchgate/benchgate/gate"
	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/results"
)

// MaxCommentChars is the most characters Comment renders: below GitHub's
// 65,536, leaving room for the hidden marker and a margin.
const MaxCommentChars = 60000

// maxCharts bounds the history charts of one comment.
const maxCharts = 5

// CommentInput is everything a pull-request comment shows.
type CommentInput struct {
	// Suite names the suite (the comment's title and the check's name).
	Suite string
	// Outcome is the verdict; its Comparison is nil when there was no
	// baseline to compare with (its NoBaseline says why).
	Outcome comparison.Outcome
	// Baseline says which commit served as the baseline and how it was
	// chosen (baseline.Choice.Describe, or the same-runner note).
	Baseline string
	// Environment lists what differs between the baseline's and the
	// candidate's environment (runner, OS, Go version, …).
	Environment []EnvChange
	// Charts are the recent histories of regressed series.
	Charts []Chart
	// ReportURL is where the full report is (the workflow run's summary);
	// linked when the comment is cut.
	ReportURL string
	// Fork marks a comment produced by a fork's run with a read-only token
	// and posted by a privileged workflow_run workflow.
	Fork bool
	// HeadSHA is the commit measured.
	HeadSHA string
	// MaxChars caps the comment; 0 means MaxCommentChars.
	MaxChars int
}

// EnvChange is one environment property that differs between the sides.
type EnvChange struct {
	Name, Base, Head string
}

// Chart is the recent history of one series: the median of every run, oldest
// first, drawn as a Mermaid xychart-beta.
type Chart struct {
	Key    results.SeriesKey
	Unit   string
	Labels []string // x axis: a short commit per point
	Values []float64
}

// section is a part of the comment: head lines always shown together,
// rows that may be cut, and a tail that closes it.
type section struct {
	head []string
	rows []string
	tail []string
	// cuttable sections show as many rows as fit; others all or nothing.
	cuttable bool
}

func (s section) text() string {
	return strings.Join(s.head, "") + strings.Join(s.rows, "") + strings.Join(s.tail, "")
}

// Comment renders the pull-request comment: headline verdict, regressions
// and improvements tables (series, hardware, base, head, change with its
// interval, p/q, severity), inconclusive series, failed benchmarks,
// histories of regressed series, unchanged series folded in <details>, the
// baseline and how it was chosen, and environment changes. All text from
// the pull request is escaped. A comment longer than MaxChars is cut by
// whole rows and sections, and ends with a link to the full report.
func Comment(in CommentInput) string {
	limit := in.MaxChars
	if limit <= 0 {
		limit = MaxCommentChars
	}
	secs := commentSections(in)
	full := ""
	for _, s := range secs {
		full += s.text()
	}
	if utf8.RuneCountInString(full) <= limit {
		return full
	}
	note := cutNote(in.ReportURL)
	// Room for the note and the "N sections omitted" line.
	budget := limit - utf8.RuneCountInString(note) - 40
	var b strings.Builder
	used := 0
	omitted := 0
	for _, s := range secs {
		t := s.text()
		n := utf8.RuneCountInString(t)
		if used+n <= budget {
			b.WriteString(t)
			used += n
			continue
		}
		if !s.cuttable {
			omitted++
			continue
		}
		head, tail := strings.Join(s.head, ""), strings.Join(s.tail, "")
		const more = "\n_… %d more rows cut._\n"
		headN := utf8.RuneCountInString(head)
		reserve := utf8.RuneCountInString(tail + fmt.Sprintf(more, len(s.rows)))
		if used+headN+reserve > budget {
			omitted++
			continue
		}
		b.WriteString(head)
		used += headN
		shown := 0
		for _, r := range s.rows {
			rn := utf8.RuneCountInString(r)
			if used+rn+reserve > budget {
				break
			}
			b.WriteString(r)
			used += rn
			shown++
		}
		m := fmt.Sprintf(more, len(s.rows)-shown)
		b.WriteString(m + tail)
		used += utf8.RuneCountInString(m + tail)
	}
	if omitted > 0 {
		b.WriteString(fmt.Sprintf("\n_%s omitted._\n", comparison.Plural(omitted, "section", "sections")))
	}
	b.WriteString(note)
	return b.String()
}

// cutNote ends a comment that was cut.
func cutNote(url string) string {
	where := "the job summary of this run"
	if url != "" {
		where = "[the job summary of this run](" + url + ")"
	}
	return fmt.Sprintf("\n---\n**This comment was cut** to GitHub's comment size limit: the full report is in %s.\n", where)
}

// commentVerdict is the comment's headline icon and verdict.
func commentVerdict(in CommentInput) (icon, text string) {
	o := in.Outcome
	switch v := o.Verdict(); {
	case o.Blocks():
		icon = "❌"
	case v == comparison.VerdictRegression || v == comparison.VerdictFailed:
		icon = "⚠️" // below fail-on
	case v == comparison.VerdictNoBaseline:
		icon = "ℹ️"
	default:
		icon = "✅"
	}
	return icon, o.Headline()
}

func commentSections(in CommentInput) []section {
	icon, verdict := commentVerdict(in)
	title := fmt.Sprintf("### %s benchgate · %s — %s\n\n", icon, EscapeMarkdown(in.Suite), EscapeMarkdown(verdict))
	head := section{head: []string{title}}
	c := in.Outcome.Comparison
	if c == nil {
		reason := in.Outcome.NoBaseline
		if reason == "" {
			reason = "no stored run of the base branch yet"
		}
		head.head = append(head.head, "No comparison: "+EscapeMarkdown(reason)+". The results were measured")
		if in.HeadSHA != "" {
			head.head = append(head.head, " at "+CodeSpan(gitcmd.Short(in.HeadSHA)))
		}
		head.head = append(head.head, ".\n\n")
		secs := []section{head}
		if len(in.Outcome.Failed) > 0 {
			secs = append(secs, failedSection(in.Outcome.Failed))
		}
		return append(secs, footer(in)...)
	}
	switch {
	case c.Summary.Regressed == 0 && len(c.Failed) == 0 && c.Summary.Improved == 0 && c.Summary.Inconclusive == 0:
		head.head = append(head.head, "No significant change: every series is within its practical floor.\n\n")
	case c.Summary.Regressed == 0 && len(c.Failed) == 0:
		head.head = append(head.head, "No regression.\n\n")
	case !c.Regressed():
		head.head = append(head.head, fmt.Sprintf("Regressions below `fail-on: %s` are reported without failing.\n\n", c.FailOn))
	}
	secs := []section{head}
	var regressed, improved, inconclusive, same []comparison.Row
	for _, r := range c.Rows {
		switch {
		case r.Severity.IsRegression():
			regressed = append(regressed, r)
		case r.Severity == gate.SeverityImprovement:
			improved = append(improved, r)
		case r.Severity == gate.SeverityInconclusive:
			inconclusive = append(inconclusive, r)
		default:
			same = append(same, r)
		}
	}
	if len(regressed) > 0 {
		secs = append(secs, rowTable(fmt.Sprintf("#### Regressions (%d)\n\n", len(regressed)), regressed, "", ""))
	}
	if len(improved) > 0 {
		secs = append(secs, rowTable(fmt.Sprintf("#### Improvements (%d)\n\n", len(improved)), improved, "", ""))
	}
	if len(inconclusive) > 0 {
		secs = append(secs, rowTable(fmt.Sprintf("#### Inconclusive (%d)\n\nThe samples cannot tell a change from noise; more repetitions would.\n\n", len(inconclusive)), inconclusive, "", ""))
	}
	if len(c.Failed) > 0 {
		secs = append(secs, failedSection(c.Failed))
	}
	for i, ch := range in.Charts {
		if i == maxCharts {
			break
		}
		if s, ok := chartSection(ch); ok {
			secs = append(secs, s)
		}
	}
	if len(same) > 0 {
		secs = append(secs, rowTable(fmt.Sprintf("<details><summary>%s</summary>\n\n", comparison.Plural(len(same), "unchanged series", "unchanged series")),
			same, "\n</details>\n", "\n"))
	}
	if len(c.Missing) > 0 {
		s := section{head: []string{fmt.Sprintf("<details><summary>%s not compared (present on one side only)</summary>\n\n", comparison.Plural(len(c.Missing), "series", "series"))},
			tail: []string{"\n</details>\n\n"}, cuttable: true}
		for _, m := range c.Missing {
			s.rows = append(s.rows, fmt.Sprintf("- only in %s: %s\n", m.OnlyIn, EscapeMarkdown(keyLabel(m.Key))))
		}
		secs = append(secs, s)
	}
	return append(secs, footer(in)...)
}

// failedSection lists failed benchmarks with their error type and message.
func failedSection(failed []results.Result) section {
	s := section{head: []string{"#### Failed benchmarks\n\n"}, cuttable: true, tail: []string{"\n"}}
	for i, f := range failed {
		s.rows = append(s.rows, fmt.Sprintf("%d. %s on %s: %s: %s\n", i+1, EscapeMarkdown(f.Name), EscapeMarkdown(f.Hardware.Type),
			CodeSpan(string(f.Failure.Type)), EscapeMarkdown(truncate(f.Failure.Message, 300))))
	}
	return s
}

// rowTable is a cuttable table of rows under head, closed by tail lines.
func rowTable(head string, rows []comparison.Row, tail ...string) section {
	s := section{cuttable: true,
		head: []string{head, "| Series | Hardware | Base | Head | Change (CI) | p (q) | Severity |\n", "|---|---|--:|--:|--:|--:|---|\n"}}
	for _, r := range rows {
		name := seriesName(r)
		if r.Key.Metric != "" {
			name += " " + r.Key.Metric
		}
		s.rows = append(s.rows, fmt.Sprintf("| %s | %s | %s | %s | %s | %s | %s |\n",
			EscapeMarkdown(name), EscapeMarkdown(hardwareName(r)),
			EscapeMarkdown(FormatValue(r.BaseMedian, r.Unit)), EscapeMarkdown(FormatValue(r.HeadMedian, r.Unit)),
			EscapeMarkdown(interval(r)), EscapeMarkdown(pq(r)), severityCell(r)))
	}
	for _, t := range tail {
		if t != "" {
			s.tail = append(s.tail, t)
		}
	}
	if len(s.tail) == 0 {
		s.tail = []string{"\n"}
	}
	return s
}

// footer is the baseline, the environment changes and the fork note.
func footer(in CommentInput) []section {
	var s section
	if in.Baseline != "" {
		s.head = append(s.head, "**Baseline:** "+EscapeMarkdown(in.Baseline)+"\n\n")
	}
	if len(in.Environment) > 0 {
		s.head = append(s.head, "> [!NOTE]\n> **The environment changed** between baseline and candidate; differences may come from it:\n")
		for _, ch := range in.Environment {
			s.head = append(s.head, fmt.Sprintf("> - %s: %s → %s\n", EscapeMarkdown(ch.Name), CodeSpan(ch.Base), CodeSpan(ch.Head)))
		}
		s.head = append(s.head, "\n")
	}
	if in.Fork {
		s.head = append(s.head, "_This pull request comes from a fork: the benchmarks ran with a read-only token, and this comment was posted by a separate workflow after it checked that the pull request's head is still the commit measured")
		if in.HeadSHA != "" {
			s.head = append(s.head, " ("+CodeSpan(gitcmd.Short(in.HeadSHA))+")")
		}
		s.head = append(s.head, "._\n\n")
	}
	if in.ReportURL != "" {
		s.head = append(s.head, "[The full report and the logs of this run]("+in.ReportURL+")\n")
	}
	if len(s.head) == 0 {
		return nil
	}
	return []section{s}
}

// chartSection draws ch as a Mermaid xychart-beta; false when it has
// fewer than two finite points.
func chartSection(ch Chart) (section, bool) {
	var labels, vals []string
	for i, v := range ch.Values {
		if math.IsNaN(v) || math.IsInf(v, 0) || i >= len(ch.Labels) {
			continue
		}
		labels = append(labels, `"`+MermaidText(ch.Labels[i])+`"`)
		vals = append(vals, strconv.FormatFloat(v, 'g', 5, 64))
	}
	if len(vals) < 2 {
		return section{}, false
	}
	name := keyLabel(ch.Key)
	lines := []string{
		fmt.Sprintf("<details open><summary>History of %s</summary>\n\n", EscapeMarkdown(name)),
		"```mermaid\n",
		"xychart-beta\n",
		fmt.Sprintf("  title \"%s\"\n", MermaidText(truncate(name, 80))),
		fmt.Sprintf("  x-axis [%s]\n", strings.Join(labels, ", ")),
		fmt.Sprintf("  y-axis \"median (%s)\"\n", MermaidText(ch.Unit)),
		fmt.Sprintf("  line [%s]\n", strings.Join(vals, ", ")),
		"```\n\n</details>\n\n",
	}
	return section{head: lines}, true
}

// MermaidText makes untrusted text safe inside a quoted Mermaid string (a
// chart's title, axis labels): it keeps only characters that cannot end the
// string, open a bracket or start a directive — letters, digits, space and
// . _ / - = , + (no colon: no scheme a reader could take for a link) — and
// writes µ as u; anything else becomes _.
func MermaidText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', strings.ContainsRune(" ._/-=,+", r):
			return r
		case r == 'µ':
			return 'u'
		}
		return '_'
	}, s)
}

// EnvChanges lists the environment properties (and the runner) that differ
// between the baseline's run and the candidate's.
func EnvChanges(base, head store.Run) []EnvChange {
	var out []EnvChange
	if base.Runner != head.Runner {
		out = append(out, EnvChange{Name: "runner", Base: base.Runner, Head: head.Runner})
	}
	keys := map[string]bool{}
	for k := range base.Environment {
		keys[k] = true
	}
	for k := range head.Environment {
		keys[k] = true
	}
	var names []string
	for k := range keys {
		// Note: the workflow and job names identify the run, not the machine.
		if k != "github_workflow" && k != "github_job" && k != "github_repository" {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	for _, k := range names {
		if b, h := base.Environment[k], head.Environment[k]; b != h {
			out = append(out, EnvChange{Name: k, Base: b, Head: h})
		}
	}
	return out
}
