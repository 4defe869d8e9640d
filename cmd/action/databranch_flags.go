package main

import (
	"context"
	"errors"
	"flag"

	"github.com/benchgate/benchgate/internal/actions"
	"github.com/benchgate/benchgate/internal/databranch"
	gitcmd "github.com/benchgate/benchgate/internal/git"
)

// branchFlags are the flags that name a data branch: --remote and --branch.
type branchFlags struct {
	remote, branch string
}

func (b *branchFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&b.remote, "remote", "", "git remote holding the data branch: a remote of this repository (origin), a URL or a path (required)")
	fs.StringVar(&b.branch, "branch", databranch.DefaultBranch, "name of the data branch")
}

// open returns the data branch the flags name.
func (b *branchFlags) open(e *env) (*databranch.Branch, error) {
	if b.remote == "" {
		return nil, errors.New("--remote is required")
	}
	if b.branch == "" {
		return nil, errors.New("--branch: empty branch name")
	}
	return &databranch.Branch{Remote: gitcmd.RemoteURL(context.Background(), ".", b.remote), Name: b.branch, Log: e.log}, nil
}

// checkWriter applies the data-branch write policy (databranch.CheckWriter)
// to --ref (default $GITHUB_REF) and --trusted-refs, with the event from
// $GITHUB_EVENT_NAME and the default branch from the event payload.
func checkWriter(e *env, ref string, trusted []string) error {
	if ref == "" {
		ref = e.getenv("GITHUB_REF")
	}
	def := ""
	if e.getenv("GITHUB_EVENT_PATH") != "" {
		ev, err := actions.ReadEvent(e.getenv)
		if err != nil {
			e.log.Warn("reading the event payload", "error", err)
		} else {
			def = ev.DefaultBranch
		}
	}
	return databranch.CheckWriter(e.getenv("GITHUB_EVENT_NAME"), ref, trusted, def)
}
