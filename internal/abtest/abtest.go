package abtest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/benchgate/benchgate/internal/comparison"
	gitcmd "github.com/benchgate/benchgate/internal/git"

	"github.com/benchgate/benchgate/internal/config"
	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/runner"
)

// DefaultRounds is R, the number of interleaved rounds (docs/STATISTICS.md §7.1).
const DefaultRounds = 10

// MinRounds is the smallest R accepted: fewer cannot reach significance.
const MinRounds = 5

// Options configures Run.
type Options struct {
	// Jobs are the candidate's planned jobs (config.Suite.Plan); their
	// working directories must lie inside RepoDir.
	Jobs []config.Job
	// RepoDir is the top level of the candidate's git checkout.
	RepoDir string
	// Base is the commit the baseline runs (e.g. the merge-base).
	Base string
	// Rounds is R; 0 is DefaultRounds.
	Rounds int
	// Seed draws the order of each round; 0 draws a seed from the clock
	// (Result.Seed says which, for reproduction).
	Seed uint64
	// NoPrepare skips the untimed warm-up run of each side.
	NoPrepare bool
	Log       *slog.Logger
	// Env is the benchmarks' base environment (see runner.Options.Env).
	Env []string
	// Parse turns a run's output into results (see runner.Options.Parse).
	Parse func(job config.Job, data []byte, source string) ([]results.Result, error)
}

// Result is what Run measured.
type Result struct {
	Base, Head []results.Result // merged over rounds; failures kept
	Rounds     int
	Seed       uint64
	// Order is, per round, "base,head" or "head,base".
	Order    []string
	Worktree string // where the base side ran (removed when Run returns)
}

// Side names.
const (
	SideBase = "base"
	SideHead = "head"
)

// Run measures base and head in interleaved, randomised rounds.
func Run(ctx context.Context, o Options) (Result, error) {
	rounds := o.Rounds
	if rounds == 0 {
		rounds = DefaultRounds
	}
	if rounds < MinRounds {
		return Result{}, fmt.Errorf("same-runner mode: %d rounds: want at least %d", rounds, MinRounds)
	}
	if o.Parse == nil {
		return Result{}, errors.New("same-runner mode: no Parse")
	}
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	seed := o.Seed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	wt, cleanup, err := worktree(ctx, o.RepoDir, o.Base)
	if err != nil {
		return Result{}, err
	}
	defer cleanup()
	headJobs, err := roundJobs(o.Jobs, o.RepoDir, o.RepoDir)
	if err != nil {
		return Result{}, err
	}
	baseJobs, err := roundJobs(o.Jobs, o.RepoDir, wt)
	if err != nil {
		return Result{}, err
	}
	sides := map[string][]config.Job{SideBase: baseJobs, SideHead: headJobs}
	ropts := runner.Options{Log: log, Env: o.Env, Parse: o.Parse}
	res := Result{Rounds: rounds, Seed: seed, Worktree: wt}
	if !o.NoPrepare {
		for _, s := range []string{SideBase, SideHead} {
			log.Info("preparing side (untimed warm-up run)", "side", s)
			if _, err := runner.Run(ctx, sides[s], ropts); err != nil {
				return res, fmt.Errorf("preparing %s: %w", s, err)
			}
		}
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	acc := map[string]*accumulator{SideBase: {}, SideHead: {}}
	for r := 1; r <= rounds; r++ {
		order := []string{SideBase, SideHead}
		if rng.IntN(2) == 1 {
			order[0], order[1] = order[1], order[0]
		}
		res.Order = append(res.Order, strings.Join(order, ","))
		for _, s := range order {
			log.Info("same-runner round", "round", r, "of", rounds, "side", s)
			outs, err := runner.Run(ctx, sides[s], ropts)
			if err != nil {
				return res, fmt.Errorf("round %d, %s: %w", r, s, err)
			}
			acc[s].add(r, runner.Results(outs))
		}
	}
	res.Base, res.Head = acc[SideBase].results(), acc[SideHead].results()
	return res, nil
}

// worktree checks out commit in a new detached git worktree of repo and
// returns its directory and a function that removes it.
func worktree(ctx context.Context, repo, commit string) (string, func(), error) {
	parent, err := os.MkdirTemp("", "benchgate-base-")
	if err != nil {
		return "", nil, err
	}
	dir := filepath.Join(parent, "base")
	if err := gitcmd.CheckArg("base commit", commit); err != nil {
		os.RemoveAll(parent)
		return "", nil, err
	}
	g := gitcmd.In(repo)
	if _, err := g.Text(ctx, "worktree", "add", "--quiet", "--detach", "--", dir, commit); err != nil {
		os.RemoveAll(parent)
		return "", nil, fmt.Errorf("checking out the base %s in a worktree: %w", commit, err)
	}
	cleanup := func() {
		// Note: a fresh context, so that the worktree goes even when ctx ended.
		_, _ = g.Text(context.Background(), "worktree", "remove", "--force", dir)
		os.RemoveAll(parent)
		_, _ = g.Text(context.Background(), "worktree", "prune")
	}
	return dir, cleanup, nil
}

// roundJobs copies jobs for one side: working directories under repo moved
// under root, one repetition each, Go benchmarks at -count=1.
func roundJobs(jobs []config.Job, repo, root string) ([]config.Job, error) {
	out := make([]config.Job, len(jobs))
	for i, j := range jobs {
		if j.Benchmark == nil {
			return nil, fmt.Errorf("job %s has no benchmark", j.Name)
		}
		b := *j.Benchmark
		rel, err := filepath.Rel(repo, b.Dir)
		if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
			return nil, fmt.Errorf("benchmark %s: working directory %s is outside the repository %s: the same-runner mode cannot check it out", b.Name, b.Dir, repo)
		}
		b.Dir = filepath.Join(root, rel)
		b.Repetitions = 1
		j.Benchmark = &b
		if b.Format == "go" {
			j.Argv = singleCount(j.Argv)
		}
		out[i] = j
	}
	return out, nil
}

// singleCount rewrites go test's -count=N (and -test.count=N) to -count=1.
func singleCount(argv []string) []string {
	out := make([]string, 0, len(argv))
	skip := false
	for _, a := range argv {
		if skip {
			skip = false
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && (name == "count" || name == "test.count") {
			out = append(out, "-count=1")
			skip = !hasValue
			continue
		}
		out = append(out, a)
	}
	return out
}

// MergeBase is the same-runner comparison of a checkout's merge-base with
// a base branch against its working tree: what `compare --mode
// same-runner` and the action's `compare-mode: same-runner` both run.
type MergeBase struct {
	Result
	// MergeBase is the commit measured as the base.
	MergeBase string
	// BaseSide and HeadSide are the comparison's sides.
	BaseSide, HeadSide comparison.Side
	// Note says what was measured, for the reports.
	Note string
}

// RunMergeBase finds the merge-base of baseRef and HEAD in o.RepoDir (any
// directory of the checkout), and measures it (in a git worktree) against
// the working tree, interleaved (Run).
func RunMergeBase(ctx context.Context, o Options, baseRef string) (*MergeBase, error) {
	g := gitcmd.In(o.RepoDir)
	top, err := g.Text(ctx, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, fmt.Errorf("same-runner mode needs a git checkout: %w", err)
	}
	g = gitcmd.In(top)
	if err := gitcmd.CheckArg("base", baseRef); err != nil {
		return nil, err
	}
	mb, err := g.Text(ctx, "merge-base", baseRef, "HEAD")
	if err != nil {
		return nil, fmt.Errorf("finding the merge-base of %s and HEAD (a shallow clone needs fetch-depth: 0): %w", baseRef, err)
	}
	head, err := g.Text(ctx, "rev-parse", "HEAD")
	if err != nil {
		return nil, err
	}
	o.RepoDir, o.Base = top, mb
	res, err := Run(ctx, o)
	if err != nil {
		return nil, err
	}
	return &MergeBase{Result: res, MergeBase: mb,
		BaseSide: comparison.Side{Label: "merge-base " + gitcmd.Short(mb), Commit: mb, Ref: baseRef},
		HeadSide: comparison.Side{Label: "working tree " + gitcmd.Short(head), Commit: head},
		Note: fmt.Sprintf("same-runner A/B: base = merge-base %s of %s (git worktree), head = working tree at %s; %d interleaved rounds in random order (seed %d)",
			gitcmd.Short(mb), baseRef, gitcmd.Short(head), res.Rounds, res.Seed)}, nil
}
