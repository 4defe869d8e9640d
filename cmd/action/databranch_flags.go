package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/benchgate/benchgate/internal/databranch"
)

// branchFlags are the flags that name a data branch: --remote and --branch.
type branchFlags struct {
	remote, branch string
}

func (b *branchFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&b.remote, "remote", "", "git remote holding the data branch: a URL or a path (required)")
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
	return &databranch.Branch{Remote: b.remote, Name: b.branch, Log: e.log}, nil
}

// defaultBranch returns the repository's default branch from the GitHub
// event payload ($GITHUB_EVENT_PATH), "" when there is none.
func defaultBranch(e *env) string {
	path := e.getenv("GITHUB_EVENT_PATH")
	if path == "" {
		return ""
	}
	data, err := os.ReadFile(path)
	if err != nil {
		e.log.Warn("reading the event payload", "path", path, "error", err)
		return ""
	}
	var ev struct {
		Repository struct {
			DefaultBranch string `json:"default_branch"`
		} `json:"repository"`
	}
	if err := json.Unmarshal(data, &ev); err != nil {
		e.log.Warn("reading the event payload", "path", path, "error", err)
		return ""
	}
	return ev.Repository.DefaultBranch
}

// checkWriter refuses to write the data branch from an untrusted ref: a
// pull request event, or a ref that matches none of trusted (default: the
// repository's default branch). Outside GitHub Actions (no GITHUB_REF and
// no --ref) any writer is allowed: the CLI works against any remote.
func checkWriter(e *env, ref string, trusted []string) error {
	switch e.getenv("GITHUB_EVENT_NAME") {
	case "pull_request", "pull_request_target", "merge_group", "workflow_run":
		// Note: under workflow_run, GITHUB_REF is the default branch while
		// what was measured is often a pull request's head.
		return fmt.Errorf("event %s may not write the data branch: pull requests only read it: %w",
			e.getenv("GITHUB_EVENT_NAME"), databranch.ErrUntrusted)
	}
	if ref == "" {
		ref = e.getenv("GITHUB_REF")
	}
	if ref == "" {
		return nil
	}
	if len(trusted) == 0 {
		def := defaultBranch(e)
		if def == "" {
			return fmt.Errorf("ref %s: the repository's default branch is unknown (no $GITHUB_EVENT_PATH): name the refs that may write with --trusted-refs", ref)
		}
		trusted = []string{"refs/heads/" + def}
	}
	return databranch.CheckTrusted(ref, trusted)
}
