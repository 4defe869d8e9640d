package forge_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/forge"
)

func TestRetry(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	secondary := `{"message":"You have exceeded a secondary rate limit.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`
	tests := []struct {
		name      string
		method    string
		status    int
		header    http.Header
		body      string
		fails     int
		wantOK    bool
		wantSleep []time.Duration // nil: only count is checked against wantTries-1
		wantTries int
	}{
		{name: "502 then success", method: "GET", status: 502, fails: 2, wantOK: true, wantTries: 3},
		{name: "503 with Retry-After", method: "GET", status: 503, header: http.Header{"Retry-After": {"3"}}, fails: 1,
			wantOK: true, wantSleep: []time.Duration{3 * time.Second}, wantTries: 2},
		{name: "429 with Retry-After (unclassified by go-github v60)", method: "POST", status: 429,
			header: http.Header{"Retry-After": {"7"}}, fails: 1, wantOK: true, wantSleep: []time.Duration{7 * time.Second}, wantTries: 2},
		{name: "429 with x-ratelimit-reset", method: "POST", status: 429,
			header: http.Header{"X-Ratelimit-Reset": {fmt.Sprint(now.Unix() + 20)}, "X-Ratelimit-Remaining": {"0"}}, fails: 1,
			wantOK: true, wantSleep: []time.Duration{21 * time.Second}, wantTries: 2},
		{name: "403 secondary limit without a hint waits a minute", method: "POST", status: 403, body: secondary, fails: 1,
			wantOK: true, wantSleep: []time.Duration{time.Minute}, wantTries: 2},
		{name: "403 permission error is not retried", method: "POST", status: 403,
			body:  `{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest"}`,
			fails: 1, wantOK: false, wantTries: 1},
		{name: "404 is not retried", method: "GET", status: 404, body: `{"message":"Not Found"}`, fails: 1, wantOK: false, wantTries: 1},
		{name: "attempts are bounded", method: "GET", status: 500, fails: 10, wantOK: false, wantTries: 4},
		{name: "a wait beyond MaxWait is not taken", method: "GET", status: 429, header: http.Header{"Retry-After": {"3600"}},
			fails: 1, wantOK: false, wantTries: 1},
		{name: "primary limit with a near reset", method: "GET", status: 403,
			header: http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {fmt.Sprint(now.Unix() + 5)}},
			body:   `{"message":"API rate limit exceeded"}`, fails: 1, wantOK: true, wantSleep: []time.Duration{6 * time.Second}, wantTries: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			var path string
			var call func(c *forge.Client) error
			if tt.method == "GET" {
				path = "/repos/octo/bench/pulls/7"
				call = func(c *forge.Client) error { _, err := c.PullRequest(context.Background(), 7); return err }
			} else {
				path = "/repos/octo/bench/check-runs"
				call = func(c *forge.Client) error {
					_, err := c.PublishCheck(context.Background(), forge.Check{Suite: "s", HeadSHA: sha1, Conclusion: "success", Title: "ok"})
					return err
				}
			}
			f.Fail(tt.method, path, tt.fails, tt.status, tt.header, tt.body)
			sl := &sleeps{}
			err := call(newClient(t, f.URL, sl))
			if (err == nil) != tt.wantOK {
				t.Fatalf("error: got %v; want ok=%v", err, tt.wantOK)
			}
			if got := count(f, tt.method, path); got != tt.wantTries {
				t.Errorf("tries: got %d; want %d", got, tt.wantTries)
			}
			if tt.wantSleep != nil && fmt.Sprint(sl.got) != fmt.Sprint(tt.wantSleep) {
				t.Errorf("waits: got %v; want %v", sl.got, tt.wantSleep)
			}
			if len(sl.got) != tt.wantTries-1 {
				t.Errorf("waits: got %d; want %d", len(sl.got), tt.wantTries-1)
			}
			if tt.method == "POST" && tt.wantOK && len(f.CheckRuns()) != 1 {
				t.Errorf("check runs after retry: got %d; want 1 (body replayed)", len(f.CheckRuns()))
			}
		})
	}
}

// TestTokenRedacted checks that the token never reaches fmt or slog output,
// while the server still sees it.
func TestTokenRedacted(t *testing.T) {
	tok := forge.Token(token)
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	log.Info("config", "token", tok, "cfg", forge.Config{Token: tok})
	log.Info("json", slog.Any("token", tok))
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("json", "token", tok)
	out := logs.String() + fmt.Sprintf("%v %s %+v %#v %q", tok, tok, forge.Config{Token: tok}, tok, tok)
	if strings.Contains(out, "secret") {
		t.Errorf("token leaked into output:\n%s", out)
	}
	if !strings.Contains(out, "[redacted]") {
		t.Errorf("output: got %q; want [redacted]", out)
	}
	if tok.Reveal() != token {
		t.Errorf("Reveal: got %q; want the token", tok.Reveal())
	}
	// The fake refuses any other credential with 401: a successful call
	// proves the token was sent.
	f := newFake(t)
	if _, err := newClient(t, f.URL, nil).PullRequest(context.Background(), 7); err != nil {
		t.Fatal(err)
	}
}
