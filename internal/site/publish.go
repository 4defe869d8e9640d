package site

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	gitcmd "github.com/benchgate/benchgate/internal/git"
)

// PublishOptions say where Publish pushes a site.
type PublishOptions struct {
	// Remote is a git URL or path; Branch the branch (default gh-pages).
	Remote, Branch string
	// Env is added to git's environment (e.g. gitcmd.AuthEnv's token).
	Env []string
	// Message is the commit message (default "benchgate site").
	Message string
}

// Published says what Publish pushed.
type Published struct {
	Commit   string // the site's commit
	Replaced string // the branch's commit it replaced ("" for a new branch)
}

// Publish pushes the site in dir to the branch as one parentless commit,
// replacing the branch with --force-with-lease on the exact commit it saw,
// so the branch's history stays one commit and a concurrent publish is
// refused rather than overwritten.
func Publish(ctx context.Context, dir string, o PublishOptions) (Published, error) {
	if o.Branch == "" {
		o.Branch = "gh-pages"
	}
	if o.Message == "" {
		o.Message = "benchgate site"
	}
	if err := gitcmd.CheckArg("remote", o.Remote); err != nil {
		return Published{}, err
	}
	if err := gitcmd.CheckArg("branch", o.Branch); err != nil {
		return Published{}, err
	}
	ref := "refs/heads/" + o.Branch
	remote := gitcmd.Cmd{Env: o.Env}
	line, err := remote.Text(ctx, "ls-remote", "--", o.Remote, ref)
	if err != nil {
		return Published{}, fmt.Errorf("publishing the site to %s: %w", gitcmd.Redact(o.Remote), err)
	}
	var p Published
	if f := strings.Fields(line); len(f) > 0 {
		p.Replaced = f[0]
	}
	gitDir, err := os.MkdirTemp("", "benchgate-publish-*")
	if err != nil {
		return p, fmt.Errorf("publishing the site: %w", err)
	}
	defer os.RemoveAll(gitDir)
	abs, err := filepath.Abs(dir)
	if err != nil {
		return p, fmt.Errorf("publishing the site: %w", err)
	}
	env := append([]string{"GIT_AUTHOR_NAME=benchgate", "GIT_AUTHOR_EMAIL=benchgate@users.noreply.github.com",
		"GIT_COMMITTER_NAME=benchgate", "GIT_COMMITTER_EMAIL=benchgate@users.noreply.github.com"}, o.Env...)
	g := gitcmd.Cmd{GitDir: gitDir, Env: env}
	if _, err := g.Text(ctx, "init", "--quiet", "--bare"); err != nil {
		return p, fmt.Errorf("publishing the site: %w", err)
	}
	if _, err := g.Text(ctx, "--work-tree="+abs, "add", "--all", "--force", "--", "."); err != nil {
		return p, fmt.Errorf("publishing the site in %s: %w", dir, err)
	}
	tree, err := g.Text(ctx, "write-tree")
	if err != nil {
		return p, fmt.Errorf("publishing the site: %w", err)
	}
	if p.Commit, err = g.Text(ctx, "commit-tree", "-m", o.Message, tree); err != nil {
		return p, fmt.Errorf("publishing the site: %w", err)
	}
	if _, err := g.Text(ctx, "push", "--quiet", "--force-with-lease="+ref+":"+p.Replaced, "--", o.Remote, p.Commit+":"+ref); err != nil {
		return p, fmt.Errorf("publishing the site to branch %s of %s (someone else may have published since %s: run again): %w",
			o.Branch, gitcmd.Redact(o.Remote), gitcmd.Short(p.Replaced), err)
	}
	return p, nil
}
