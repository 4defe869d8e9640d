//go:build e2e

package actiontest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/forge/forgetest"
)

// actionDir is where the e2e project holds its copy of benchgate (the
// action `uses: ./benchgate-action`, its Dockerfile's base images mapped to
// the local stand-ins: StageAction); actionImage is the image act builds
// for it once and reuses for the later runs.
const (
	actionDir   = "benchgate-action"
	actionImage = "act-benchgate-action-dockeraction:latest"
)

// TestGitHubE2E runs benchgate's GitHub mode as a runner runs it: act builds
// the action's Dockerfile (FROM the local stand-ins) and runs testdata/bench.yml in a small Go project
// whose origin is a local bare repository, against the fake GitHub API on
// loopback. A push to main seeds the data branch; a pull request with a
// slowdown gets a failing check and exactly one comment; a second run of it
// edits that comment; a run without the slowdown passes and the comment
// says so.
func TestGitHubE2E(t *testing.T) {
	ctx := context.Background()
	if err := CheckDocker(ctx, append([]string{DefaultJobImage}, standIns()...)...); err != nil {
		t.Fatal(err)
	}
	act, err := FindAct()
	if err != nil {
		t.Fatal(err)
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	const token = "ghs_e2e-github-mode-token"
	api := forgetest.New(t, forgetest.Options{Repository: "octo/bench", Token: token, Addr: "127.0.0.1:0"})
	p := newProject(t)
	_ = exec.Command("docker", "rmi", "-f", actionImage).Run() // built afresh from this tree, once
	t.Cleanup(func() { _ = exec.Command("docker", "rmi", "-f", actionImage).Run() })

	runID := 0
	run := func(event, eventFile string) (Result, error) {
		runID++
		w := Workflow{Dir: p.dir, File: filepath.Join(p.dir, ".github/workflows/bench.yml"), Event: event, EventFile: eventFile,
			APIURL: api.URL, Secrets: map[string]string{"GITHUB_TOKEN": token},
			Env: map[string]string{"GITHUB_REPOSITORY": "octo/bench", "GITHUB_RUN_ID": fmt.Sprint(1000 + runID),
				"GITHUB_SERVER_URL": "https://github.com", "RUNNER_NAME": "e2e-runner"},
			ContainerOptions: "-v " + strings.TrimSpace(string(goroot)) + ":/usr/local/go:ro",
			Timeout:          20 * time.Minute}
		before := len(api.Requests())
		res, err := w.Run(ctx, act)
		t.Logf("act %s: %v; %d API requests; %s", event, res.Duration.Round(time.Second), len(api.Requests())-before, ownTime(res.Log))
		if strings.Contains(res.Log, token) {
			t.Errorf("the token appears in act's log")
		}
		if os.Getenv("E2E_LOG") != "" {
			t.Log(res.Log)
		}
		return res, err
	}

	// 1. A push to main seeds the data branch.
	mainSHA := p.git("rev-parse", "HEAD")
	push := p.event("push.json", map[string]any{"before": strings.Repeat("0", 40), "after": mainSHA, "ref": "refs/heads/main"})
	if res, err := run("push", push); err != nil {
		t.Fatalf("push run: %v\n%s", err, tail(res.Log, 8000))
	}
	if out := p.git("ls-remote", p.origin, "refs/heads/benchgate-data"); out == "" {
		t.Fatalf("the push run did not create the data branch")
	}

	// 2. A pull request that slows Count down: failing job and check, one comment.
	p.git("switch", "-q", "-c", "feature")
	p.writeCode(true)
	p.git("commit", "-q", "-am", "slower word count")
	prSHA := p.git("rev-parse", "HEAD")
	p.git("push", "-q", "origin", "feature")
	p.git("fetch", "-q", "origin")
	api.AddPull(forgetest.Pull{Number: 7, HeadSHA: prSHA, HeadRef: "feature", BaseSHA: mainSHA, BaseRef: "main"})
	pr := p.prEvent("pr.json", 7, prSHA, mainSHA)
	res, err := run("pull_request", pr)
	if err == nil {
		t.Errorf("the slowed-down PR run passed; want a failing job\n%s", tail(res.Log, 8000))
	}
	if !strings.Contains(res.Log, "e2e verdict=regression") {
		t.Errorf("act log lacks the later step's \"e2e verdict=regression\"\n%s", tail(res.Log, 8000))
	}
	comments := api.Comments(7)
	if len(comments) != 1 || !strings.Contains(comments[0].Body, "### ❌ benchgate · results — FAIL") ||
		!strings.Contains(comments[0].Body, "BenchmarkCount") || !strings.Contains(comments[0].Body, "xychart-beta") {
		t.Fatalf("comments after the slow run: got %d; want one failing comment with a chart: %+v", len(comments), comments)
	}
	checkLast(t, api, prSHA, "failure")

	// 3. The same pull request again: the comment is edited, still one.
	if _, err := run("pull_request", pr); err == nil {
		t.Errorf("the second slow run passed; want a failing job")
	}
	if c := api.Comments(7); len(c) != 1 || c[0].ID != comments[0].ID || c[0].Edits != 1 {
		t.Errorf("comments after the second run: got %+v; want comment %d edited once", c, comments[0].ID)
	}

	// 4. The slowdown is fixed: the job passes and the same comment says so.
	p.writeCode(false)
	p.git("commit", "-q", "-am", "fast again")
	fixedSHA := p.git("rev-parse", "HEAD")
	api.AddPull(forgetest.Pull{Number: 7, HeadSHA: fixedSHA, HeadRef: "feature", BaseSHA: mainSHA, BaseRef: "main"})
	pr2 := p.prEvent("pr2.json", 7, fixedSHA, mainSHA)
	if res, err := run("pull_request", pr2); err != nil {
		t.Errorf("the fixed PR run failed: %v\n%s", err, tail(res.Log, 8000))
	}
	c := api.Comments(7)
	if len(c) != 1 || c[0].ID != comments[0].ID || !strings.Contains(c[0].Body, "### ✅ benchgate · results — PASS") {
		t.Errorf("comments after the fixed run: got %+v; want the same comment saying PASS", c)
	}
	checkLast(t, api, fixedSHA, "success")
}

// checkLast fails unless the newest check run is benchgate's on sha with
// the conclusion.
func checkLast(t *testing.T, api *forgetest.Server, sha, conclusion string) {
	t.Helper()
	runs := api.CheckRuns()
	if len(runs) == 0 {
		t.Fatalf("no check run")
	}
	last := runs[len(runs)-1]
	if last.Name != "benchgate / results" || last.HeadSHA != sha || last.Conclusion != conclusion {
		t.Errorf("check run: got %q on %s: %s; want \"benchgate / results\" on %s: %s", last.Name, last.HeadSHA, last.Conclusion, sha, conclusion)
	}
}

var ownRE = regexp.MustCompile(`benchgate action done.*own_wall_time=(\S+)`)

// ownTime is the action's own wall time (benchmarks excluded) from its log.
func ownTime(log string) string {
	if m := ownRE.FindStringSubmatch(log); m != nil {
		return "action's own wall time " + m[1]
	}
	return "no own wall time in the log"
}

// project is the e2e Go project: a git checkout with origin a local bare
// repository inside it (so that the action's container, which sees the
// workspace at its host path, reaches it), and a copy of benchgate.
type project struct {
	t      *testing.T
	dir    string
	origin string
}

func newProject(t *testing.T) *project {
	dir := t.TempDir()
	p := &project{t: t, dir: dir, origin: filepath.Join(dir, ".origin.git")}
	for _, f := range []struct{ src, dst string }{{"gomod/go.mod.txt", "go.mod"}, {"gomod/wordcount_test.go.txt", "wordcount/wordcount_test.go"}, {"bench.yml", ".github/workflows/bench.yml"}} {
		data, err := os.ReadFile(filepath.Join("testdata", f.src))
		if err != nil {
			t.Fatal(err)
		}
		p.write(f.dst, string(data))
	}
	p.write(".gitignore", "bench.txt\n.origin.git/\n"+actionDir+"/\nbenchgate-comment.json\n")
	p.writeCode(false)
	copyBenchgate(t, filepath.Join(dir, actionDir))
	if err := StageAction(filepath.Join(dir, actionDir)); err != nil { // FROM the local stand-ins
		t.Fatal(err)
	}
	p.git("init", "-q", "-b", "main")
	p.git("add", ".")
	p.git("commit", "-q", "-m", "word count")
	p.git("init", "-q", "--bare", p.origin)
	p.git("remote", "add", "origin", p.origin)
	p.git("push", "-q", "origin", "main")
	p.git("fetch", "-q", "origin")
	return p
}

func (p *project) write(rel, content string) {
	path := filepath.Join(p.dir, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		p.t.Fatal(err)
	}
}

func (p *project) writeCode(slow bool) {
	data, err := os.ReadFile("testdata/gomod/wordcount.go.txt")
	if err != nil {
		p.t.Fatal(err)
	}
	p.write("wordcount/wordcount.go", strings.Replace(string(data), "SLOW", fmt.Sprint(slow), 1))
}

func (p *project) git(args ...string) string {
	p.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = p.dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		p.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

var repo = map[string]any{"full_name": "octo/bench", "default_branch": "main", "fork": false}

// event writes an event payload (with the repository) and returns its path.
func (p *project) event(name string, ev map[string]any) string {
	ev["repository"] = repo
	data, err := json.Marshal(ev)
	if err != nil {
		p.t.Fatal(err)
	}
	path := filepath.Join(p.t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		p.t.Fatal(err)
	}
	return path
}

func (p *project) prEvent(name string, n int, head, base string) string {
	return p.event(name, map[string]any{"action": "synchronize", "number": n, "pull_request": map[string]any{
		"number": n, "head": map[string]any{"sha": head, "ref": "feature", "repo": repo},
		"base": map[string]any{"sha": base, "ref": "main", "repo": repo}}})
}

// copyBenchgate copies this repository's files (tracked, and untracked but
// not ignored: the tree as it is now) to dst, for the action's image.
func copyBenchgate(t *testing.T, dst string) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		src := filepath.Join(root, rel)
		info, err := os.Lstat(src)
		if os.IsNotExist(err) {
			continue // deleted in the working tree
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		// Executable scripts stay executable (the Dockerfile runs scripts/build-web.sh).
		if err := os.WriteFile(path, data, 0o644|info.Mode().Perm()&0o111); err != nil {
			t.Fatal(err)
		}
	}
}

// standIns returns the local stand-ins of the Dockerfile's base images.
func standIns() []string {
	var imgs []string
	for _, img := range StandIns {
		imgs = append(imgs, img)
	}
	slices.Sort(imgs)
	return imgs
}
