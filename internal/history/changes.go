package history

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/benchgate/benchgate/internal/comparison"
	gitcmd "github.com/benchgate/benchgate/internal/git"
	"github.com/benchgate/benchgate/internal/report"
)

// jsonEnv is one environment property that changed with a change point.
type jsonEnv struct {
	Name   string `json:"name"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// jsonChange is one change point (docs/schema/changes.schema.json).
type jsonChange struct {
	jsonSeriesKey
	Commit             string     `json:"commit"`
	PreviousCommit     string     `json:"previous_commit"`
	CommitsBetween     []string   `json:"commits_between"`
	Date               time.Time  `json:"date"`
	Change             jsonNumber `json:"change"`
	ChangeLow          jsonNumber `json:"change_low"`
	ChangeHigh         jsonNumber `json:"change_high"`
	Before             jsonNumber `json:"before"`
	After              jsonNumber `json:"after"`
	P                  jsonNumber `json:"p"`
	Direction          string     `json:"direction"`
	Severity           string     `json:"severity"`
	Status             string     `json:"status"`
	EnvironmentChanges []jsonEnv  `json:"environment_changes"`
	ResolvedAt         *time.Time `json:"resolved_at"`
	ResolutionCommit   string     `json:"resolution_commit"`
}

func changeJSON(s *Series, c *Change) jsonChange {
	j := jsonChange{jsonSeriesKey: keyOf(s), Commit: c.Commit, PreviousCommit: c.PreviousCommit, CommitsBetween: c.Between, Date: c.Date,
		Change: jsonNumber(c.Magnitude), ChangeLow: jsonNumber(c.Low), ChangeHigh: jsonNumber(c.High),
		Before: jsonNumber(c.Before), After: jsonNumber(c.After), P: jsonNumber(c.P),
		Direction: c.Direction, Severity: c.Severity, Status: c.Status, EnvironmentChanges: []jsonEnv{},
		ResolvedAt: c.ResolvedAt, ResolutionCommit: c.ResolutionCommit}
	if j.CommitsBetween == nil {
		j.CommitsBetween = []string{}
	}
	for _, e := range c.Env {
		j.EnvironmentChanges = append(j.EnvironmentChanges, jsonEnv{e.Name, e.Base, e.Head})
	}
	return j
}

type jsonGroup struct {
	PreviousCommit string       `json:"previous_commit"`
	Commit         string       `json:"commit"`
	CommitsBetween []string     `json:"commits_between"`
	Date           time.Time    `json:"date"`
	Status         string       `json:"status"`
	Regressions    int          `json:"regressions"`
	Improvements   int          `json:"improvements"`
	ChangePoints   []jsonChange `json:"change_points"`
}

// ShownGroups returns the groups whose first bad commit s shows (at or
// after its date, commit or last N commits).
func (a *Analysis) ShownGroups(s Since) ([]Group, error) {
	from, err := a.From(s)
	if err != nil {
		return nil, err
	}
	var out []Group
	for _, g := range a.Groups {
		if g.To >= from {
			out = append(out, g)
		}
	}
	return out, nil
}

// counts returns the regressions and improvements of g.
func (g Group) counts() (regressions, improvements int) {
	for _, m := range g.Members {
		if m.Change.Direction == Regression {
			regressions++
		} else {
			improvements++
		}
	}
	return regressions, improvements
}

// status is Confirmed when every member is, else Provisional.
func (g Group) status() string {
	if g.Confirmed {
		return Confirmed
	}
	return Provisional
}

// ChangesJSON writes the change points of a whose first bad commit s shows,
// grouped by suspect commit range (docs/schema/changes.schema.json).
func ChangesJSON(w io.Writer, a *Analysis, s Since) error {
	groups, err := a.ShownGroups(s)
	if err != nil {
		return err
	}
	out := struct {
		Ref     string      `json:"ref"`
		Since   string      `json:"since"`
		Series  int         `json:"series"`
		Commits int         `json:"commits"`
		Groups  []jsonGroup `json:"groups"`
	}{Ref: a.Ref, Since: s.Text, Series: len(a.Series), Commits: len(a.Commits), Groups: []jsonGroup{}}
	for _, g := range groups {
		jg := jsonGroup{PreviousCommit: g.PreviousCommit, Commit: g.Commit, CommitsBetween: g.Between, Date: g.Date,
			Status: g.status(), ChangePoints: []jsonChange{}}
		if jg.CommitsBetween == nil {
			jg.CommitsBetween = []string{}
		}
		jg.Regressions, jg.Improvements = g.counts()
		for _, m := range g.Members {
			jg.ChangePoints = append(jg.ChangePoints, changeJSON(m.Series, m.Change))
		}
		out.Groups = append(out.Groups, jg)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// statusText is c's status with its resolution: "confirmed, resolved at
// abc123456789".
func (c *Change) statusText() string {
	if c.ResolutionCommit == "" {
		return c.Status
	}
	return c.Status + ", resolved at " + gitcmd.Short(c.ResolutionCommit)
}

// groupTitle is a group's suspect range in one line: "b596b64..74b8559
// (2 commits between), 2025-11-10: 1 regression, 1 improvement,
// confirmed".
func groupTitle(g Group, code func(string) string) string {
	r, i := g.counts()
	t := code(gitcmd.Short(g.PreviousCommit)) + ".." + code(gitcmd.Short(g.Commit))
	if n := len(g.Between); n > 0 {
		t += fmt.Sprintf(" (%d commits between)", n)
	}
	return fmt.Sprintf("%s, %s: %s, %s, %s", t, g.Date.Format(time.DateOnly),
		comparison.Plural(r, "regression", "regressions"), comparison.Plural(i, "improvement", "improvements"), g.status())
}

// summary counts what a holds: "30 commits, 2 series, 1 change group".
func (a *Analysis) summary(groups int) string {
	return comparison.Plural(len(a.Commits), "commit", "commits") + ", " + comparison.Plural(len(a.Series), "series", "series") + ", " +
		comparison.Plural(groups, "change group", "change groups")
}

// ChangesTable writes the change points of a whose first bad commit s
// shows, one block per suspect commit range: the range, then one line per
// series (name, metric, hardware, change with its interval, direction,
// severity, status, environment change), sanitised.
func ChangesTable(w io.Writer, a *Analysis, s Since) error {
	groups, err := a.ShownGroups(s)
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", report.OneLine(RefName(a.Ref)), a.summary(len(groups)))
	for _, g := range groups {
		b.WriteString("\n" + report.OneLine(groupTitle(g, func(s string) string { return s })) + "\n")
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  series\tmetric\thardware\tchange\tinterval\tdirection\tseverity\tstatus\tenvironment")
		for _, m := range g.Members {
			c, sr := m.Change, m.Series
			hw, status := sr.Key.HardwareName(), c.statusText()
			env := c.EnvText()
			if env == "" {
				env = "-"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t[%s, %s]\t%s\t%s\t%s\t%s\n", report.OneLine(sr.Name()), report.OneLine(sr.Key.Metric), report.OneLine(hw),
				report.FormatChange(c.Magnitude), report.FormatChange(c.Low), report.FormatChange(c.High), c.Direction, c.Severity,
				report.OneLine(status), report.OneLine(env))
		}
		tw.Flush()
	}
	return writeTrimmed(w, b.String())
}

// ChangesMarkdown writes the change points of a whose first bad commit s
// shows as GitHub Markdown: a heading per suspect commit range and a table
// of its series, untrusted text escaped (report.EscapeMarkdown).
func ChangesMarkdown(w io.Writer, a *Analysis, s Since) error {
	groups, err := a.ShownGroups(s)
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "## Change points on %s\n\n%s.\n", report.CodeSpan(RefName(a.Ref)), a.summary(len(groups)))
	for _, g := range groups {
		b.WriteString("\n### " + groupTitle(g, report.CodeSpan) + "\n\n")
		b.WriteString("| Series | Metric | Hardware | Change | Interval | Direction | Severity | Status | Environment |\n")
		b.WriteString("|---|---|---|---:|---|---|---|---|---|\n")
		for _, m := range g.Members {
			c, sr := m.Change, m.Series
			hw, status := sr.Key.HardwareName(), c.statusText()
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
				report.EscapeMarkdown(sr.Name()), report.EscapeMarkdown(sr.Key.Metric), report.EscapeMarkdown(hw),
				report.EscapeMarkdown(report.FormatChange(c.Magnitude)),
				report.EscapeMarkdown("["+report.FormatChange(c.Low)+", "+report.FormatChange(c.High)+"]"),
				c.Direction, c.Severity, report.EscapeMarkdown(status), report.EscapeMarkdown(c.EnvText()))
		}
	}
	_, err = io.WriteString(w, b.String())
	return err
}
