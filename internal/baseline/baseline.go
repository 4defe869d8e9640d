// Package baseline chooses the stored run that a pull request is compared
// with: the results of the PR's merge-base on the base branch, or, when
// that commit has none, of its nearest first-parent ancestor that has some
// (bounded), or, failing that, the newest run of the base branch — and says
// which one it chose, how far back and how old it is.
//
// Note: "whatever ran last" (the prior art's baseline) compares a PR with
// commits it does not contain; the merge-base is the code the PR changes.
// Walking first-parent history stays on the base branch's own commits,
// which are the ones benchmarked after each merge.
package baseline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	gitcmd "github.com/benchgate/benchgate/internal/git"

	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

// DefaultMaxDepth bounds the first-parent walk from the merge-base.
const DefaultMaxDepth = 50

// ErrNoBaseline is wrapped by Select's error when no run can serve.
var ErrNoBaseline = errors.New("no baseline run")

// Options says where to look.
type Options struct {
	RepoDir  string // a git checkout holding both commits; "" is the current directory
	Base     string // the base branch, e.g. "origin/main"; required
	Head     string // the PR's commit; "" is HEAD
	MaxDepth int    // first-parent commits tried after the merge-base; 0 is DefaultMaxDepth
	Git      string // git binary; "" is "git"
}

// Choice is the run chosen as the baseline.
type Choice struct {
	Run       store.Run
	MergeBase string
	// Commit is the commit whose run serves: the merge-base or one of its
	// first-parent ancestors. Empty for the fallback.
	Commit string
	// Depth is how many first-parent commits Commit is behind the
	// merge-base (0: the merge-base itself).
	Depth int
	// CommitTime is Commit's committer date (zero for the fallback).
	CommitTime time.Time
	// Fallback explains why the merge-base's history had no run and what
	// was used instead; "" when the walk found one.
	Fallback string
}

// Describe is one line for reports: which commit served, how far back, how
// old.
func (c Choice) Describe(now time.Time) string {
	run := fmt.Sprintf("run %s#%d", c.Run.ID, c.Run.Attempt)
	if c.Fallback != "" {
		return fmt.Sprintf("baseline: %s of commit %s (%s), measured %s ago — %s",
			run, gitcmd.Short(c.Run.Commit), c.Run.Ref, age(now.Sub(c.Run.CreatedAt)), c.Fallback)
	}
	where := "the merge-base"
	if c.Depth > 0 {
		where = fmt.Sprintf("%d first-parent commit(s) before the merge-base %s", c.Depth, gitcmd.Short(c.MergeBase))
	}
	return fmt.Sprintf("baseline: %s of commit %s, %s; commit %s old, run measured %s ago",
		run, gitcmd.Short(c.Commit), where, age(now.Sub(c.CommitTime)), age(now.Sub(c.Run.CreatedAt)))
}

// Select finds the baseline of o.Head against o.Base among db's runs.
func Select(ctx context.Context, db *store.DB, o Options) (Choice, error) {
	if o.Base == "" {
		return Choice{}, errors.New("selecting a baseline: no base branch")
	}
	head := o.Head
	if head == "" {
		head = "HEAD"
	}
	if err := gitcmd.CheckArg("base branch", o.Base); err != nil {
		return Choice{}, fmt.Errorf("selecting a baseline: %w", err)
	}
	// Note: a base that names a results file is a mistake here (the
	// baseline comes from the stored runs of a branch); a missing one is
	// said to be missing rather than left to git's "not a valid object".
	if results.LooksLikeFile(o.Base) {
		if _, err := os.Stat(o.Base); errors.Is(err, fs.ErrNotExist) {
			return Choice{}, fmt.Errorf("selecting a baseline: base branch %s: %w", o.Base, &results.MissingFileError{Path: o.Base})
		}
		return Choice{}, fmt.Errorf("selecting a baseline: base branch %s is a results file; leave the data branch out to compare with a file", o.Base)
	}
	if err := gitcmd.CheckArg("head commit", head); err != nil {
		return Choice{}, fmt.Errorf("selecting a baseline: %w", err)
	}
	mb, err := gitcmd.Cmd{Bin: o.Git, Dir: o.RepoDir}.Text(ctx, "merge-base", o.Base, head)
	if err != nil {
		return Choice{}, fmt.Errorf("finding the merge-base of %s and %s (a shallow clone needs fetch-depth: 0): %w", o.Base, head, err)
	}
	depth := o.MaxDepth
	if depth <= 0 {
		depth = DefaultMaxDepth
	}
	log, err := gitcmd.Cmd{Bin: o.Git, Dir: o.RepoDir}.Text(ctx, "log", "--first-parent", "--max-count="+strconv.Itoa(depth+1), "--format=%H %ct", mb)
	if err != nil {
		return Choice{}, fmt.Errorf("walking the history of %s: %w", mb, err)
	}
	runs, err := db.Runs(ctx)
	if err != nil {
		return Choice{}, err
	}
	// Runs is newest first: keep the newest run of each commit.
	byCommit := map[string]store.Run{}
	for _, r := range runs {
		if _, ok := byCommit[r.Commit]; !ok {
			byCommit[r.Commit] = r
		}
	}
	for i, line := range strings.Split(log, "\n") {
		sha, ts, _ := strings.Cut(line, " ")
		r, ok := byCommit[sha]
		if !ok {
			continue
		}
		sec, _ := strconv.ParseInt(ts, 10, 64)
		return Choice{Run: r, MergeBase: mb, Commit: sha, Depth: i, CommitTime: time.Unix(sec, 0).UTC()}, nil
	}
	// Fallback: the newest run of the base branch.
	branch := o.Base
	if i := strings.IndexByte(branch, '/'); i > 0 && !strings.HasPrefix(branch, "refs/") {
		branch = branch[i+1:] // origin/main → main
	}
	r, err := db.FindRun(ctx, branch)
	if err != nil {
		return Choice{}, fmt.Errorf("no run of the merge-base %s or its %d first-parent ancestors, and none of %s: %w", gitcmd.Short(mb), depth, branch, ErrNoBaseline)
	}
	return Choice{Run: r, MergeBase: mb, Fallback: fmt.Sprintf("no run of the merge-base %s or its %d first-parent ancestors; using the newest run of %s instead", gitcmd.Short(mb), depth, branch)}, nil
}

// age formats a duration coarsely: minutes, hours or days.
func age(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d.Hours()))
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}
