package databranch

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// git runs the git binary in one private bare repository: the scratch
// object store through which the data branch is fetched and pushed. The
// user's checkout, config and credentials helpers are left alone except
// that git's global and system config are still read (for credentials on a
// real remote).
type git struct {
	bin string // the git binary
	dir string // the scratch bare repository
	env []string
}

// newGit creates a scratch bare repository in dir.
func newGit(ctx context.Context, bin, dir string, env ...string) (*git, error) {
	if bin == "" {
		bin = "git"
	}
	g := &git{bin: bin, dir: dir, env: append(os.Environ(),
		"GIT_TERMINAL_PROMPT=0",
		"GIT_AUTHOR_NAME=benchgate", "GIT_AUTHOR_EMAIL=benchgate@users.noreply.github.com",
		"GIT_COMMITTER_NAME=benchgate", "GIT_COMMITTER_EMAIL=benchgate@users.noreply.github.com",
	)}
	g.env = append(g.env, env...)
	if _, err := g.run(ctx, nil, "init", "--quiet", "--bare", dir); err != nil {
		return nil, err
	}
	return g, nil
}

// run runs git with args in the scratch repository and returns its stdout;
// the error quotes git's stderr.
func (g *git) run(ctx context.Context, extraEnv []string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, g.bin, append([]string{"--git-dir=" + g.dir}, args...)...)
	cmd.Env = append(g.env, extraEnv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), &gitError{args: args, stderr: strings.TrimSpace(stderr.String()), err: err}
	}
	return stdout.Bytes(), nil
}

// text runs git and returns its stdout without the final newline.
func (g *git) text(ctx context.Context, args ...string) (string, error) {
	out, err := g.run(ctx, nil, args...)
	return strings.TrimRight(string(out), "\n"), err
}

// gitError is a failed git command.
type gitError struct {
	args   []string
	stderr string
	err    error
}

func (e *gitError) Error() string {
	cmd := "git " + e.args[0]
	if e.stderr == "" {
		return fmt.Sprintf("%s: %v", cmd, e.err)
	}
	return fmt.Sprintf("%s: %v: %s", cmd, e.err, e.stderr)
}

func (e *gitError) Unwrap() error { return e.err }
