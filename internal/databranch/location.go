package databranch

import (
	"context"
	"fmt"
	"strings"

	gitcmd "github.com/benchgate/benchgate/internal/git"
)

// ParseLocation splits a data branch's location as compare --baseline
// takes it into a remote and a branch: URL#BRANCH, or REMOTE/BRANCH where
// REMOTE is a git remote of the repository at repo (origin), else a path or
// URL up to the last slash.
func ParseLocation(ctx context.Context, repo, s string) (remote, branch string, err error) {
	if r, br, ok := strings.Cut(s, "#"); ok {
		if r == "" || br == "" {
			return "", "", fmt.Errorf("--baseline %q: want REMOTE#BRANCH", s)
		}
		return r, br, nil
	}
	if name, br, ok := strings.Cut(s, "/"); ok && name != "" && br != "" {
		if url := gitcmd.RemoteURL(ctx, repo, name); url != name {
			return url, br, nil
		}
	}
	i := strings.LastIndexByte(s, '/')
	if i <= 0 || i == len(s)-1 {
		return "", "", fmt.Errorf("--baseline %q: want REMOTE/BRANCH (e.g. origin/%s) or URL#BRANCH", s, DefaultBranch)
	}
	return s[:i], s[i+1:], nil
}
