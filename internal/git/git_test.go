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

func TestRedact(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://x-access-token:ghs_s3cret@github.com/o/r.git", "https://***@github.com/o/r.git"},
		{"https://user:p@ss@github.com/o/r", "https://***@github.com/o/r"},
		{"http://tok@127.0.0.1:8080/r.git", "http://***@127.0.0.1:8080/r.git"},
		{"fatal: unable to access 'https://a:b@host/r/': failed", "fatal: unable to access 'https://***@host/r/': failed"},
		{"ssh://git@github.com/o/r", "ssh://***@github.com/o/r"},
		{"https://github.com/o/r.git", "https://github.com/o/r.git"},
		{"git@github.com:o/r.git", "git@github.com:o/r.git"},
		{"/tmp/remote.git", "/tmp/remote.git"},
		{"https://github.com/o/r see me@example.com", "https://github.com/o/r see me@example.com"},
	} {
		if got := Redact(tc.in); got != tc.want {
			t.Errorf("Redact(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestCheckArg(t *testing.T) {
	for _, ok := range []string{"origin", "/tmp/r.git", "./-odd", "https://github.com/o/r", "main"} {
		if err := CheckArg("remote", ok); err != nil {
			t.Errorf("CheckArg(%q): %v; want nil", ok, err)
		}
	}
	err := CheckArg("remote", "--upload-pack=touch /tmp/pwned;")
	if err == nil || !strings.Contains(err.Error(), `remote "--upload-pack=touch /tmp/pwned;"`) {
		t.Errorf("CheckArg(--upload-pack=…): got %v; want an error quoting the remote", err)
	}
}

// TestProtocolPolicy runs git with a config that allows the ext transport
// (as a user's or an attacker's config could): benchgate's git still
// refuses it, and the command in the URL never runs. A local path works.
func TestProtocolPolicy(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	pwned := filepath.Join(dir, "pwned")
	g := Cmd{Dir: dir, Env: []string{"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=protocol.ext.allow", "GIT_CONFIG_VALUE_0=always"}}
	if _, err := g.Text(ctx, "init", "--quiet"); err != nil {
		t.Fatal(err)
	}
	_, err := g.Text(ctx, "ls-remote", "ext::sh -c touch% "+pwned)
	if err == nil || !strings.Contains(err.Error(), "transport 'ext' not allowed") {
		t.Errorf("ls-remote ext::: got %v; want transport 'ext' not allowed", err)
	}
	if _, serr := os.Stat(pwned); serr == nil {
		t.Errorf("%s exists: the ext:: command ran", pwned)
	}
	if _, err := g.Text(ctx, "ls-remote", dir); err != nil {
		t.Errorf("ls-remote of a local path: %v", err)
	}
}

// TestErrorRedacts checks that a failed git command's error never shows
// the token of a remote URL that git quotes.
func TestErrorRedacts(t *testing.T) {
	err := &Error{Args: []string{"fetch"}, Stderr: "fatal: unable to access 'https://x-access-token:ghs_s3cret@127.0.0.1:1/o/r.git/': refused", Err: errors.New("exit status 128")}
	if strings.Contains(err.Error(), "ghs_s3cret") {
		t.Errorf("error shows the token: %v", err)
	}
}
