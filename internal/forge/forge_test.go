package forge_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/forge"
	"github.com/benchgate/benchgate/internal/forge/forgetest"
)

const (
	repo  = "octo/bench"
	token = "ghs_secret-token-value.with.dots"
	bot   = "github-actions[bot]"
	sha1  = "1111111111111111111111111111111111111111"
	sha2  = "2222222222222222222222222222222222222222"
	base1 = "3333333333333333333333333333333333333333"
)

// sleeps records the retry transport's waits instead of sleeping.
type sleeps struct{ got []time.Duration }

func (s *sleeps) sleep(_ context.Context, d time.Duration) error {
	s.got = append(s.got, d)
	return nil
}

func newClient(t *testing.T, api string, sl *sleeps) *forge.Client {
	t.Helper()
	if sl == nil {
		sl = &sleeps{}
	}
	c, err := forge.New(context.Background(), forge.Config{
		APIURL: api, Token: token, Repository: repo,
		Retry: forge.RetryPolicy{Sleep: sl.sleep, Now: func() time.Time { return time.Unix(1_800_000_000, 0) }},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newFake(t *testing.T) *forgetest.Server {
	f := forgetest.New(t, forgetest.Options{Repository: repo, Token: token})
	f.AddPull(forgetest.Pull{Number: 7, Title: "speed up", HeadSHA: sha1, HeadRef: "feature", BaseSHA: base1, BaseRef: "main",
		Files: []string{"a.go", "b.go"}})
	f.AddPull(forgetest.Pull{Number: 8, Title: "from a fork", HeadSHA: sha2, HeadRef: "patch-1", HeadRepo: "mallory/bench",
		BaseSHA: base1, BaseRef: "main"})
	return f
}

func TestUpsertComment(t *testing.T) {
	mark := forge.Marker("bench.yml", "models")
	other := forge.Marker("bench.yml", "go")
	tests := []struct {
		name     string
		seed     func(f *forgetest.Server)
		body     string
		wantBody []string // the PR's comment bodies afterwards, oldest first, without markers
		created  bool
		patches  int // PATCH requests made
		deletes  int
	}{
		{name: "first run creates", body: "v1", wantBody: []string{"v1"}, created: true},
		{name: "second run edits in place",
			seed: func(f *forgetest.Server) { f.AddComment(7, bot, "old\n\n"+mark+"\n") },
			body: "v2", wantBody: []string{"v2"}, patches: 1},
		{name: "unchanged body is not re-sent",
			seed: func(f *forgetest.Server) { f.AddComment(7, bot, "same\n\n"+mark+"\n") },
			body: "same", wantBody: []string{"same"}},
		{name: "a human quoting the marker is left alone",
			seed: func(f *forgetest.Server) { f.AddComment(7, "alice", "look: "+mark) },
			body: "v1", wantBody: []string{"look: " + mark, "v1"}, created: true},
		{name: "another suite's comment is separate",
			seed: func(f *forgetest.Server) { f.AddComment(7, bot, "go suite\n\n"+other+"\n") },
			body: "v1", wantBody: []string{"go suite\n\n" + other + "\n", "v1"}, created: true},
		{name: "racing duplicates: oldest kept, newer deleted",
			seed: func(f *forgetest.Server) {
				f.AddComment(7, bot, "a\n\n"+mark+"\n")
				f.AddComment(7, bot, "b\n\n"+mark+"\n")
			},
			body: "c", wantBody: []string{"c"}, patches: 1, deletes: 1},
		{name: "found on the second page",
			seed: func(f *forgetest.Server) {
				for i := range 130 {
					f.AddComment(7, "alice", fmt.Sprintf("chatter %d", i))
				}
				f.AddComment(7, bot, "old\n\n"+mark+"\n")
			},
			body: "new", patches: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			if tt.seed != nil {
				tt.seed(f)
			}
			c := newClient(t, f.URL, nil)
			got, err := c.UpsertComment(context.Background(), 7, mark, tt.body)
			if err != nil {
				t.Fatal(err)
			}
			if got.Created != tt.created {
				t.Errorf("created: got %v; want %v", got.Created, tt.created)
			}
			var ours int
			var bodies []string
			for _, cm := range f.Comments(7) {
				b := strings.TrimSuffix(cm.Body, "\n\n"+mark+"\n")
				if b != cm.Body {
					ours++
					if cm.ID != got.ID {
						t.Errorf("comment id: got %d; want the kept comment %d", got.ID, cm.ID)
					}
				}
				bodies = append(bodies, b)
			}
			if ours != 1 {
				t.Errorf("comments with the marker by the bot: got %d; want 1", ours)
			}
			if tt.wantBody != nil && fmt.Sprint(bodies) != fmt.Sprint(tt.wantBody) {
				t.Errorf("bodies: got %q; want %q", bodies, tt.wantBody)
			}
			if p := count(f, "PATCH", ""); p != tt.patches {
				t.Errorf("PATCH requests: got %d; want %d", p, tt.patches)
			}
			if d := count(f, "DELETE", ""); d != tt.deletes {
				t.Errorf("DELETE requests: got %d; want %d", d, tt.deletes)
			}
		})
	}
}

func TestUpsertCommentTooLong(t *testing.T) {
	f := newFake(t)
	c := newClient(t, f.URL, nil)
	_, err := c.UpsertComment(context.Background(), 7, forge.Marker("w", "s"), strings.Repeat("é", forge.MaxCommentChars))
	if err == nil || !strings.Contains(err.Error(), "65536") {
		t.Fatalf("error: got %v; want one naming the 65536-character limit", err)
	}
	if n := len(f.Requests()); n != 0 {
		t.Errorf("requests: got %d; want 0", n)
	}
}

func TestMarkerEscapes(t *testing.T) {
	got := forge.Marker("evil --> <b>", "a b")
	want := "<!-- benchgate:comment workflow=evil+--%3E+%3Cb%3E suite=a+b -->"
	if got != want {
		t.Errorf("Marker: got %q; want %q", got, want)
	}
}

func count(f *forgetest.Server, method, pathPart string) int {
	n := 0
	for _, r := range f.Requests() {
		if r.Method == method && strings.Contains(r.Path, pathPart) {
			n++
		}
	}
	return n
}

func TestPublishCheck(t *testing.T) {
	tests := []struct {
		name        string
		annotations int
		wantReqs    int
	}{
		{"no annotations", 0, 1},
		{"exactly one batch", 50, 1},
		{"three batches", 120, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			c := newClient(t, f.URL, nil)
			var anns []forge.CheckAnnotation
			for i := range tt.annotations {
				anns = append(anns, forge.CheckAnnotation{Path: "bench/x_test.go", StartLine: i + 1, EndLine: i + 1,
					Level: "warning", Title: "regressed", Message: fmt.Sprintf("series %d", i)})
			}
			id, err := c.PublishCheck(context.Background(), forge.Check{Suite: "models", HeadSHA: sha1, Conclusion: "failure",
				Title: "1 regression", Summary: strings.Repeat("s", forge.MaxCheckText+10), Annotations: anns})
			if err != nil {
				t.Fatal(err)
			}
			runs := f.CheckRuns()
			if len(runs) != 1 {
				t.Fatalf("check runs: got %d; want 1", len(runs))
			}
			r := runs[0]
			if r.ID != id || r.Name != "benchgate / models" || r.HeadSHA != sha1 || r.Status != "completed" || r.Conclusion != "failure" {
				t.Errorf("check run: got %d %q %s %s %s; want %d \"benchgate / models\" %s completed failure", r.ID, r.Name, r.HeadSHA, r.Status, r.Conclusion, id, sha1)
			}
			if len(r.Annotations) != tt.annotations {
				t.Errorf("annotations: got %d; want %d", len(r.Annotations), tt.annotations)
			}
			for i, a := range r.Annotations {
				if want := fmt.Sprintf("series %d", i); a.Message != want {
					t.Fatalf("annotation %d: got %q; want %q (order kept)", i, a.Message, want)
				}
			}
			if r.Requests != tt.wantReqs {
				t.Errorf("requests: got %d; want %d", r.Requests, tt.wantReqs)
			}
			if n := len([]rune(r.Summary)); n != forge.MaxCheckText || !strings.HasSuffix(r.Summary, "(truncated)") {
				t.Errorf("summary: got %d characters ending %q; want %d ending (truncated)", n, r.Summary[len(r.Summary)-12:], forge.MaxCheckText)
			}
		})
	}
}

func TestPublishCheckInvalid(t *testing.T) {
	ok := forge.Check{Suite: "s", HeadSHA: sha1, Conclusion: "success", Title: "t"}
	tests := []struct {
		name string
		edit func(*forge.Check)
		want string
	}{
		{"bad conclusion", func(c *forge.Check) { c.Conclusion = "passed" }, `conclusion "passed"`},
		{"merge ref instead of sha", func(c *forge.Check) { c.HeadSHA = "refs/pull/7/merge" }, "head sha"},
		{"annotation level", func(c *forge.Check) {
			c.Annotations = []forge.CheckAnnotation{{Path: "a", StartLine: 1, EndLine: 1, Level: "error", Message: "m"}}
		}, `level "error"`},
		{"annotation lines", func(c *forge.Check) {
			c.Annotations = []forge.CheckAnnotation{{Path: "a", StartLine: 3, EndLine: 2, Level: "notice", Message: "m"}}
		}, "annotation 1"},
	}
	f := newFake(t)
	c := newClient(t, f.URL, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := ok
			tt.edit(&ch)
			_, err := c.PublishCheck(context.Background(), ch)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error: got %v; want one containing %q", err, tt.want)
			}
		})
	}
	if n := len(f.Requests()); n != 0 {
		t.Errorf("requests: got %d; want 0", n)
	}
}

func TestPullRequests(t *testing.T) {
	f := newFake(t)
	c := newClient(t, f.URL, nil)
	ctx := context.Background()
	pr, err := c.PullRequest(ctx, 7)
	if err != nil {
		t.Fatal(err)
	}
	if pr.HeadSHA != sha1 || pr.BaseSHA != base1 || pr.BaseRef != "main" || pr.Fork {
		t.Errorf("PR 7: got %+v; want head %s base %s main, not a fork", pr, sha1, base1)
	}
	fork, err := c.PullRequest(ctx, 8)
	if err != nil {
		t.Fatal(err)
	}
	if !fork.Fork || fork.HeadRepo != "mallory/bench" {
		t.Errorf("PR 8: got fork %v head repo %q; want a fork from mallory/bench", fork.Fork, fork.HeadRepo)
	}
	if _, err := c.VerifyHead(ctx, 7, sha1); err != nil {
		t.Errorf("VerifyHead(7, head): %v", err)
	}
	_, err = c.VerifyHead(ctx, 7, sha2)
	var moved *forge.ErrHeadMoved
	if !errorsAs(err, &moved) || moved.Got != sha1 {
		t.Errorf("VerifyHead(7, other): got %v; want *ErrHeadMoved with head %s", err, sha1)
	}
	files, err := c.ChangedFiles(ctx, 7)
	if err != nil || fmt.Sprint(files) != "[a.go b.go]" {
		t.Errorf("ChangedFiles: got %v, %v; want [a.go b.go]", files, err)
	}
	prs, err := c.PullRequestsForCommit(ctx, sha2)
	if err != nil || len(prs) != 1 || prs[0].Number != 8 {
		t.Errorf("PullRequestsForCommit: got %+v, %v; want PR 8", prs, err)
	}
	if _, err := c.PullRequest(ctx, 99); err == nil || !strings.Contains(err.Error(), "#99") {
		t.Errorf("PullRequest(99): got %v; want an error naming #99", err)
	}
}

// TestEnterpriseURL serves the fake under /api/v3, as GitHub Enterprise
// Server does, and fails any request that escapes the prefix.
func TestEnterpriseURL(t *testing.T) {
	f := newFake(t)
	target, _ := url.Parse(f.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	mux := http.NewServeMux()
	mux.Handle("/api/v3/", http.StripPrefix("/api/v3", proxy))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request escaped the /api/v3 prefix: %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
	})
	ghes := httptest.NewServer(mux)
	defer ghes.Close()
	c := newClient(t, ghes.URL+"/api/v3", nil)
	if _, err := c.PullRequest(context.Background(), 7); err != nil {
		t.Fatal(err)
	}
}

func TestNewInvalid(t *testing.T) {
	tests := []struct{ repo, api, want string }{
		{"noslash", "", "owner/name"},
		{"a/b/c", "", "owner/name"},
		{"a/b", "ftp://x", "http(s)"},
		{"a/b", "://", "api url"},
	}
	for _, tt := range tests {
		_, err := forge.New(context.Background(), forge.Config{Repository: tt.repo, APIURL: tt.api})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%q, %q): got %v; want an error containing %q", tt.repo, tt.api, err, tt.want)
		}
	}
}
