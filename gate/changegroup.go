package gate

import (
	"slices"
	"strings"
)

// SeriesChanges is the change points of one series, by its key.
type SeriesChanges struct {
	Key    string
	Points []ChangePoint
}

// ChangeGroup is a set of series whose histories changed at the same commit:
// one alert, one suspect commit range.
type ChangeGroup struct {
	// Index is the earliest change index of the group: the suspect commits
	// are those after point Index−1 up to the group's latest index.
	Index, LastIndex int
	// Keys and Points list the members in index, then key order.
	Keys   []string
	Points []ChangePoint
	// Confirmed is set when every member is confirmed.
	Confirmed bool
}

// GroupChangePoints groups the change points of many series that share one
// commit history (the same index means the same commit): change points
// whose indexes lie within tolerance of the group's first are one group.
// Tolerance 0 groups exact matches only. Groups are in index order.
func GroupChangePoints(series []SeriesChanges, tolerance int) []ChangeGroup {
	type member struct {
		key string
		cp  ChangePoint
	}
	var all []member
	for _, s := range series {
		for _, cp := range s.Points {
			all = append(all, member{s.Key, cp})
		}
	}
	slices.SortStableFunc(all, func(a, b member) int {
		if a.cp.Index != b.cp.Index {
			return a.cp.Index - b.cp.Index
		}
		return strings.Compare(a.key, b.key)
	})
	var groups []ChangeGroup
	for _, m := range all {
		if n := len(groups); n > 0 && m.cp.Index-groups[n-1].Index <= tolerance {
			g := &groups[n-1]
			g.Keys = append(g.Keys, m.key)
			g.Points = append(g.Points, m.cp)
			g.LastIndex = max(g.LastIndex, m.cp.Index)
			g.Confirmed = g.Confirmed && m.cp.Confirmed
			continue
		}
		groups = append(groups, ChangeGroup{Index: m.cp.Index, LastIndex: m.cp.Index,
			Keys: []string{m.key}, Points: []ChangePoint{m.cp}, Confirmed: m.cp.Confirmed})
	}
	return groups
}
