//go:build e2e

package actiontest

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/benchgate/benchgate/internal/forge/forgetest"
)

// TestPlumbing is a PLUMBING TEST of act + Dockerfile + action.yml + fake
// API (testdata/plumbing.yml), not of benchgate's GitHub mode: it fails
// unless act builds the image (a copy of this tree, FROM the local
// stand-ins), runs both action steps, passes inputs and
// outputs, and the container's request reaches the fake API and matches
// GitHub's REST description.
func TestPlumbing(t *testing.T) {
	ctx := context.Background()
	if err := CheckDocker(ctx, append([]string{DefaultJobImage}, standIns()...)...); err != nil {
		t.Fatal(err)
	}
	act, err := FindAct()
	if err != nil {
		t.Fatal(err)
	}
	// A copy of this tree, its Dockerfile FROM the local stand-ins
	// (StageAction), committed: act reads the commit and ref from git.
	root := t.TempDir()
	copyBenchgate(t, root)
	if err := StageAction(root); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "."},
		{"-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "plumbing"}} {
		if out, err := exec.Command("git", append([]string{"-C", root}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	const token = "ghs_e2e-plumbing-token"
	api := forgetest.New(t, forgetest.Options{Repository: "octo/bench", Token: token, Addr: "127.0.0.1:0"})
	api.AddPull(forgetest.Pull{Number: 7, HeadSHA: strings.Repeat("1", 40), HeadRef: "feature",
		BaseSHA: strings.Repeat("3", 40), BaseRef: "main"})
	w := Workflow{Dir: root, File: "internal/actiontest/testdata/plumbing.yml", Event: "push",
		APIURL: api.URL, Secrets: map[string]string{"GITHUB_TOKEN": token}}
	res, err := w.Run(ctx, act)
	if err != nil {
		t.Fatalf("%v\n%s", err, tail(res.Log, 6000))
	}
	t.Logf("act wall time: %v", res.Duration)
	if !strings.Contains(res.Log, "plumbing ok") {
		t.Errorf("act log lacks the last step's \"plumbing ok\":\n%s", tail(res.Log, 6000))
	}
	if strings.Contains(res.Log, token) {
		t.Errorf("the token appears in act's log")
	}
	reqs := api.Requests()
	if len(reqs) != 1 || reqs[0].Path != "/repos/octo/bench/pulls/7" || reqs[0].Status != 200 {
		t.Errorf("fake API requests: got %+v; want one GET /repos/octo/bench/pulls/7 answered 200", reqs)
	}
	if os.Getenv("E2E_LOG") != "" {
		t.Log(res.Log)
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
