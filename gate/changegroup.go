package gate

import (
	"cmp"
	"slices"
	"strings"
)

// SeriesChanges is the change points of one series, by its key, with the
// position of each of the series' points in the shared commit order.
type SeriesChanges struct {
	Key string
	// Positions[i] is the position of point i's commit in the history all
	// series share (e.g. its first-parent order on the main branch),
	// increasing. A series that starts late or skips commits has gaps.
	Positions []int
	Points    []ChangePoint
}

// ChangeGroup is a set of series whose histories changed at the same
// commits: one alert, one suspect commit range.
type ChangeGroup struct {
	// From and To bound the suspect commits in positions of the shared
	// commit order: those after From up to To (the last good commit and the
	// first bad one that every member's suspect range contains).
	From, To int
	// Keys and Points list the members in key order.
	Keys   []string
	Points []ChangePoint
	// Confirmed is set when every member is confirmed.
	Confirmed bool
}

// GroupChangePoints groups the change points of many series by commit: a
// change point's suspect range is the commits after its From point's
// position up to its To point's position (Previous and Index when both are
// zero), and change points whose
// ranges share at least one commit are one group (greedily, in order of
// the first bad commit). Groups are in commit order.
func GroupChangePoints(series []SeriesChanges) []ChangeGroup {
	type member struct {
		key      string
		from, to int
		cp       ChangePoint
	}
	var all []member
	for _, s := range series {
		for _, cp := range s.Points {
			from, to := cp.From, cp.To
			if from == 0 && to == 0 { // no location range: the best split
				from, to = cp.Previous, cp.Index
			}
			if from < 0 || to >= len(s.Positions) || from >= to {
				continue
			}
			all = append(all, member{s.Key, s.Positions[from], s.Positions[to], cp})
		}
	}
	slices.SortStableFunc(all, func(a, b member) int {
		return cmp.Or(cmp.Compare(a.to, b.to), cmp.Compare(a.from, b.from), strings.Compare(a.key, b.key))
	})
	var groups []ChangeGroup
	for _, m := range all {
		if n := len(groups); n > 0 {
			g := &groups[n-1]
			if from, to := max(g.From, m.from), min(g.To, m.to); from < to {
				g.From, g.To = from, to
				g.Keys = append(g.Keys, m.key)
				g.Points = append(g.Points, m.cp)
				g.Confirmed = g.Confirmed && m.cp.Confirmed
				continue
			}
		}
		groups = append(groups, ChangeGroup{From: m.from, To: m.to,
			Keys: []string{m.key}, Points: []ChangePoint{m.cp}, Confirmed: m.cp.Confirmed})
	}
	for i := range groups {
		g := &groups[i]
		order := make([]int, len(g.Keys))
		for k := range order {
			order[k] = k
		}
		slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(g.Keys[a], g.Keys[b]) })
		keys, points := make([]string, len(order)), make([]ChangePoint, len(order))
		for k, o := range order {
			keys[k], points[k] = g.Keys[o], g.Points[o]
		}
		g.Keys, g.Points = keys, points
	}
	return groups
}
