package forgetest

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestRejectsMalformedRequests proves the validation can fail: requests
// that GitHub's description forbids are answered 400 and recorded.
func TestRejectsMalformedRequests(t *testing.T) {
	tests := []struct {
		name, method, path, body string
		want                     string // in the recorded problem
	}{
		{"check run without head_sha", "POST", "/repos/o/r/check-runs", `{"name":"benchgate / s"}`, "head_sha"},
		{"check run with an unknown conclusion", "POST", "/repos/o/r/check-runs",
			`{"name":"n","head_sha":"1111111111111111111111111111111111111111","status":"completed","conclusion":"passed"}`, "conclusion"},
		{"comment without body", "POST", "/repos/o/r/issues/1/comments", `{"text":"hi"}`, "body"},
		{"comment body of the wrong type", "PATCH", "/repos/o/r/issues/comments/5", `{"body":42}`, "body"},
		{"non-numeric pull number", "GET", "/repos/o/r/pulls/abc", ``, "pull_number"},
		{"endpoint not in the description", "GET", "/repos/o/r/actions/secrets", ``, "not in the description"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Start(Options{Repository: "o/r"})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			s.AddPull(Pull{Number: 1, HeadSHA: strings.Repeat("1", 40), BaseSHA: strings.Repeat("2", 40), HeadRef: "f", BaseRef: "main"})
			req, err := http.NewRequest(tt.method, s.URL+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("status: got %d; want 400", resp.StatusCode)
			}
			p := s.Problems()
			if len(p) != 1 || !strings.Contains(p[0], tt.want) {
				t.Errorf("problems: got %q; want one mentioning %q", p, tt.want)
			}
		})
	}
}

// TestRejectsMalformedResponses proves the response side can fail too.
func TestRejectsMalformedResponses(t *testing.T) {
	sp, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/repos/o/r/issues/1/comments", nil)
	in, err := sp.validateRequest(context.Background(), req, nil)
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{"Content-Type": {"application/json"}}
	good, err := sp.object("issue-comment", map[string]any{"id": 1, "body": "b"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		status int
		body   string
		ok     bool
	}{
		{"skeleton comment list", 200, mustJSON(t, []any{good}), true},
		{"comment without user", 200, `[{"id":1,"node_id":"x","html_url":"https://x","issue_url":"https://x","url":"https://x","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}]`, false},
		{"object instead of list", 200, mustJSON(t, good), false},
		{"status not in the description", 201, `[]`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := sp.validateResponse(context.Background(), in, tt.status, h, []byte(tt.body))
			if (err == nil) != tt.ok {
				t.Errorf("validateResponse: got %v; want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestUnauthorized(t *testing.T) {
	s, err := Start(Options{Repository: "o/r", Token: "right"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.AddPull(Pull{Number: 1, HeadSHA: strings.Repeat("1", 40)})
	for _, auth := range []string{"", "Bearer wrong", "token right"} {
		req, _ := http.NewRequest("GET", s.URL+"/repos/o/r/pulls/1", bytes.NewReader(nil))
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		want := http.StatusUnauthorized
		if auth == "token right" {
			want = http.StatusOK
		}
		if resp.StatusCode != want {
			t.Errorf("Authorization %q: got %d; want %d", auth, resp.StatusCode, want)
		}
	}
	if p := s.Problems(); len(p) != 0 {
		t.Errorf("problems: %q", p)
	}
}

func TestListenLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.168.1.1:0", "example.com:80"} {
		if _, err := Start(Options{Repository: "o/r", Addr: addr}); err == nil {
			t.Errorf("Start(Addr %q): got nil error; want a refusal", addr)
		}
	}
}
