package site

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/store"
)

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(body)
}

// TestServe: the site of a database served live, with its policy, rebuilt
// once the database has a new run; read-only.
func TestServe(t *testing.T) {
	path, db := fixture(t, 5)
	db.Close()
	srv := &Server{DBPath: path, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	defer srv.Close()
	hs := httptest.NewServer(srv)
	defer hs.Close()

	res, _ := get(t, hs.URL+"/")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Security-Policy") != ContentSecurityPolicy {
		t.Fatalf("GET /: %s, policy %q", res.Status, res.Header.Get("Content-Security-Policy"))
	}
	runs := func() int {
		_, body := get(t, hs.URL+"/data/manifest.json")
		var m struct{ Counts struct{ Runs int } }
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatal(err)
		}
		return m.Counts.Runs
	}
	if n := runs(); n != 7 {
		t.Fatalf("runs served: %d, want 7", n)
	}
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	ingestRun(t, db, rand.New(rand.NewPCG(5, 6)), []fixtureSeries{{name: "new", batch: "1", hw: cpu, latency: 1e-3, memory: 1e6}},
		store.Run{ID: "late", Commit: commitID(99), Ref: "refs/heads/main", Suite: "models", CreatedAt: t0.Add(99 * time.Hour)}, 99, false)
	db.Close()
	// The server checks the file at most once a second: wait for the
	// rebuild by polling, not by sleeping a guessed time.
	deadline := time.Now().Add(30 * time.Second)
	for runs() != 8 {
		if time.Now().After(deadline) {
			t.Fatal("the served site never showed the new run")
		}
		time.Sleep(100 * time.Millisecond)
	}
	req, _ := http.NewRequest(http.MethodPost, hs.URL+"/data/manifest.json", strings.NewReader("x"))
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %s, want 405", res.Status)
	}
}

// TestPublish: the site lands on the branch as one parentless commit, and
// a second publish replaces it rather than growing the history.
func TestPublish(t *testing.T) {
	dir, _ := buildFixture(t)
	remote := filepath.Join(t.TempDir(), "remote.git")
	if out, err := exec.Command("git", "init", "--quiet", "--bare", remote).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v: %s", err, out)
	}
	ctx := context.Background()
	first, err := Publish(ctx, dir, PublishOptions{Remote: remote})
	if err != nil {
		t.Fatal(err)
	}
	second, err := Publish(ctx, dir, PublishOptions{Remote: remote, Message: "again"})
	if err != nil {
		t.Fatal(err)
	}
	if first.Replaced != "" || second.Replaced != first.Commit {
		t.Errorf("replaced %q then %q, want none then %s", first.Replaced, second.Replaced, first.Commit)
	}
	git := func(args ...string) string {
		out, err := exec.Command("git", append([]string{"--git-dir=" + remote}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v: %s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if n := git("rev-list", "--count", "gh-pages"); n != "1" {
		t.Errorf("gh-pages holds %s commits, want 1", n)
	}
	files := git("ls-tree", "-r", "--name-only", "gh-pages")
	for _, f := range []string{"index.html", "data/manifest.json", "data/parquet/runs.parquet", ".nojekyll"} {
		if !strings.Contains("\n"+files+"\n", "\n"+f+"\n") {
			t.Errorf("gh-pages lacks %s", f)
		}
	}
	if _, err := Publish(ctx, dir, PublishOptions{Remote: "--upload-pack=touch /tmp/x"}); err == nil {
		t.Error("a remote starting with - was accepted")
	}
}

// TestListenAndServe: the site answers on the address it says, and a
// cancelled context shuts the server down cleanly.
func TestListenAndServe(t *testing.T) {
	path, db := fixture(t, 3)
	db.Close()
	srv := &Server{DBPath: path, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	urls := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- srv.ListenAndServe(ctx, "127.0.0.1:0", func(u string) { urls <- u }) }()
	u := <-urls
	if res, _ := get(t, u+"data/manifest.json"); res.StatusCode != http.StatusOK {
		t.Errorf("GET %sdata/manifest.json: %s", u, res.Status)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("ListenAndServe after cancel: %v", err)
	}
}
