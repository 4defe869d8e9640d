package forge_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/forge"
	"github.com/benchgate/benchgate/internal/forge/forgetest"
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

// closedURL returns the URL of a loopback port nothing listens on: every
// connection to it is refused.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return "http://" + addr
}

// TestRetryTransportErrors checks the retries of requests that got no
// answer: an unreachable API is tried Attempts times, a POST too (a refused
// connection never reached GitHub); a connection dropped after the request
// was sent is retried for a GET, never for a POST, which GitHub may have
// applied; nor is a POST that got a 5xx. Each retry is logged at debug,
// without the token.
func TestRetryTransportErrors(t *testing.T) {
	getPull := func(c *forge.Client) error { _, err := c.PullRequest(context.Background(), 7); return err }
	postCheck := func(c *forge.Client) error {
		_, err := c.PublishCheck(context.Background(), forge.Check{Suite: "s", HeadSHA: sha1, Conclusion: "success", Title: "ok"})
		return err
	}
	tests := []struct {
		name        string
		method      string
		unreachable bool
		fault       func(f *forgetest.Server)
		wantErr     string // "" for success
		wantCalls   int    // requests the client sent, retries included
		wantApplied int    // check runs the fake holds afterwards
	}{
		{name: "GET to an unreachable API", method: "GET", unreachable: true, wantErr: "connection refused", wantCalls: 4},
		{name: "POST to an unreachable API", method: "POST", unreachable: true, wantErr: "connection refused", wantCalls: 4},
		{name: "GET after a dropped connection", method: "GET", wantCalls: 2,
			fault: func(f *forgetest.Server) { f.Hangup("GET", "/repos/octo/bench/pulls/7", 1) }},
		{name: "POST after a dropped connection is not repeated", method: "POST", wantErr: "EOF", wantCalls: 1,
			fault: func(f *forgetest.Server) { f.Hangup("POST", "/repos/octo/bench/check-runs", 1) }},
		{name: "POST answered 502 is not repeated", method: "POST", wantErr: "502", wantCalls: 1,
			fault: func(f *forgetest.Server) {
				f.Fail("POST", "/repos/octo/bench/check-runs", 1, http.StatusBadGateway, nil, `{"message":"bad gateway"}`)
			}},
		{name: "PATCH answered 502 is repeated", method: "PATCH", wantCalls: 3,
			fault: func(f *forgetest.Server) {
				f.Fail("PATCH", "/repos/octo/bench/issues/", 1, http.StatusBadGateway, nil, `{"message":"bad gateway"}`)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			api := f.URL
			if tt.unreachable {
				api = closedURL(t)
			}
			var logs bytes.Buffer
			sl := &sleeps{}
			c, err := forge.New(context.Background(), forge.Config{
				APIURL: api, Token: token, Repository: repo,
				Log:   slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
				Retry: forge.RetryPolicy{Sleep: sl.sleep},
			})
			if err != nil {
				t.Fatal(err)
			}
			call := getPull
			switch tt.method {
			case "POST":
				call = postCheck
			case "PATCH":
				is, err := c.CreateIssue(context.Background(), "t", "b", nil)
				if err != nil {
					t.Fatal(err)
				}
				call = func(c *forge.Client) error {
					title := "edited"
					_, err := c.EditIssue(context.Background(), is.Number, forge.IssueEdit{Title: &title})
					return err
				}
			}
			if tt.fault != nil {
				tt.fault(f)
			}
			err = call(c)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("error: got %v; want %q", err, tt.wantErr)
			}
			if got := c.APICalls(); got != tt.wantCalls {
				t.Errorf("requests sent: got %d; want %d", got, tt.wantCalls)
			}
			if !tt.unreachable && c.APICalls() != f.RequestCount() {
				t.Errorf("requests sent: %d; the fake received %d", c.APICalls(), f.RequestCount())
			}
			if got := len(f.CheckRuns()); got != tt.wantApplied {
				t.Errorf("check runs: got %d; want %d", got, tt.wantApplied)
			}
			retries := strings.Count(logs.String(), "github api: retrying")
			if retries != len(sl.got) {
				t.Errorf("retries logged: %d; waits: %d", retries, len(sl.got))
			}
			if strings.Contains(logs.String(), "secret") {
				t.Errorf("the token leaked into the log:\n%s", logs.String())
			}
		})
	}
}
