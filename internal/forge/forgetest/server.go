package forgetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options configures a fake API.
type Options struct {
	// Repository is the one repository served, "owner/name".
	Repository string
	// Token, when set, is the only credential accepted (as
	// "Authorization: Bearer T" or "token T"), besides the installation
	// tokens minted for apps registered with [Server.AddApp]; others get
	// 401. With no Token and no app, requests need no credentials.
	Token string
	// BotLogin is the author of comments the client creates; empty means
	// "github-actions[bot]".
	BotLogin string
	// Addr is the address to listen on, e.g. "127.0.0.1:0" (the default).
	Addr string
}

// Request is one request the server received.
type Request struct {
	Method string
	Path   string
	Query  string
	Body   string
	Status int // the status answered; 0 for a connection hung up (see Hangup)
}

// Server is a running fake API. Its methods are safe for concurrent use.
type Server struct {
	// URL is the API's base URL (no trailing slash), for GITHUB_API_URL.
	URL string

	srv  *httptest.Server
	spec *spec
	opts Options

	mu       sync.Mutex
	requests []Request
	problems []string
	faults   []*fault
	nextID   int64
	pulls    map[int]*Pull
	comments []*Comment
	checks   []*CheckRun
	issues   map[int]*Issue
	labels   []*Label
	perms    map[string]string // lower-case login → role
	apps     map[int64]*App
	minted   []MintedToken
	now      time.Time
}

// New starts a fake API for t, stops it at cleanup and fails t for every
// request or response that did not match GitHub's description.
func New(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		for _, p := range s.Problems() {
			t.Errorf("fake GitHub API: %s", p)
		}
	})
	return s
}

// Start starts a fake API; the caller must Close it and should check
// Problems.
func Start(opts Options) (*Server, error) {
	if opts.Repository == "" || strings.Count(opts.Repository, "/") != 1 {
		return nil, fmt.Errorf("forgetest: repository %q: want owner/name", opts.Repository)
	}
	if opts.BotLogin == "" {
		opts.BotLogin = "github-actions[bot]"
	}
	sp, err := loadSpec()
	if err != nil {
		return nil, err
	}
	s := &Server{spec: sp, opts: opts, nextID: 1000, pulls: map[int]*Pull{},
		issues: map[int]*Issue{}, perms: map[string]string{}, apps: map[int64]*App{},
		now: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
	s.srv = httptest.NewUnstartedServer(s.handler())
	if opts.Addr != "" {
		l, err := listen(opts.Addr)
		if err != nil {
			return nil, err
		}
		_ = s.srv.Listener.Close()
		s.srv.Listener = l
	}
	s.srv.Start()
	s.URL = s.srv.URL
	return s, nil
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Requests returns every request received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Problems returns every validation failure so far.
func (s *Server) Problems() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.problems...)
}

func (s *Server) problem(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.problems = append(s.problems, fmt.Sprintf(format, args...))
}

// fault is a canned answer to the next matching requests.
type fault struct {
	method, prefix string
	left           int
	status         int
	header         http.Header
	body           string
	hangup         bool // close the connection instead of answering
}

// Fail answers the next n requests whose method is method and whose path
// starts with pathPrefix with status, header and body instead of serving
// them (to simulate 5xx, 429 and rate limits). Canned answers are not
// validated.
func (s *Server) Fail(method, pathPrefix string, n, status int, header http.Header, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{method: method, prefix: pathPrefix, left: n, status: status, header: header, body: body})
}

// Hangup closes the connection of each of the next n requests whose
// method is method and whose path starts with pathPrefix once it has read
// the request, without answering or applying it: a proxy or GitHub
// dropping the connection, which the client sees as a transport error
// after it sent the request.
func (s *Server) Hangup(method, pathPrefix string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{method: method, prefix: pathPrefix, left: n, hangup: true})
}

func (s *Server) takeFault(r *http.Request) *fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.faults {
		if f.left > 0 && f.method == r.Method && strings.HasPrefix(r.URL.Path, f.prefix) {
			f.left--
			return f
		}
	}
	return nil
}

// maxBody caps request bodies, as GitHub does (well above any comment).
const maxBody = 4 << 20

// handler wraps the routes with authentication, fault injection,
// validation of both directions and recording. The request is recorded
// before the answer is sent, so a client that has its answer finds its
// request in Requests.
func (s *Server) handler() http.Handler {
	mux := s.routes()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		rr := httptest.NewRecorder()
		hangup := s.serve(rr, r, body, mux)
		res := rr.Result()
		status := res.StatusCode
		if hangup {
			status = 0
		}
		s.mu.Lock()
		s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
			Body: string(body), Status: status})
		s.mu.Unlock()
		if hangup {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err != nil {
				s.problem("hanging up %s %s: %v", r.Method, r.URL.Path, err)
				return
			}
			_ = conn.Close()
			return
		}
		for k, vs := range res.Header {
			w.Header()[k] = vs
		}
		w.WriteHeader(res.StatusCode)
		_, _ = w.Write(rr.Body.Bytes())
	})
}

// serve answers r into rec, or says to hang up (see Hangup).
func (s *Server) serve(rec *httptest.ResponseRecorder, r *http.Request, body []byte, mux http.Handler) (hangup bool) {
	r, msg := s.authorize(r)
	if r == nil {
		writeJSON(rec, http.StatusUnauthorized, nil, map[string]any{
			"message": msg, "documentation_url": "https://docs.github.com/rest"})
		return false
	}
	if f := s.takeFault(r); f != nil {
		if f.hangup {
			return true
		}
		for k, vs := range f.header {
			rec.Header()[k] = vs
		}
		rec.Header().Set("Content-Type", "application/json; charset=utf-8")
		rec.WriteHeader(f.status)
		_, _ = io.WriteString(rec, f.body)
		return false
	}
	in, err := s.spec.validateRequest(r.Context(), r, body)
	if err != nil {
		s.problem("%v", err)
		writeJSON(rec, http.StatusBadRequest, nil, map[string]any{
			"message":           "fake GitHub API: request does not match the REST API description: " + err.Error(),
			"documentation_url": "https://docs.github.com/rest"})
		return false
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	mux.ServeHTTP(rec, r)
	res := rec.Result()
	if err := s.spec.validateResponse(r.Context(), in, res.StatusCode, res.Header, rec.Body.Bytes()); err != nil {
		s.problem("%v", err)
	}
	return false
}

// writeJSON answers status with v as JSON (nil v: no body).
func writeJSON(w http.ResponseWriter, status int, header http.Header, v any) int {
	for k, vs := range header {
		w.Header()[k] = vs
	}
	if v == nil {
		w.WriteHeader(status)
		return status
	}
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
	return status
}
