package history

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Since is where a view of the history starts: at a date, at the last N
// commits, or at a commit. The analysis always covers the whole history
// (more context, and a save that does not depend on the view); Since only
// cuts what is shown.
type Since struct {
	Text   string    // as the user wrote it
	Time   time.Time // points (or first bad commits) at or after it
	Last   int       // the branch's last N commits
	Commit string    // a commit id or prefix: it and the commits after it
}

// ParseSince parses a date (2006-01-02 or RFC 3339), a number of commits
// N, or a commit id (at least 7 hex digits); "" is the whole history.
// allowLast and allowCommit say which of the last two the caller takes.
func ParseSince(s string, allowLast, allowCommit bool) (Since, error) {
	s = strings.TrimSpace(s)
	out := Since{Text: s}
	if s == "" {
		return out, nil
	}
	for _, layout := range []string{time.DateOnly, time.RFC3339, "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			out.Time = t.UTC()
			return out, nil
		}
	}
	if n, err := strconv.Atoi(s); err == nil && len(s) < 7 && allowLast {
		if n <= 0 {
			return out, fmt.Errorf("%q: want a positive number of commits", s)
		}
		out.Last = n
		return out, nil
	}
	if allowCommit && len(s) >= 7 && strings.Trim(strings.ToLower(s), "0123456789abcdef") == "" {
		out.Commit = strings.ToLower(s)
		return out, nil
	}
	var want []string
	want = append(want, "a date (2006-01-02)")
	if allowLast {
		want = append(want, "a number of commits")
	}
	if allowCommit {
		want = append(want, "a commit id (7+ hex digits)")
	}
	return out, fmt.Errorf("%q is not %s", s, strings.Join(want, " or "))
}

// errUnknownCommit is wrapped when a --since commit is not on the branch.
var errUnknownCommit = errors.New("commit not on the branch")

// From returns the first position of a.Commits that s shows (len(Commits)
// when none).
func (a *Analysis) From(s Since) (int, error) {
	switch {
	case s.Last > 0:
		return max(len(a.Commits)-s.Last, 0), nil
	case s.Commit != "":
		found := -1
		for i, c := range a.Commits {
			if strings.HasPrefix(strings.ToLower(c.Commit), s.Commit) {
				if found >= 0 {
					return 0, fmt.Errorf("commit %q is ambiguous on %s (%s, %s)", s.Text, RefName(a.Ref), a.Commits[found].Commit, c.Commit)
				}
				found = i
			}
		}
		if found < 0 {
			return 0, fmt.Errorf("commit %q has no run on %s: %w", s.Text, RefName(a.Ref), errUnknownCommit)
		}
		return found, nil
	case !s.Time.IsZero():
		for i, c := range a.Commits {
			if !c.First.Before(s.Time) {
				return i, nil
			}
		}
		return len(a.Commits), nil
	}
	return 0, nil
}
