// Package git runs the git binary for every part of benchgate that needs
// it — the data branch's scratch repository, the baseline's merge-base
// walk, the same-runner worktree, the run's commit and ref — and holds the
// few git facts they share: how a commit id is abbreviated, what a full
// commit id looks like, and how a workflow token reaches git for an https
// remote without reaching anything else.
//
// Note: the git binary, not a Go reimplementation (go-git): the checkouts
// benchgate reads are the runner's own, with their shallow, partial and
// worktree states, credentials helpers and config, which only git itself
// reads faithfully.
package git

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"strings"
)

// ShortLen is the length of every abbreviated commit id benchgate prints.
const ShortLen = 12

// Short abbreviates a commit id to ShortLen characters.
func Short(sha string) string {
	if len(sha) > ShortLen {
		return sha[:ShortLen]
	}
	return sha
}

// IsCommitSHA reports whether s is a full commit id (SHA-1 or SHA-256, lower case hex).
func IsCommitSHA(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	return strings.Trim(s, "0123456789abcdef") == ""
}

// Cmd is how git is run: which binary, in which repository, with which
// extra environment.
type Cmd struct {
	// Bin is the git binary; "" is "git" from PATH.
	Bin string
	// Dir is the working tree git runs in (git -C); "" is the current directory.
	Dir string
	// GitDir, when set, is the repository itself (git --git-dir), e.g. a bare one.
	GitDir string
	// Env is added to the process environment (later entries win).
	Env []string
}

// In returns the Cmd of the working tree dir.
func In(dir string) Cmd { return Cmd{Dir: dir} }

// Exec runs git with args, stdin (may be nil) as its input and stdout as
// its output. The error is an *Error quoting git's stderr.
func (c Cmd) Exec(ctx context.Context, stdin io.Reader, stdout io.Writer, args ...string) error {
	bin := c.Bin
	if bin == "" {
		bin = "git"
	}
	var pre []string
	if c.Dir != "" {
		pre = append(pre, "-C", c.Dir)
	}
	if c.GitDir != "" {
		pre = append(pre, "--git-dir="+c.GitDir)
	}
	cmd := exec.CommandContext(ctx, bin, append(pre, args...)...)
	if len(c.Env) > 0 {
		cmd.Env = append(os.Environ(), c.Env...)
	}
	var stderr bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, &stderr
	if err := cmd.Run(); err != nil {
		return &Error{Args: args, Stderr: strings.TrimSpace(stderr.String()), Err: err}
	}
	return nil
}

// Output runs git with args and returns its stdout.
func (c Cmd) Output(ctx context.Context, args ...string) ([]byte, error) {
	var out bytes.Buffer
	err := c.Exec(ctx, nil, &out, args...)
	return out.Bytes(), err
}

// Text runs git with args and returns its stdout without surrounding blanks.
func (c Cmd) Text(ctx context.Context, args ...string) (string, error) {
	out, err := c.Output(ctx, args...)
	return strings.TrimSpace(string(out)), err
}

// HasCommit reports whether rev names a commit in c's repository.
func (c Cmd) HasCommit(ctx context.Context, rev string) bool {
	_, err := c.Text(ctx, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
	return err == nil
}

// Error is a failed git command.
type Error struct {
	Args   []string
	Stderr string
	Err    error
}

func (e *Error) Error() string {
	cmd := "git"
	if len(e.Args) > 0 {
		cmd += " " + e.Args[0]
	}
	if e.Stderr == "" {
		return fmt.Sprintf("%s: %v", cmd, e.Err)
	}
	return fmt.Sprintf("%s: %v: %s", cmd, e.Err, e.Stderr)
}

func (e *Error) Unwrap() error { return e.Err }

// AuthEnv gives git, for an http(s) remote, token as the Authorization
// header actions/checkout itself configures — through GIT_CONFIG_*
// variables scoped to git's own environment, so the token is neither
// written to a config file nor seen by any benchmark. Other remotes
// (paths, ssh) and an empty token get nothing.
func AuthEnv(remote, token string) []string {
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

// RemoteURL returns the URL of the git remote named s in the repository at
// dir (e.g. "origin"), or s itself when it names none there: a URL or a
// path is passed through, so that --remote takes all three.
func RemoteURL(ctx context.Context, dir, s string) string {
	if s == "" || strings.ContainsAny(s, `/\:`) {
		return s
	}
	if url, err := In(dir).Text(ctx, "remote", "get-url", s); err == nil && url != "" {
		return url
	}
	return s
}
