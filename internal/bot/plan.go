package bot

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/benchgate/benchgate/gate"
	gitcmd "github.com/benchgate/benchgate/internal/git"
	"github.com/benchgate/benchgate/internal/history"
	"github.com/benchgate/benchgate/internal/report"
)

// The labels the bot uses.
const (
	// LabelBot marks every issue the bot files; issues are listed by it.
	LabelBot = "benchgate"
	// LabelRegression marks an issue about a code regression.
	LabelRegression = "regression"
	// LabelInfra marks an issue whose range coincides with an environment
	// change (driver, CUDA, framework, runner), or that a maintainer
	// relabelled with /benchgate infra.
	LabelInfra = "infra"
	// LabelDigest marks the digest issue.
	LabelDigest = "benchgate-digest"
	// LabelAck: a maintainer acknowledged the issue: it stays open and the
	// bot posts no more comments on it (the body is still kept current).
	LabelAck = "benchgate-ack"
	// LabelAccepted: a maintainer accepted the change as the new baseline;
	// the issue is closed and never reopened, its range never refiled.
	LabelAccepted = "benchgate-accepted"
	// LabelInvalid: a maintainer marked the issue invalid; it is closed and
	// its range never refiled.
	LabelInvalid = "benchgate-invalid"
)

// Labels are the labels the bot creates (Apply ensures them first).
var Labels = []Label{
	{Name: LabelBot, Color: "5319e7", Description: "Filed by the benchgate bot"},
	{Name: LabelRegression, Color: "d73a4a", Description: "A benchmark regression on the main branch"},
	{Name: LabelInfra, Color: "fbca04", Description: "A change that coincides with an environment change"},
	{Name: LabelDigest, Color: "c5def5", Description: "benchgate: regressions waiting for an issue"},
	{Name: LabelAck, Color: "0e8a16", Description: "benchgate: acknowledged, no more pings"},
	{Name: LabelAccepted, Color: "bfdadc", Description: "benchgate: accepted as the new baseline"},
	{Name: LabelInvalid, Color: "e4e669", Description: "benchgate: not a real regression"},
}

// Kind is what an Action does.
type Kind string

// The kinds of Action.
const (
	KindOpen    Kind = "open"    // file a new issue (Title, Body, Labels)
	KindUpdate  Kind = "update"  // edit Issue's Title and Body
	KindComment Kind = "comment" // comment Comment on Issue
	KindClose   Kind = "close"   // comment Comment (if any), then close Issue with StateReason, Body replaced when set
	KindReopen  Kind = "reopen"  // reopen Issue with Title and Body, then comment Comment
	KindDigest  Kind = "digest"  // file (Issue 0) or edit and reopen the digest issue
)

// Action is one change to GitHub's issues.
type Action struct {
	Kind        Kind     `json:"kind"`
	Issue       int      `json:"issue,omitempty"` // 0 for a new issue
	Title       string   `json:"title,omitempty"`
	Body        string   `json:"body,omitempty"`
	Labels      []string `json:"labels,omitempty"`
	Comment     string   `json:"comment,omitempty"`
	StateReason string   `json:"state_reason,omitempty"`
	// Reason says why, for people (plain text).
	Reason string `json:"reason"`
}

// Plan is what a sync does: Actions in order.
type Plan struct {
	Ref       string    `json:"ref"`
	Generated time.Time `json:"generated"`
	Actions   []Action  `json:"actions"`
}

// Options configure Plan.
type Options struct {
	// Ref is the analysed ref recorded in markers; empty, the analysis's.
	Ref string
	// Repo is OWNER/NAME, for compare links.
	Repo string
	// MinSeverity is the least severity that files an issue; zero is
	// major.
	MinSeverity gate.Severity
	// MaxNew is the most issues a plan opens; the rest go into the digest.
	// Zero is 5, negative none.
	MaxNew int
	// SiteURL, when set, is the Pages site linked from each series.
	SiteURL string
	// Now stamps the plan (never a body, so that an unchanged analysis
	// renders unchanged bodies).
	Now time.Time
}

// DefaultMaxNew is Options.MaxNew's default.
const DefaultMaxNew = 5

// botIssue is an existing issue with its parsed marker.
type botIssue struct {
	Issue
	m       Marker
	claimed bool
}

func hasLabel(is Issue, l string) bool { return slices.Contains(is.Labels, l) }

// maintained reports whether a maintainer closed the range for good.
func (b *botIssue) maintained() bool {
	return hasLabel(b.Issue, LabelAccepted) || hasLabel(b.Issue, LabelInvalid)
}

func (b *botIssue) open() bool { return b.State == "open" }

// overlaps reports whether b's recorded suspect commits share one with cs.
func (b *botIssue) overlaps(cs []string) bool {
	return slices.ContainsFunc(b.m.Commits, func(c string) bool { return slices.Contains(cs, c) }) ||
		(b.m.Accepted != "" && slices.Contains(cs, b.m.Accepted))
}

// older orders issues by creation, then number.
func older(a, b *botIssue) int {
	if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
		return c
	}
	return cmp.Compare(a.Number, b.Number)
}

// NewPlan returns the actions that reconcile existing (the issues labelled
// LabelBot, in any state) with a. It does no I/O.
//
// Per group of a (one suspect commit range), the issue it matches is the
// oldest unclaimed issue of the same ref whose recorded suspect commits
// overlap the group's, preferring one a maintainer accepted or marked
// invalid (the range is then left alone), then an open one, then one the
// bot closed. A match is updated in place (a comment too when a series
// joined or a severity rose, unless acknowledged), closed when every
// regression of the group is resolved (unless acknowledged), or reopened
// when closed and regressed again. A group with no match files a new
// issue when a confirmed regression reaches MinSeverity and it is not
// resolved, unless a closed issue of the same series recovered before the
// range (the series regressed again: that issue is reopened on the new
// range). At most MaxNew issues are filed; the rest are listed in the
// digest issue. Open issues whose ranges overlap are duplicates: the
// younger is closed, linking the older.
func NewPlan(a *history.Analysis, existing []Issue, o Options) Plan {
	if o.Ref == "" {
		o.Ref = a.Ref
	}
	if o.MinSeverity == gate.SeverityNone {
		o.MinSeverity = gate.SeverityMajor
	}
	if o.MaxNew == 0 {
		o.MaxNew = DefaultMaxNew
	}
	p := Plan{Ref: o.Ref, Generated: o.Now, Actions: []Action{}}
	var issues []*botIssue
	var digests []Issue
	for _, is := range existing {
		if is.IsPullRequest || !hasLabel(is, LabelBot) {
			continue
		}
		if isDigest(is.Body, o.Ref) {
			digests = append(digests, is)
			continue
		}
		if m, ok := ParseMarker(is.Body); ok && m.Ref == o.Ref {
			issues = append(issues, &botIssue{Issue: is, m: m})
		}
	}
	slices.SortStableFunc(issues, older)
	p.dedupe(issues)

	var fresh []*view
	for i := range a.Groups {
		v := newView(a, &a.Groups[i], o.MinSeverity)
		b := match(issues, v.suspects())
		switch {
		case b == nil:
			if v.severe && !v.resolved {
				if r := regressedAgain(a, issues, v); r != nil {
					r.claimed = true
					p.reopen(a, o, r, v)
					continue
				}
				fresh = append(fresh, v)
			}
		case b.maintained():
		case b.open():
			p.current(a, o, b, v)
		case v.severe && !v.resolved:
			p.reopen(a, o, b, v)
		}
	}
	budget := max(o.MaxNew, 0)
	for _, v := range fresh[:min(budget, len(fresh))] {
		m := Marker{Fingerprint: Fingerprint(o.Ref, v.g.Commit), Ref: o.Ref}
		label := LabelRegression
		if v.infra {
			label = LabelInfra
		}
		p.Actions = append(p.Actions, Action{Kind: KindOpen, Title: v.title(), Body: v.body(a, o, v.marker(m)),
			Labels: []string{LabelBot, label}, Reason: "new " + v.reason()})
	}
	p.digest(digests, fresh[min(budget, len(fresh)):], o)
	return p
}

// reason describes v for Action.Reason: "confirmed major regression of 2
// series at abc1234".
func (v *view) reason() string {
	return fmt.Sprintf("%s regression of %d series at %s", v.maxSeverity, v.regs, gitcmd.Short(v.g.Commit))
}

// marker returns m brought up to date with v's range and series.
func (v *view) marker(m Marker) Marker {
	m.Good, m.Bad, m.Commits, m.Series = v.g.PreviousCommit, v.g.Commit, v.suspects(), v.marks()
	return m
}

// dedupe closes each open issue whose range overlaps an older open one's
// (or shares its fingerprint), linking the older; the younger is claimed.
func (p *Plan) dedupe(issues []*botIssue) {
	var kept []*botIssue
	for _, b := range issues {
		if !b.open() || b.maintained() {
			continue
		}
		i := slices.IndexFunc(kept, func(k *botIssue) bool { return k.m.Fingerprint == b.m.Fingerprint || k.overlaps(b.m.Commits) })
		if i < 0 {
			kept = append(kept, b)
			continue
		}
		b.claimed = true
		p.Actions = append(p.Actions, Action{Kind: KindClose, Issue: b.Number, StateReason: "duplicate",
			Comment: fmt.Sprintf("Duplicate of #%d, which covers the same commit range; closing this younger one.", kept[i].Number),
			Reason:  fmt.Sprintf("duplicate of #%d", kept[i].Number)})
	}
}

// closedDuplicate reports whether b was closed as a duplicate (or as not
// planned without a maintainer's label).
func closedDuplicate(b *botIssue) bool {
	return !b.open() && !b.maintained() && (b.StateReason == "duplicate" || b.StateReason == "not_planned")
}

// match claims and returns the issue for suspect commits cs: the oldest
// unclaimed overlapping one, maintainer-closed first, then open, then
// closed by the bot (a closed duplicate matches nothing).
func match(issues []*botIssue, cs []string) *botIssue {
	rank := func(b *botIssue) int {
		switch {
		case b.maintained():
			return 0
		case b.open():
			return 1
		case !closedDuplicate(b):
			return 2
		}
		return -1
	}
	var best *botIssue
	for _, b := range issues {
		if b.claimed || rank(b) < 0 || !b.overlaps(cs) {
			continue
		}
		if best == nil || rank(b) < rank(best) {
			best = b
		}
	}
	if best != nil {
		best.claimed = true
	}
	return best
}

// regressedAgain returns a closed issue the bot closed on recovery whose
// series share one with v's regressions, recovered at or before v's last
// good commit: the series regressed again.
func regressedAgain(a *history.Analysis, issues []*botIssue, v *view) *botIssue {
	pos := map[string]int{}
	for i, c := range a.Commits {
		pos[c.Commit] = i
	}
	ids := v.marks()
	for _, b := range issues {
		if b.claimed || b.open() || b.maintained() || b.m.Resolved == "" || closedDuplicate(b) {
			continue
		}
		at, ok := pos[b.m.Resolved]
		if !ok || at > v.g.From {
			continue
		}
		if slices.ContainsFunc(b.m.Series, func(s SeriesMark) bool {
			return slices.ContainsFunc(ids, func(t SeriesMark) bool { return t.ID == s.ID })
		}) {
			return b
		}
	}
	return nil
}

// current keeps open issue b current with v: closed when v is resolved,
// else updated, with a comment on a material change.
func (p *Plan) current(a *history.Analysis, o Options, b *botIssue, v *view) {
	acked := hasLabel(b.Issue, LabelAck)
	m := v.marker(b.m)
	if v.resolved && !acked {
		m.Resolved = v.recovery[len(v.recovery)-1]
		p.Actions = append(p.Actions, Action{Kind: KindClose, Issue: b.Number, Body: v.body(a, o, m), StateReason: "completed",
			Comment: v.closing(), Reason: "recovered at " + gitcmd.Short(m.Resolved)})
		return
	}
	body, title := v.body(a, o, m), v.title()
	if body == b.Body && title == b.Title {
		return
	}
	p.Actions = append(p.Actions, Action{Kind: KindUpdate, Issue: b.Number, Title: title, Body: body, Reason: "numbers or members changed"})
	if c := material(b.m, v); c != "" && !acked {
		p.Actions = append(p.Actions, Action{Kind: KindComment, Issue: b.Number, Comment: c, Reason: "material change"})
	}
}

// reopen reopens closed issue b on v's range.
func (p *Plan) reopen(a *history.Analysis, o Options, b *botIssue, v *view) {
	m := v.marker(b.m)
	m.Resolved = ""
	was := ""
	if b.m.Bad != v.g.Commit {
		was = fmt.Sprintf(" (it was at %s)", report.CodeSpan(gitcmd.Short(b.m.Bad)))
	}
	p.Actions = append(p.Actions, Action{Kind: KindReopen, Issue: b.Number, Title: v.title(), Body: v.body(a, o, m),
		Comment: fmt.Sprintf("Regressed again at %s%s: reopening.", report.CodeSpan(gitcmd.Short(v.g.Commit)), was),
		Reason:  "regressed again: " + v.reason()})
}

// material describes what changed materially since marker m: series that
// joined and severities that rose ("" when none).
func material(m Marker, v *view) string {
	was := map[string]string{}
	for _, s := range m.Series {
		was[s.ID] = s.Severity
	}
	var joined, rose []string
	for _, mb := range v.members[:v.regs] {
		id, sev := mb.Series.Key.ID(), mb.Change.Severity
		old, ok := was[id]
		name := report.EscapeMarkdown(mb.Series.Name() + " " + mb.Series.Key.Metric + " " + hardwareCell(mb.Series.Key))
		switch {
		case !ok:
			joined = append(joined, fmt.Sprintf("- %s (%s, %s)", name, report.FormatChange(mb.Change.Magnitude), sev))
		case severityOf(sev) > severityOf(old):
			rose = append(rose, fmt.Sprintf("- %s: %s → %s", name, old, sev))
		}
	}
	var b strings.Builder
	if len(joined) > 0 {
		fmt.Fprintf(&b, "%d more series regressed in this range:\n%s\n", len(joined), strings.Join(joined[:min(len(joined), 30)], "\n"))
		if len(joined) > 30 {
			fmt.Fprintf(&b, "- and %d more\n", len(joined)-30)
		}
	}
	if len(rose) > 0 {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "Severity rose:\n%s\n", strings.Join(rose[:min(len(rose), 30)], "\n"))
	}
	return b.String()
}

// closing is the comment that closes v's issue on recovery: the recovering
// commit and the net effect of each series (its level after the recovery
// against the level before the regression).
func (v *view) closing() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Every regressed series is back: %s. Closing.\n\nNet effect (after the recovery against before the regression):\n\n", v.recoveryText())
	for i, m := range v.members[:v.regs] {
		if i == 30 {
			fmt.Fprintf(&b, "- and %d more\n", v.regs-30)
			break
		}
		net := "—"
		if r := recovered(m.Series, m.Change); r != nil && m.Change.Before != 0 {
			net = report.FormatChange(r.After/m.Change.Before - 1)
		}
		fmt.Fprintf(&b, "- %s %s: %s\n", report.EscapeMarkdown(m.Series.Name()), report.EscapeMarkdown(m.Series.Key.Metric), net)
	}
	return b.String()
}

// digest files, updates, reopens or closes the digest issue listing
// the groups left over by the alert budget.
func (p *Plan) digest(digests []Issue, left []*view, o Options) {
	slices.SortStableFunc(digests, func(x, y Issue) int {
		if xo, yo := x.State == "open", y.State == "open"; xo != yo {
			if xo {
				return -1
			}
			return 1
		}
		return x.CreatedAt.Compare(y.CreatedAt)
	})
	var d *Issue
	if len(digests) > 0 {
		d = &digests[0]
	}
	if len(left) == 0 {
		if d != nil && d.State == "open" {
			p.Actions = append(p.Actions, Action{Kind: KindClose, Issue: d.Number, StateReason: "completed",
				Comment: "Every range listed here has an issue now, or no longer qualifies.", Reason: "digest empty"})
		}
		return
	}
	title := fmt.Sprintf("benchgate: %d regression ranges waiting for an issue", len(left))
	var b strings.Builder
	b.WriteString(digestMarker(o.Ref) + "\n")
	fmt.Fprintf(&b, "## %s\n\nThe alert budget (%d new issues per sync) left these out; later syncs file them.\n\n", title, o.MaxNew)
	b.WriteString("| First bad | Last good | Regression | Severity |\n|---|---|---|---|\n")
	for i, v := range left {
		row := fmt.Sprintf("| %s | %s | %s | %s |\n", report.CodeSpan(gitcmd.Short(v.g.Commit)), report.CodeSpan(gitcmd.Short(v.g.PreviousCommit)),
			report.EscapeMarkdown(v.headline()), v.maxSeverity)
		if b.Len()+len(row) > MaxBody-200 {
			fmt.Fprintf(&b, "\n_%d more not shown._\n", len(left)-i)
			break
		}
		b.WriteString(row)
	}
	body := b.String()
	switch {
	case d == nil:
		p.Actions = append(p.Actions, Action{Kind: KindDigest, Title: title, Body: body, Labels: []string{LabelBot, LabelDigest},
			Reason: fmt.Sprintf("%d ranges over the budget", len(left))})
	case d.State != "open" || d.Body != body || d.Title != title:
		p.Actions = append(p.Actions, Action{Kind: KindDigest, Issue: d.Number, Title: title, Body: body,
			Reason: fmt.Sprintf("%d ranges over the budget", len(left))})
	}
}
