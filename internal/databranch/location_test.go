package databranch

import (
	"context"
	"os/exec"
	"testing"
)

// TestParseLocation: URL#BRANCH, a git remote's name, a path up to its last
// slash, and what is none of them.
func TestParseLocation(t *testing.T) {
	repo := t.TempDir()
	for _, args := range [][]string{{"init", "-q", repo}, {"-C", repo, "remote", "add", "origin", "/srv/git/models.git"}} {
		if out, err := exec.Command("git", args...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v: %s", args, err, out)
		}
	}
	for _, tc := range []struct{ in, remote, branch string }{
		{"https://example.com/a/b.git#benchgate-data", "https://example.com/a/b.git", "benchgate-data"},
		{"origin/benchgate-data", "/srv/git/models.git", "benchgate-data"},
		{"/tmp/remote.git/data", "/tmp/remote.git", "data"},
	} {
		r, b, err := ParseLocation(context.Background(), repo, tc.in)
		if err != nil || r != tc.remote || b != tc.branch {
			t.Errorf("ParseLocation(%q) = %q, %q, %v; want %q, %q", tc.in, r, b, err, tc.remote, tc.branch)
		}
	}
	for _, bad := range []string{"#x", "url#", "nobranch", "trailing/"} {
		if _, _, err := ParseLocation(context.Background(), repo, bad); err == nil {
			t.Errorf("ParseLocation(%q): no error", bad)
		}
	}
}
