package abtest

import (
	"context"
	"os/exec"
	"strings"
	"testing"
)

// TestRefusesOptionLikeRefs: a base ref or commit that git would read as an
// option never reaches git (issue 15, item 6).
func TestRefusesOptionLikeRefs(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("git", "init", "-q", dir).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v: %s", err, out)
	}
	ctx := context.Background()
	if _, err := RunMergeBase(ctx, Options{RepoDir: dir}, "--upload-pack=touch /tmp/x"); err == nil || !strings.Contains(err.Error(), "starts with '-'") {
		t.Errorf("RunMergeBase with an option-like base: %v", err)
	}
	if _, _, err := worktree(ctx, dir, "--orphan"); err == nil || !strings.Contains(err.Error(), "starts with '-'") {
		t.Errorf("worktree of an option-like commit: %v", err)
	}
}
