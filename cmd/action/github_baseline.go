package main

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/benchgate/benchgate/internal/baseline"
	"github.com/benchgate/benchgate/internal/databranch"
	"github.com/benchgate/benchgate/internal/store"
)

// history is what the data branch gave.
type history struct {
	branch *databranch.Branch // nil when the workspace has no origin remote
	exists bool               // the data branch exists
}

// fetchHistory brings the data branch down into a local database (a new,
// empty one when the branch does not exist yet).
func (g *ghMode) fetchHistory(ctx context.Context) (*store.DB, *history, error) {
	path := filepath.Join(g.tmp, "benchgate.duckdb")
	h := &history{}
	remote, err := gitOut(ctx, g.ws, "remote", "get-url", "origin")
	if err != nil {
		g.e.log.Warn("no origin remote in the workspace: no data branch (check out the repository with actions/checkout)", "error", err)
	} else {
		h.branch = &databranch.Branch{Remote: remote, Name: g.in.DataBranch, Log: g.e.log, Env: gitAuthEnv(remote, g.in.GitHubToken.Reveal())}
		g.rt.Group("benchgate: fetching the data branch " + g.in.DataBranch)
		res, err := h.branch.Fetch(ctx, path)
		g.rt.EndGroup()
		switch {
		case errors.Is(err, databranch.ErrNoBranch):
			g.e.log.Info("the data branch does not exist yet", "branch", g.in.DataBranch)
		case err != nil:
			return nil, nil, fmt.Errorf("input data-branch: fetching %s: %w", g.in.DataBranch, err)
		default:
			h.exists = true
			g.e.log.Info("fetched the data branch", "branch", g.in.DataBranch, "commit", short(res.Commit))
		}
	}
	st, err := openStore(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	return st, h, nil
}

// baseRef is what the candidate is compared against in git: the PR's base
// branch (origin/<base>, else its base SHA), a push's before commit, a
// merge group's base; "" when there is none.
func (g *ghMode) baseRef(ctx context.Context) string {
	ev := g.ev
	if ev.BaseRef != "" {
		ref := "origin/" + strings.TrimPrefix(ev.BaseRef, "refs/heads/")
		if g.hasCommit(ctx, ref) {
			return ref
		}
	}
	if ev.BaseSHA != "" && strings.Trim(ev.BaseSHA, "0") != "" && g.hasCommit(ctx, ev.BaseSHA) {
		return ev.BaseSHA
	}
	return ""
}

// headRef is the commit measured, as git in the workspace knows it: the PR
// head (not the merge commit) when present, else HEAD.
func (g *ghMode) headRef(ctx context.Context) string {
	if g.ev.HeadSHA != "" && g.hasCommit(ctx, g.ev.HeadSHA) {
		return g.ev.HeadSHA
	}
	return "HEAD"
}

func (g *ghMode) hasCommit(ctx context.Context, rev string) bool {
	_, err := gitOut(ctx, g.ws, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
	return err == nil
}

// selectBaseline chooses the stored baseline run: the merge-base's run or
// its nearest first-parent ancestor's, else the newest run of the base
// branch (baseline.Select). ok is false when there is none.
func (g *ghMode) selectBaseline(ctx context.Context, st *store.DB, h *history) (baseline.Choice, bool, string) {
	if !h.exists {
		return baseline.Choice{}, false, fmt.Sprintf("the data branch %s does not exist yet (a run on a trusted ref creates it)", g.in.DataBranch)
	}
	base := g.baseRef(ctx)
	if base == "" {
		return baseline.Choice{}, false, "no base commit to compare with (the event names none, or the checkout lacks it: use fetch-depth: 0)"
	}
	ch, err := baseline.Select(ctx, st, baseline.Options{RepoDir: g.ws, Base: base, Head: g.headRef(ctx)})
	if err != nil {
		return baseline.Choice{}, false, err.Error()
	}
	return ch, true, ""
}

// describeChoice is the baseline line of the reports.
func describeChoice(ch baseline.Choice) string {
	return ch.Describe(time.Now())
}

// gitAuthEnv gives git, for an http(s) remote, the workflow's token as the
// Authorization header actions/checkout itself configures — through
// GIT_CONFIG_* variables scoped to git's own environment, so the token is
// neither written to a config file nor seen by any benchmark. Other
// remotes (paths, ssh) get nothing.
func gitAuthEnv(remote, token string) []string {
	u, err := url.Parse(remote)
	if err != nil || token == "" || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil
	}
	basic := base64.StdEncoding.EncodeToString([]byte("x-access-token:" + token))
	return []string{
		"GIT_CONFIG_COUNT=1",
		"GIT_CONFIG_KEY_0=http." + u.Scheme + "://" + u.Host + "/.extraheader",
		"GIT_CONFIG_VALUE_0=AUTHORIZATION: basic " + basic,
	}
}
