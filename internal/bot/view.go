package bot

import (
	"slices"
	"strings"

	"github.com/benchgate/benchgate/gate"
	"github.com/benchgate/benchgate/internal/history"
)

// view is what Plan and the body need to know about one group.
type view struct {
	g *history.Group
	// members are the group's members, regressions first (most severe and
	// largest first), then the others in key order.
	members []history.Member
	regs    int // regressions among members
	// severe is set when a confirmed regression reaches the severity asked.
	severe bool
	// maxSeverity is the regressions' highest severity.
	maxSeverity gate.Severity
	// infra is set when a regression coincides with an environment change.
	infra bool
	// resolved is set when every regression is resolved; recovery lists
	// the resolving commits in commit order.
	resolved bool
	recovery []string
}

// severityOf parses a Change's severity; improvements and unknown values
// are SeverityImprovement.
func severityOf(s string) gate.Severity {
	v, err := gate.ParseSeverity(s)
	if err != nil {
		return gate.SeverityImprovement
	}
	return v
}

func newView(a *history.Analysis, g *history.Group, min gate.Severity) *view {
	v := &view{g: g, members: slices.Clone(g.Members)}
	isReg := func(m history.Member) bool { return m.Change.Direction == history.Regression }
	slices.SortStableFunc(v.members, func(x, y history.Member) int {
		switch rx, ry := isReg(x), isReg(y); {
		case rx && !ry:
			return -1
		case ry && !rx:
			return 1
		case !rx:
			return 0
		}
		if d := severityOf(y.Change.Severity) - severityOf(x.Change.Severity); d != 0 {
			return int(d)
		}
		wx, wy := x.Change.Worsening(x.Series.Better), y.Change.Worsening(y.Series.Better)
		switch {
		case wx > wy:
			return -1
		case wx < wy:
			return 1
		}
		return 0
	})
	pos := map[string]int{}
	for i, c := range a.Commits {
		pos[c.Commit] = i
	}
	v.resolved = true
	for _, m := range v.members {
		if !isReg(m) {
			continue
		}
		v.regs++
		c := m.Change
		sev := severityOf(c.Severity)
		v.maxSeverity = max(v.maxSeverity, sev)
		if c.Status == history.Confirmed && sev.Reaches(min) {
			v.severe = true
		}
		if len(c.Env) > 0 {
			v.infra = true
		}
		if c.ResolutionCommit == "" {
			v.resolved = false
		} else if !slices.Contains(v.recovery, c.ResolutionCommit) {
			v.recovery = append(v.recovery, c.ResolutionCommit)
		}
	}
	if v.regs == 0 {
		v.resolved = false
	}
	slices.SortFunc(v.recovery, func(x, y string) int { return pos[x] - pos[y] })
	return v
}

// suspects returns the group's suspect commits: the first bad one, then
// those between the last good one and it.
func (v *view) suspects() []string {
	return append([]string{v.g.Commit}, v.g.Between...)
}

// marks returns the regressed series of the group for a marker.
func (v *view) marks() []SeriesMark {
	var out []SeriesMark
	for _, m := range v.members[:v.regs] {
		out = append(out, SeriesMark{m.Series.Key.ID(), m.Change.Severity})
	}
	return out
}

// envText lists the environment changes of the group's regressions, one
// per distinct text.
func (v *view) envText() string {
	var out []string
	for _, m := range v.members[:v.regs] {
		if t := m.Change.EnvText(); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return strings.Join(out, "; ")
}

// recovered returns the change of s that resolved c (nil when none).
func recovered(s *history.Series, c *history.Change) *history.Change {
	for _, later := range s.Changes {
		if later.Commit == c.ResolutionCommit && later.Index > c.Index {
			return later
		}
	}
	return nil
}
