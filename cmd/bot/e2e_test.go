package main

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/databranch"
	"github.com/benchgate/benchgate/internal/forge/forgetest"
	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
	"github.com/benchgate/benchgate/internal/webhook"
)

const repo = "acme/models"

// commitID is the synthetic 40-hex id of main commit i.
func commitID(i int) string {
	sum := sha1.Sum([]byte("main-" + strconv.Itoa(i)))
	return hex.EncodeToString(sum[:])
}

// fill writes main commits from..to−1 to the data branch of the bare
// repository remote, saving with databranch (the code of `benchgate save`)
// every 10 commits: 6 Go benchmarks, 5 samples each at 2 % noise; the two
// "Encode" benchmarks are 10 % slower from commit 25 and, with recover,
// back from commit 41.
func fill(t *testing.T, remote string, from, to int, recover bool) {
	t.Helper()
	fillSteps(t, remote, from, to, func(name string, c int) float64 {
		if strings.HasPrefix(name, "BenchmarkEncode") && c >= 25 && !(recover && c >= 41) {
			return 1.10
		}
		return 1
	})
}

// fillSteps is fill with the factor of each benchmark at each commit.
func fillSteps(t *testing.T, remote string, from, to int, factor func(name string, c int) float64) {
	t.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, uint64(from)))
	names := []string{"BenchmarkEncodeJSON", "BenchmarkEncodeProto", "BenchmarkDecodeJSON", "BenchmarkSort", "BenchmarkHash", "BenchmarkParse"}
	for start := from; start < to; start += 10 {
		db, err := store.Open(ctx, filepath.Join(t.TempDir(), "local.duckdb"))
		if err != nil {
			t.Fatal(err)
		}
		for c := start; c < min(start+10, to); c++ {
			var rs []results.Result
			for k, name := range names {
				f := factor(name, c)
				m := results.Metric{Name: "sec/op", Unit: "s", Better: results.SmallerIsBetter}
				for range 5 {
					m.Samples = append(m.Samples, float64(k+1)*1e-4*f*(1+0.02*rng.NormFloat64()))
				}
				rs = append(rs, results.Result{Name: name, Params: map[string]string{"procs": "4"},
					Hardware: results.Hardware{Type: "cpu", DeviceName: "EPYC"}, Metrics: []results.Metric{m}})
			}
			run := store.Run{ID: fmt.Sprintf("run-%d", c), Commit: commitID(c), Ref: "refs/heads/main", Suite: "go", Runner: "bench-1",
				CreatedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(c) * time.Hour)}
			if _, err := db.Ingest(ctx, run, rs); err != nil {
				t.Fatal(err)
			}
		}
		b := &databranch.Branch{Remote: remote, Name: databranch.DefaultBranch}
		if _, err := b.Save(ctx, db); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
}

// bareRepo returns a new bare repository to hold the data branch.
func bareRepo(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "origin.git")
	if out, err := exec.Command("git", "init", "--bare", "-q", dir).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	return dir
}

// sync runs `benchgate-bot sync` against the fake and returns its stdout.
func sync1(t testing.TB, api *forgetest.Server, remote string, extra ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	args := append([]string{"sync", "--repo", repo, "--remote", remote, "--api-url", api.URL}, extra...)
	getenv := func(k string) string {
		if k == "GITHUB_TOKEN" {
			return "test-token"
		}
		return ""
	}
	if code := run(context.Background(), args, getenv, &stdout, &stderr); code != 0 {
		t.Fatalf("sync exited %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	t.Logf("sync %v:\n%s%s", extra, stdout.String(), stderr.String())
	return stdout.String()
}

func openIssues(api *forgetest.Server) []forgetest.Issue {
	var out []forgetest.Issue
	for _, is := range api.Issues() {
		if is.State != "closed" {
			out = append(out, is)
		}
	}
	return out
}

// TestSyncEndToEnd: a data branch filled by `benchgate run` and `benchgate
// save` over 40 main commits with a 10 % slowdown in two benchmarks from
// commit 25 → one issue naming both and the suspect range; a second sync
// changes nothing; recovery closes it.
func TestSyncEndToEnd(t *testing.T) {
	remote := bareRepo(t)
	fillPipeline(t, remote, 0, 40, false)
	api := forgetest.New(t, forgetest.Options{Repository: repo, Token: "test-token"})

	if late := sync1(t, api, remote, "--dry-run", "--since", commitID(30)[:10]); !strings.Contains(late, "0 actions") {
		t.Errorf("--since after the range: %s; want nothing planned", late)
	}
	dry := sync1(t, api, remote, "--dry-run", "--format", "json")
	if len(api.Issues()) != 0 || !strings.Contains(dry, `"kind": "open"`) {
		t.Fatalf("dry run: issues %v; plan %s; want nothing filed and an open planned", api.Issues(), dry)
	}
	sync1(t, api, remote)
	open := openIssues(api)
	if len(open) != 1 {
		t.Fatalf("open issues = %+v; want exactly one", open)
	}
	is := open[0]
	for _, want := range []string{"BenchmarkEncodeJSON", "BenchmarkEncodeProto", commitID(25)[:12], "/compare/"} {
		if !strings.Contains(is.Body, want) {
			t.Errorf("issue body lacks %q:\n%s", want, is.Body)
		}
	}
	for _, not := range []string{"BenchmarkSort", "BenchmarkHash"} {
		if strings.Contains(is.Title, not) {
			t.Errorf("title %q names unchanged %s", is.Title, not)
		}
	}
	edits, requests := is.Edits, api.RequestCount()
	sync1(t, api, remote)
	again, _ := api.IssueByNumber(is.Number)
	if len(api.Issues()) != 1 || again.Edits != edits || len(api.Comments(is.Number)) != 0 {
		t.Errorf("second sync changed something: issues %d, edits %d → %d, comments %d", len(api.Issues()), edits, again.Edits, len(api.Comments(is.Number)))
	}
	t.Logf("API calls: first sync and its dry run %d, a sync with the issue open %d", requests, api.RequestCount()-requests)

	// The reports site, published after the reconciliation, links the
	// range to its issue.
	pages := bareRepo(t)
	sync1(t, api, remote, "--publish-site", "--site-remote", pages)
	manifest, err := exec.Command("git", "--git-dir="+pages, "show", "gh-pages:data/manifest.json").Output()
	if err != nil {
		t.Fatalf("the published site has no manifest: %v", err)
	}
	issueURL := fmt.Sprintf("https://github.com/%s/issues/%d", repo, is.Number)
	if !strings.Contains(string(manifest), `"issue":"`+issueURL+`"`) {
		t.Errorf("the published manifest does not link the range to %s:\n%.2000s", issueURL, manifest)
	}

	fillPipeline(t, remote, 40, 55, true)
	sync1(t, api, remote)
	closed, _ := api.IssueByNumber(is.Number)
	cs := api.Comments(is.Number)
	if closed.State != "closed" || len(cs) == 0 || !strings.Contains(cs[len(cs)-1].Body, commitID(41)[:12]) {
		t.Errorf("after recovery: state %s, comments %+v; want closed with a comment naming %s", closed.State, cs, commitID(41)[:12])
	}
}

// TestConcurrentSyncs: two syncs at once may both file (the test adds the
// second issue when they did not race); the next sync leaves one open
// issue, the younger closed as a duplicate of the older.
func TestConcurrentSyncs(t *testing.T) {
	remote := bareRepo(t)
	fill(t, remote, 0, 40, false)
	api := forgetest.New(t, forgetest.Options{Repository: repo, Token: "test-token"})
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() { sync1(t, api, remote) })
	}
	wg.Wait()
	// Whether or not the two raced here, make the lost race certain: a
	// second issue for the same range, filed later.
	if all := api.Issues(); len(all) == 1 {
		dup := all[0]
		dup.Number, dup.Edits, dup.CreatedAt = 0, 0, dup.CreatedAt.Add(time.Second)
		api.AddIssue(dup)
	}
	sync1(t, api, remote)
	if open := openIssues(api); len(open) != 1 {
		t.Errorf("open issues after concurrent syncs = %d (%+v); want 1", len(open), open)
	}
	for _, is := range api.Issues() {
		if is.State == "closed" && is.StateReason != "duplicate" {
			t.Errorf("issue #%d closed as %q; want duplicate", is.Number, is.StateReason)
		}
	}
}

// TestServe: signed deliveries only; a reader's /benchgate accept is
// refused, a writer's closes the issue; a replayed delivery does nothing.
func TestServe(t *testing.T) {
	remote := bareRepo(t)
	fill(t, remote, 0, 40, false)
	api := forgetest.New(t, forgetest.Options{Repository: repo, Token: "test-token"})
	sync1(t, api, remote)
	open := openIssues(api)
	if len(open) != 1 {
		t.Fatalf("open issues = %d; want 1", len(open))
	}
	n := open[0].Number
	api.SetPermission("reader", "read")
	api.SetPermission("writer", "write")

	secret := "s3cret"
	getenv := func(k string) string {
		switch k {
		case "GITHUB_TOKEN":
			return "test-token"
		case "BENCHGATE_WEBHOOK_SECRET":
			return secret
		}
		return ""
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--repo", repo, "--remote", remote, "--api-url", api.URL}, getenv, pw, &stderr)
		pw.Close()
	}()
	line := make([]byte, 256)
	k, _ := pr.Read(line)
	addr := strings.TrimSpace(strings.TrimPrefix(string(line[:k]), "listening on "))
	go io.Copy(io.Discard, pr)

	post := func(delivery, sig string, body []byte) int {
		req, _ := http.NewRequest("POST", "http://"+addr+"/webhook", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-GitHub-Event", "issue_comment")
		req.Header.Set("X-GitHub-Delivery", delivery)
		if sig != "" {
			req.Header.Set("X-Hub-Signature-256", sig)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	comment := func(user, text string) []byte {
		return fmt.Appendf(nil, `{"action":"created","repository":{"full_name":%q,"default_branch":"main"},"issue":{"number":%d},"comment":{"body":%q,"user":{"login":%q,"type":"User"}}}`,
			repo, n, text, user)
	}
	reader := comment("reader", "/benchgate accept we know")
	if got := post("d-1", "sha256=00", reader); got != http.StatusUnauthorized {
		t.Errorf("forged signature: %d; want 401", got)
	}
	if got := post("d-2", webhook.Signature([]byte(secret), reader), reader); got != http.StatusAccepted {
		t.Errorf("reader's command: %d; want 202", got)
	}
	writer := comment("writer", "/benchgate accept the new encoder is slower by design")
	if got := post("d-3", webhook.Signature([]byte(secret), writer), writer); got != http.StatusAccepted {
		t.Errorf("writer's command: %d; want 202", got)
	}
	if got := post("d-3", webhook.Signature([]byte(secret), writer), writer); got != http.StatusOK {
		t.Errorf("replayed delivery: %d; want 200 (duplicate, ignored)", got)
	}
	cancel() // SIGTERM: the queued commands finish before serve returns
	if code := <-done; code != 0 {
		t.Fatalf("serve exited %d: %s", code, stderr.String())
	}
	is, _ := api.IssueByNumber(n)
	cs := api.Comments(n)
	if is.State != "closed" || len(cs) != 2 || !strings.Contains(cs[0].Body, "write access") {
		t.Errorf("issue %s, comments %+v; want the reader refused, then closed by the writer's accept", is.State, cs)
	}

	// The store records the accept too: a sync that keeps its database
	// marks those regressions accepted, and the issue stays closed.
	work := t.TempDir()
	sync1(t, api, remote, "--work-dir", work)
	st, err := store.OpenReadOnly(context.Background(), filepath.Join(work, "benchgate.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ds, err := st.Detections(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	accepted := 0
	for _, d := range ds {
		if d.Status == store.StatusAccepted && d.Notes == fmt.Sprintf("accepted in #%d", n) {
			accepted++
		}
	}
	if accepted != 2 {
		t.Errorf("stored detections %+v; want the two regressions of #%d accepted", ds, n)
	}
	if again, _ := api.IssueByNumber(n); again.State != "closed" {
		t.Errorf("the accepted issue is %s after the next sync; want closed", again.State)
	}
}

// TestSyncAPICalls: five regressions at five commits open five issues; a
// sync with the five open and nothing new makes one API call.
func TestSyncAPICalls(t *testing.T) {
	remote := bareRepo(t)
	names := []string{"BenchmarkEncodeJSON", "BenchmarkEncodeProto", "BenchmarkDecodeJSON", "BenchmarkSort", "BenchmarkHash"}
	fillSteps(t, remote, 0, 50, func(name string, c int) float64 {
		for k, n := range names {
			if n == name && c >= 12+6*k {
				return 1.2
			}
		}
		return 1
	})
	api := forgetest.New(t, forgetest.Options{Repository: repo, Token: "test-token"})
	before := api.RequestCount()
	sync1(t, api, remote)
	first := api.RequestCount() - before
	if open := openIssues(api); len(open) != 5 {
		t.Fatalf("open issues = %d; want 5", len(open))
	}
	before = api.RequestCount()
	sync1(t, api, remote)
	again := api.RequestCount() - before
	t.Logf("API calls: first sync (0 issues open → 5 opened) %d; next sync (5 open, nothing new) %d", first, again)
	if again != 1 {
		t.Errorf("a sync with nothing to do made %d API calls; want 1 (the listing)", again)
	}
}
