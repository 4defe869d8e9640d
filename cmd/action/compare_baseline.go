package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/benchgate/benchgate/internal/abtest"
	"github.com/benchgate/benchgate/internal/baseline"
	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/config"
	"github.com/benchgate/benchgate/internal/databranch"
	"github.com/benchgate/benchgate/internal/runner"
	"github.com/benchgate/benchgate/internal/store"
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

// compareArgs are compare's other flag values.
type compareArgs struct {
	base, head, format, output, inFormat, db string
	gate                                     *gateFlags
}

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

func (b *baselineFlags) compare(ctx context.Context, e *env, a compareArgs) error {
	if err := oneOf("mode", b.mode, modeSeparate, modeSameRunner); err != nil {
		return err
	}
	if err := oneOf("format", a.format, "table", "markdown", "json"); err != nil {
		return err
	}
	policy, err := a.gate.policy()
	if err != nil {
		return err
	}
	opts, err := a.gate.options()
	if err != nil {
		return err
	}
	base, err := baseBranch(e, a.base)
	if err != nil {
		return err
	}
	var c *comparison.Comparison
	var note string
	if b.mode == modeSameRunner {
		c, note, err = b.sameRunner(ctx, e, a, base, policy, opts)
	} else {
		c, note, err = b.fromBranch(ctx, e, a, base, policy, opts)
	}
	if err != nil {
		return err
	}
	if len(c.Rows) == 0 && len(c.Failed) == 0 {
		return fmt.Errorf("no series in common between the baseline and the candidate")
	}
	w := e.stdout
	if a.output != "" {
		f, err := os.Create(a.output)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	switch a.format {
	case "markdown":
		fmt.Fprintf(w, "> %s\n\n", note)
	case "table":
		fmt.Fprintf(w, "%s\n\n", note)
	}
	appendSummary(e, "> "+note+"\n\n")
	if err := writeVerdict(w, a.format, c); err != nil {
		return err
	}
	if c.Regressed() {
		return &exitCode{code: exitRegression}
	}
	return nil
}

// fromBranch compares --head with the baseline chosen from the data branch.
func (b *baselineFlags) fromBranch(ctx context.Context, e *env, a compareArgs, base string, policy comparison.PolicyFunc, opts []comparison.Option) (*comparison.Comparison, string, error) {
	if a.head == "" {
		return nil, "", errors.New("--head is required with --baseline")
	}
	remote, branch, err := parseBaseline(ctx, b.repo, b.baseline)
	if err != nil {
		return nil, "", err
	}
	tmp, err := os.MkdirTemp("", "benchgate-baseline-")
	if err != nil {
		return nil, "", err
	}
	defer os.RemoveAll(tmp)
	fetched := filepath.Join(tmp, "baseline.duckdb")
	br := &databranch.Branch{Remote: remote, Name: branch, Log: e.log}
	if _, err := br.Fetch(ctx, fetched); err != nil {
		return nil, "", fmt.Errorf("--baseline: %w", err)
	}
	bdb, err := store.OpenReadOnly(ctx, fetched)
	if err != nil {
		return nil, "", err
	}
	defer bdb.Close()
	ch, err := baseline.Select(ctx, bdb, baseline.Options{RepoDir: b.repo, Base: base, MaxDepth: b.depth})
	if err != nil {
		return nil, "", err
	}
	bRes, err := bdb.Results(ctx, ch.Run)
	if err != nil {
		return nil, "", err
	}
	var st *store.DB
	defer func() {
		if st != nil {
			st.Close()
		}
	}()
	hRes, hSide, err := loadSide(ctx, e, a.head, a.inFormat, func() (*store.DB, error) {
		if st == nil {
			var err error
			st, err = store.OpenReadOnly(ctx, dbPath(e, a.db))
			return st, err
		}
		return st, nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("--head: %w", err)
	}
	note := ch.Describe(time.Now())
	bSide := comparison.Side{Label: note, RunID: fmt.Sprintf("%s#%d", ch.Run.ID, ch.Run.Attempt), Commit: ch.Run.Commit, Ref: ch.Run.Ref}
	return comparison.Compare(bRes, hRes, bSide, hSide, policy, opts...), note, nil
}

// parseBaseline splits --baseline into a remote and a branch: URL#BRANCH,
// or REMOTE/BRANCH where REMOTE is a git remote of repo (origin), else a
// path or URL up to the last slash.
func parseBaseline(ctx context.Context, repo, s string) (remote, branch string, err error) {
	if r, br, ok := strings.Cut(s, "#"); ok {
		if r == "" || br == "" {
			return "", "", fmt.Errorf("--baseline %q: want REMOTE#BRANCH", s)
		}
		return r, br, nil
	}
	if name, br, ok := strings.Cut(s, "/"); ok && name != "" && br != "" {
		out, err := exec.CommandContext(ctx, "git", "-C", repo, "remote", "get-url", name).Output()
		if err == nil {
			return strings.TrimSpace(string(out)), br, nil
		}
	}
	i := strings.LastIndexByte(s, '/')
	if i <= 0 || i == len(s)-1 {
		return "", "", fmt.Errorf("--baseline %q: want REMOTE/BRANCH (e.g. origin/%s) or URL#BRANCH", s, databranch.DefaultBranch)
	}
	return s[:i], s[i+1:], nil
}

// sameRunner measures the merge-base and the working tree in interleaved
// rounds.
func (b *baselineFlags) sameRunner(ctx context.Context, e *env, a compareArgs, base string, policy comparison.PolicyFunc, opts []comparison.Option) (*comparison.Comparison, string, error) {
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
	top, err := gitOut(ctx, b.repo, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, "", fmt.Errorf("--mode same-runner needs a git checkout: %w", err)
	}
	mb, err := gitOut(ctx, top, "merge-base", base, "HEAD")
	if err != nil {
		return nil, "", fmt.Errorf("finding the merge-base of %s and HEAD (a shallow clone needs fetch-depth: 0): %w", base, err)
	}
	head, err := gitOut(ctx, top, "rev-parse", "HEAD")
	if err != nil {
		return nil, "", err
	}
	res, err := abtest.Run(ctx, abtest.Options{
		Jobs: jobs, RepoDir: top, Base: mb, Rounds: b.rounds, Seed: b.seed,
		Log: e.log, Env: runner.ScrubEnv(os.Environ()), Parse: parseOutput,
	})
	if err != nil {
		return nil, "", err
	}
	note := fmt.Sprintf("same-runner A/B: base = merge-base %s of %s (git worktree), head = working tree at %s; %d interleaved rounds in random order (seed %d)",
		short(mb), base, short(head), res.Rounds, res.Seed)
	c := comparison.Compare(res.Base, res.Head,
		comparison.Side{Label: "merge-base " + short(mb), Commit: mb, Ref: base},
		comparison.Side{Label: "working tree " + short(head), Commit: head}, policy, opts...)
	return c, note, nil
}

// gitOut runs git in dir and returns its trimmed stdout.
func gitOut(ctx context.Context, dir string, args ...string) (string, error) {
	out, err := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", fmt.Errorf("git %s: %w: %s", args[0], err, strings.TrimSpace(string(ee.Stderr)))
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}
