package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/benchgate/benchgate/internal/abtest"
	"github.com/benchgate/benchgate/internal/baseline"
	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/config"
	"github.com/benchgate/benchgate/internal/databranch"
	"github.com/benchgate/benchgate/internal/pipeline"
)

// Compare modes.
const (
	modeSeparate   = "separate"
	modeSameRunner = "same-runner"
)

// baselineFlags are compare's --baseline, --mode and their companions.
type baselineFlags struct {
	baseline, mode, repo string
	rounds, depth        int
	seed                 uint64
}

func addBaselineFlags(fs *flag.FlagSet) *baselineFlags {
	b := &baselineFlags{}
	fs.StringVar(&b.baseline, "baseline", "", "take the baseline from a data branch, REMOTE/BRANCH (e.g. origin/benchgate-data) or URL#BRANCH: the merge-base of --base and HEAD, or its nearest first-parent ancestor with results")
	fs.StringVar(&b.mode, "mode", modeSeparate, "separate (compare stored runs or files) or same-runner (run the merge-base of --base and the working tree in interleaved rounds, with --suite)")
	fs.StringVar(&b.repo, "repo", ".", "git checkout for --baseline and --mode same-runner")
	fs.IntVar(&b.rounds, "rounds", abtest.DefaultRounds, "same-runner rounds (at least 5)")
	fs.IntVar(&b.depth, "max-depth", baseline.DefaultMaxDepth, "first-parent commits searched before the merge-base for --baseline")
	fs.Uint64Var(&b.seed, "seed", 0, "same-runner order seed (0: from the clock; the verdict prints it)")
	return b
}

func (b *baselineFlags) active() bool { return b.baseline != "" || b.mode != modeSeparate }

// baseBranch is --base, else origin/$GITHUB_BASE_REF in a pull request.
func baseBranch(e *env, flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if ref := e.getenv("GITHUB_BASE_REF"); ref != "" {
		return "origin/" + ref, nil
	}
	return "", errors.New("--base: name the base branch, e.g. --base origin/main")
}

// compare runs --baseline or --mode same-runner; note says which baseline.
func (b *baselineFlags) compare(ctx context.Context, e *env, a compareArgs, cfg comparison.Config) (*comparison.Comparison, string, error) {
	if err := oneOf("mode", b.mode, modeSeparate, modeSameRunner); err != nil {
		return nil, "", err
	}
	base, err := baseBranch(e, a.base)
	if err != nil {
		return nil, "", err
	}
	if b.mode == modeSameRunner {
		return b.sameRunner(ctx, e, a, base, cfg)
	}
	return b.fromBranch(ctx, e, a, base, cfg)
}

// fromBranch compares --head with the baseline chosen from the data branch.
func (b *baselineFlags) fromBranch(ctx context.Context, e *env, a compareArgs, base string, cfg comparison.Config) (*comparison.Comparison, string, error) {
	if a.head == "" {
		return nil, "", errors.New("--head is required with --baseline")
	}
	remote, branch, err := databranch.ParseLocation(ctx, b.repo, b.baseline)
	if err != nil {
		return nil, "", err
	}
	tmp, err := os.MkdirTemp("", "benchgate-baseline-")
	if err != nil {
		return nil, "", err
	}
	defer os.RemoveAll(tmp)
	bdb, exists, err := baseline.OpenBranch(ctx, &databranch.Branch{Remote: remote, Name: branch, Log: e.log}, filepath.Join(tmp, "baseline.duckdb"))
	if err != nil {
		return nil, "", fmt.Errorf("--baseline: %w", err)
	}
	defer bdb.Close()
	if !exists {
		return nil, "", fmt.Errorf("--baseline: %w", databranch.ErrNoBranch)
	}
	bl, err := baseline.Load(ctx, bdb, baseline.Options{RepoDir: b.repo, Base: base, MaxDepth: b.depth})
	if err != nil {
		return nil, "", err
	}
	ls := &lazyStore{path: dbPath(e, a.db)}
	defer ls.close()
	hRes, hSide, err := loadSide(ctx, e, a.head, a.inFormat, ls.open(ctx))
	if err != nil {
		return nil, "", fmt.Errorf("--head: %w", err)
	}
	// Note: the label is what the user named, the base branch; bl.Note,
	// printed above the verdict, says which run of it serves (as the label
	// it read "baseline: baseline: run …").
	bl.Side.Label = base
	return cfg.Compare(bl.Results, hRes, bl.Side, hSide), bl.Note, nil
}

// sameRunner measures the merge-base and the working tree in interleaved
// rounds (abtest.RunMergeBase, as the action's compare-mode: same-runner).
func (b *baselineFlags) sameRunner(ctx context.Context, e *env, a compareArgs, base string, cfg comparison.Config) (*comparison.Comparison, string, error) {
	if a.head != "" {
		return nil, "", errors.New("--head: the same-runner mode measures the working tree; leave --head out")
	}
	if a.gate.suite == "" {
		return nil, "", errors.New("--suite is required with --mode same-runner")
	}
	suite, err := config.Load(a.gate.suite)
	if err != nil {
		return nil, "", err
	}
	jobs, err := suite.Plan(config.PlanOptions{})
	if err != nil {
		return nil, "", err
	}
	ab, err := abtest.RunMergeBase(ctx, abtest.Options{Jobs: jobs, RepoDir: b.repo, Rounds: b.rounds, Seed: b.seed,
		Log: e.log, Env: os.Environ(), Parse: pipeline.ParseOutput}, base)
	if err != nil {
		return nil, "", err
	}
	return cfg.Compare(ab.Base, ab.Head, ab.BaseSide, ab.HeadSide), ab.Note, nil
}
