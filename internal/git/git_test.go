package git

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAuthEnv(t *testing.T) {
	env := AuthEnv("https://github.com/octo/bench.git", "s3cret")
	if len(env) != 3 || env[1] != "GIT_CONFIG_KEY_0=http.https://github.com/.extraheader" ||
		env[2] != "GIT_CONFIG_VALUE_0=AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46czNjcmV0" {
		t.Errorf("https remote: got %q", env)
	}
	for _, remote := range []string{"/tmp/origin.git", "git@github.com:octo/bench.git", "ssh://git@github.com/octo/bench"} {
		if env := AuthEnv(remote, "s3cret"); env != nil {
			t.Errorf("%s: got %q; want nothing for a non-http remote", remote, env)
		}
	}
	if env := AuthEnv("https://github.com/octo/bench.git", ""); env != nil {
		t.Errorf("no token: got %q; want nothing", env)
	}
}

// TestCmd runs the real git in a fresh repository: Text, HasCommit, and an
// error that quotes git's stderr.
func TestCmd(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	g := Cmd{Dir: dir, Env: []string{"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@e", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@e"}}
	if _, err := g.Text(ctx, "init", "--quiet"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "f"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Text(ctx, "add", "f"); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Text(ctx, "commit", "--quiet", "-m", "one"); err != nil {
		t.Fatal(err)
	}
	sha, err := g.Text(ctx, "rev-parse", "HEAD")
	if err != nil || !IsCommitSHA(sha) {
		t.Fatalf("rev-parse HEAD: got %q, %v; want a full commit id", sha, err)
	}
	if !g.HasCommit(ctx, sha) || g.HasCommit(ctx, strings.Repeat("0", 40)) {
		t.Errorf("HasCommit: want true for HEAD, false for a missing commit")
	}
	if got := Short(sha); len(got) != ShortLen || !strings.HasPrefix(sha, got) {
		t.Errorf("Short(%s) = %q; want its first %d characters", sha, got, ShortLen)
	}
	_, err = g.Text(ctx, "rev-parse", "--verify", "no-such-branch")
	var ge *Error
	if !errors.As(err, &ge) || !strings.Contains(err.Error(), "git rev-parse") || ge.Stderr == "" {
		t.Errorf("error: got %v; want a *git.Error naming the command with git's stderr", err)
	}
	for _, s := range []string{"", "abc", strings.Repeat("g", 40), strings.Repeat("A", 40)} {
		if IsCommitSHA(s) {
			t.Errorf("IsCommitSHA(%q) = true; want false", s)
		}
	}
}
