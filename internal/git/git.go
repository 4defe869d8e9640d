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
	"regexp"
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

// protocolPolicy is the transport policy of every git benchgate runs,
// whatever the user's or system's config says: local paths (file), git,
// http(s) and ssh remotes only. The others — remote helpers, and ext:: and
// fd:: above all, which run a command or talk to file descriptors — are
// refused.
//
// Note: a remote is user input (--remote, --baseline, a repository's
// origin); ext::sh -c … is a command, not a remote. A config's
// protocol.<name>.allow wins over protocol.allow, so ext and fd are named.
var protocolPolicy = []string{
	"-c", "protocol.allow=never",
	"-c", "protocol.ext.allow=never",
	"-c", "protocol.fd.allow=never",
	"-c", "protocol.file.allow=always",
	"-c", "protocol.git.allow=always",
	"-c", "protocol.http.allow=always",
	"-c", "protocol.https.allow=always",
	"-c", "protocol.ssh.allow=always",
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
	pre := append([]string(nil), protocolPolicy...)
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

// HasCommit reports whether rev names a commit in c's repository; a rev
// that git would read as an option (CheckArg) names none.
func (c Cmd) HasCommit(ctx context.Context, rev string) bool {
	if CheckArg("revision", rev) != nil {
		return false
	}
	_, err := c.Text(ctx, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
	return err == nil
}

// Error is a failed git command.
type Error struct {
	Args   []string
	Stderr string
	Err    error
}

// Error names the git command and quotes its stderr, with any credentials
// in a URL there redacted (Redact).
func (e *Error) Error() string {
	cmd := "git"
	if len(e.Args) > 0 {
		cmd += " " + e.Args[0]
	}
	if e.Stderr == "" {
		return fmt.Sprintf("%s: %v", cmd, e.Err)
	}
	return fmt.Sprintf("%s: %v: %s", cmd, e.Err, Redact(e.Stderr))
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

// CheckArg returns an error when s, the value the user gave as what (a
// remote, a branch, a revision), starts with "-": git would read it as an
// option — "--upload-pack=CMD" runs CMD — wherever it is not preceded by
// "--", and revisions cannot be.
func CheckArg(what, s string) error {
	if strings.HasPrefix(s, "-") {
		return fmt.Errorf("%s %q starts with '-', which git would read as an option: refused (a path that starts with '-' can be written ./%s)",
			what, Redact(s), Redact(s))
	}
	return nil
}

// userinfo matches the user (and password or token) of every URL in a
// text: what Redact replaces.
var userinfo = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://)[^/?#\s'"]+@`)

// Redact returns s — a remote URL, or a message quoting URLs — with the
// user information of every URL replaced by "***", so that a token in a
// remote (https://x-access-token:TOKEN@github.com/o/r) is never printed:
// "https://***@github.com/o/r". Paths and scp-like ssh remotes
// (git@github.com:o/r), which hold no secret, are unchanged.
func Redact(s string) string {
	return userinfo.ReplaceAllString(s, "${1}***@")
}

// RemoteURL returns the URL of the git remote named s in the repository at
// dir (e.g. "origin"), or s itself when it names none there: a URL or a
// path is passed through, so that --remote takes all three.
func RemoteURL(ctx context.Context, dir, s string) string {
	if s == "" || strings.ContainsAny(s, `/\:`) {
		return s
	}
	if url, err := In(dir).Text(ctx, "remote", "get-url", "--", s); err == nil && url != "" {
		return url
	}
	return s
}
