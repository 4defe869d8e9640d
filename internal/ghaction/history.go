package ghaction

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/benchgate/benchgate/internal/baseline"
	"github.com/benchgate/benchgate/internal/databranch"
	gitcmd "github.com/benchgate/benchgate/internal/git"
	"github.com/benchgate/benchgate/internal/store"
)

// openHistory brings the data branch down into a local database (a new,
// empty one when the branch does not exist yet, or there is no origin).
func (r *run) openHistory(ctx context.Context) (*store.DB, error) {
	path := filepath.Join(r.tmp, "benchgate.duckdb")
	remote, err := gitcmd.In(r.ws).Text(ctx, "remote", "get-url", "origin")
	if err != nil {
		r.Log.Warn("no origin remote in the workspace: no data branch (check out the repository with actions/checkout)", "error", err)
		return store.Open(ctx, path)
	}
	r.branch = &databranch.Branch{Remote: remote, Name: r.in.DataBranch, Log: r.Log, Env: gitcmd.AuthEnv(remote, r.in.GitHubToken.Reveal())}
	r.rt.Group("benchgate: fetching the data branch " + r.in.DataBranch)
	st, exists, err := baseline.OpenBranch(ctx, r.branch, path)
	r.rt.EndGroup()
	if err != nil {
		return nil, fmt.Errorf("input data-branch: %w", err)
	}
	r.branchOK = exists
	r.Log.Info("data branch", "branch", r.in.DataBranch, "exists", exists)
	return st, nil
}

// baseRef is what the candidate is compared against in git: the PR's base
// branch (origin/<base>, else its base SHA), a push's before commit, a
// merge group's base; "" when there is none.
func (r *run) baseRef(ctx context.Context) string {
	g := gitcmd.In(r.ws)
	if r.ev.BaseRef != "" {
		ref := "origin/" + strings.TrimPrefix(r.ev.BaseRef, "refs/heads/")
		if g.HasCommit(ctx, ref) {
			return ref
		}
	}
	if sha := r.ev.BaseSHA; sha != "" && strings.Trim(sha, "0") != "" && g.HasCommit(ctx, sha) {
		return sha
	}
	return ""
}

// headRef is the commit measured, as git in the workspace knows it: the PR
// head (not the merge commit) when present, else HEAD.
func (r *run) headRef(ctx context.Context) string {
	if r.ev.HeadSHA != "" && gitcmd.In(r.ws).HasCommit(ctx, r.ev.HeadSHA) {
		return r.ev.HeadSHA
	}
	return "HEAD"
}

// loadBaseline chooses the stored baseline run (baseline.Load); nil and
// why when there is none.
func (r *run) loadBaseline(ctx context.Context, st *store.DB) (*baseline.Baseline, string) {
	if !r.branchOK {
		return nil, fmt.Sprintf("the data branch %s does not exist yet (a run on a trusted ref creates it)", r.in.DataBranch)
	}
	base := r.baseRef(ctx)
	if base == "" {
		return nil, "no base commit to compare with (the event names none, or the checkout lacks it: use fetch-depth: 0)"
	}
	b, err := baseline.Load(ctx, st, baseline.Options{RepoDir: r.ws, Base: base, Head: r.headRef(ctx)})
	if err != nil {
		return nil, err.Error()
	}
	return b, ""
}

// save merges the run into the data branch when the ref may write it
// (databranch.CheckWriter: save-on, default the repository's default
// branch; pull requests and merge groups never write).
func (r *run) save(ctx context.Context, st *store.DB) error {
	if r.branch == nil {
		return nil
	}
	if err := databranch.CheckWriter(r.ev.Name, r.ev.Ref, r.in.SaveOn, r.ev.DefaultBranch); err != nil {
		if errors.Is(err, databranch.ErrUntrusted) {
			r.Log.Info("not saving to the data branch", "reason", err)
			return nil
		}
		return fmt.Errorf("input save-on: %w", err)
	}
	r.rt.Group("benchgate: saving to the data branch " + r.branch.Name)
	res, err := r.branch.Save(ctx, st)
	r.rt.EndGroup()
	if err != nil {
		return fmt.Errorf("saving to the data branch %s: %w", r.branch.Name, err)
	}
	r.Log.Info("saved to the data branch", "branch", r.branch.Name, "added", len(res.Added), "commit", gitcmd.Short(res.Commit), "compacted", res.Compacted)
	return nil
}
