package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

var testSecret = []byte("s3cr3t-webhook-key")

// recorder is a handle that passes every Event to a buffered channel.
type recorder struct{ events chan Event }

func newRecorder() *recorder { return &recorder{events: make(chan Event, 100)} }

func (r *recorder) handle(_ context.Context, ev Event) error {
	r.events <- ev
	return nil
}

// drained returns every Event handled so far; call it after Shutdown.
func (r *recorder) drained() []Event {
	var out []Event
	for {
		select {
		case ev := <-r.events:
			out = append(out, ev)
		default:
			return out
		}
	}
}

// syncLog is a race-free log destination.
type syncLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func start(t *testing.T, o Options, handle func(context.Context, Event) error) (*Server, *httptest.Server) {
	t.Helper()
	if o.Secret == nil {
		o.Secret = testSecret
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	s, err := New(o, handle)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		ts.Close()
		s.Shutdown(context.Background())
	})
	return s, ts
}

type delivery struct {
	event     string
	id        string
	body      []byte
	signature string // "" signs body with testSecret; "-" sends no header
	header    map[string]string
}

func post(t *testing.T, ts *httptest.Server, d delivery) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/webhook", bytes.NewReader(d.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", d.event)
	req.Header.Set("X-GitHub-Delivery", d.id)
	switch d.signature {
	case "":
		req.Header.Set("X-Hub-Signature-256", Signature(testSecret, d.body))
	case "-":
	default:
		req.Header.Set("X-Hub-Signature-256", d.signature)
	}
	for k, v := range d.header {
		req.Header.Set(k, v)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, strings.TrimSpace(string(b))
}

func get(t *testing.T, ts *httptest.Server, path string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return do(t, req)
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const testRepo = "octo/bench"

func repo() map[string]any {
	return map[string]any{"full_name": testRepo, "default_branch": "main", "private": false}
}

func pushBody(t *testing.T, ref string) []byte {
	return mustJSON(t, map[string]any{
		"ref": ref, "before": "0000", "after": "1111",
		"repository": repo(), "installation": map[string]any{"id": 4242},
		"pusher": map[string]any{"name": "benchgate"},
	})
}

func workflowRunBody(t *testing.T, action, name, status, conclusion, branch string) []byte {
	return mustJSON(t, map[string]any{
		"action": action,
		"workflow_run": map[string]any{
			"name": name, "status": status, "conclusion": conclusion, "head_branch": branch,
			"id": 99, "event": "push",
		},
		"repository": repo(), "installation": map[string]any{"id": 4242},
	})
}

func commentBody(t *testing.T, action string, onPR bool, login, userType, text string) []byte {
	issue := map[string]any{"number": 17, "title": "Regression in BenchmarkX"}
	if onPR {
		issue["pull_request"] = map[string]any{"url": "https://api.github.com/repos/octo/bench/pulls/17"}
	}
	return mustJSON(t, map[string]any{
		"action":       action,
		"issue":        issue,
		"comment":      map[string]any{"id": 5, "body": text, "user": map[string]any{"login": login, "type": userType}},
		"repository":   repo(),
		"installation": map[string]any{"id": 4242},
	})
}

func TestAcceptedEvents(t *testing.T) {
	rec := newRecorder()
	s, ts := start(t, Options{DataBranch: "benchgate-data", Workflows: []string{"benchmarks"}}, rec.handle)

	comment := "Thanks.\n/benchgate accept new allocator is worth it\n"
	for _, d := range []delivery{
		{event: "push", id: "d-push", body: pushBody(t, "refs/heads/benchgate-data")},
		{event: "workflow_run", id: "d-run", body: workflowRunBody(t, "completed", "benchmarks", "completed", "success", "main")},
		{event: "issue_comment", id: "d-comment", body: commentBody(t, "created", false, "maint", "User", comment)},
	} {
		code, msg := post(t, ts, d)
		if code != http.StatusAccepted || !strings.HasPrefix(msg, "accepted") {
			t.Fatalf("%s: got %d %q, want 202 accepted", d.id, code, msg)
		}
	}
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := rec.drained()
	want := []Event{
		{Delivery: "d-push", Kind: KindSync, Repo: testRepo, InstallationID: 4242},
		{Delivery: "d-run", Kind: KindSync, Repo: testRepo, InstallationID: 4242},
		{Delivery: "d-comment", Kind: KindCommand, Repo: testRepo, InstallationID: 4242, Issue: 17, User: "maint", Comment: comment},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("events:\n got %+v\nwant %+v", got, want)
	}
}

func TestAnyWorkflowWhenNoneNamed(t *testing.T) {
	rec := newRecorder()
	s, ts := start(t, Options{}, rec.handle) // default data branch, any workflow
	post(t, ts, delivery{event: "workflow_run", id: "a", body: workflowRunBody(t, "completed", "whatever", "completed", "failure", "main")})
	post(t, ts, delivery{event: "push", id: "b", body: pushBody(t, "refs/heads/"+DefaultDataBranch)})
	s.Shutdown(context.Background())
	if got := rec.drained(); len(got) != 2 || got[0].Delivery != "a" || got[1].Delivery != "b" {
		t.Fatalf("events %+v, want a then b", got)
	}
}

func TestIgnoredEvents(t *testing.T) {
	rec := newRecorder()
	s, ts := start(t, Options{DataBranch: "benchgate-data", Workflows: []string{"benchmarks"}}, rec.handle)
	cases := []struct {
		d      delivery
		reason string
	}{
		{delivery{event: "push", body: pushBody(t, "refs/heads/main")}, `push to "refs/heads/main"`},
		{delivery{event: "push", body: pushBody(t, "refs/tags/benchgate-data")}, "push to"},
		{delivery{event: "workflow_run", body: workflowRunBody(t, "requested", "benchmarks", "queued", "", "main")}, "not completed"},
		{delivery{event: "workflow_run", body: workflowRunBody(t, "in_progress", "benchmarks", "in_progress", "", "main")}, "not completed"},
		{delivery{event: "workflow_run", body: workflowRunBody(t, "completed", "lint", "completed", "success", "main")}, "not a benchmark workflow"},
		{delivery{event: "workflow_run", body: workflowRunBody(t, "completed", "benchmarks", "completed", "success", "feature")}, "not the default branch"},
		{delivery{event: "workflow_run", body: workflowRunBody(t, "completed", "benchmarks", "completed", "skipped", "main")}, "concluded skipped"},
		{delivery{event: "issue_comment", body: commentBody(t, "edited", false, "maint", "User", "/benchgate ack")}, "not created"},
		{delivery{event: "issue_comment", body: commentBody(t, "deleted", false, "maint", "User", "/benchgate ack")}, "not created"},
		{delivery{event: "issue_comment", body: commentBody(t, "created", true, "maint", "User", "/benchgate ack")}, "pull request"},
		{delivery{event: "issue_comment", body: commentBody(t, "created", false, "benchgate[bot]", "Bot", "/benchgate ack")}, "bot"},
		{delivery{event: "issue_comment", body: commentBody(t, "created", false, "other[bot]", "User", "/benchgate ack")}, "bot"},
		{delivery{event: "issue_comment", body: commentBody(t, "created", false, "maint", "User", "looks fine to me")}, "no /benchgate command"},
		{delivery{event: "issue_comment", body: commentBody(t, "created", false, "maint", "User", "/benchgate")}, "no /benchgate command"},
		{delivery{event: "installation", body: []byte(`{"action":"created"}`)}, `event "installation" is not handled`},
		{delivery{event: "pull_request", body: []byte(`{"action":"opened"}`)}, "not handled"},
	}
	for i, c := range cases {
		c.d.id = fmt.Sprintf("ignored-%d", i)
		code, msg := post(t, ts, c.d)
		if code != http.StatusAccepted || !strings.HasPrefix(msg, "ignored: ") || !strings.Contains(msg, c.reason) {
			t.Errorf("case %d (%s): got %d %q, want 202 ignored containing %q", i, c.d.event, code, msg, c.reason)
		}
	}
	s.Shutdown(context.Background())
	if got := rec.drained(); len(got) != 0 {
		t.Fatalf("ignored deliveries produced events: %+v", got)
	}
}

func TestPing(t *testing.T) {
	rec := newRecorder()
	s, ts := start(t, Options{}, rec.handle)
	code, msg := post(t, ts, delivery{event: "ping", id: "p1", body: []byte(`{"zen":"Keep it logically awesome.","hook_id":1}`)})
	if code != http.StatusOK || msg != "pong" {
		t.Fatalf("ping: %d %q", code, msg)
	}
	s.Shutdown(context.Background())
	if got := rec.drained(); len(got) != 0 {
		t.Fatalf("ping produced events: %+v", got)
	}
}

func TestSignatureRefused(t *testing.T) {
	rec := newRecorder()
	logs := &syncLog{}
	s, ts := start(t, Options{Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}, rec.handle)
	body := pushBody(t, "refs/heads/"+DefaultDataBranch)
	forged := Signature([]byte("not the secret"), body)
	cases := []struct {
		name, sig string
		body      []byte
	}{
		{"absent", "-", body},
		{"forged", forged, body},
		{"tampered body", Signature(testSecret, body), append(append([]byte(nil), body...), ' ')},
		{"sha1 only", "sha1=" + strings.Repeat("a", 40), body},
		{"not hex", "sha256=" + strings.Repeat("z", 64), body},
		{"short", "sha256=abcd", body},
		{"empty digest", "sha256=", body},
	}
	for i, c := range cases {
		code, _ := post(t, ts, delivery{event: "push", id: fmt.Sprintf("sig-%d", i), body: c.body, signature: c.sig})
		if code != http.StatusUnauthorized {
			t.Errorf("%s: got %d, want 401", c.name, code)
		}
	}
	// A refused delivery is not remembered: the genuine one with the same id
	// still goes through.
	if code, msg := post(t, ts, delivery{event: "push", id: "sig-1", body: body}); code != http.StatusAccepted {
		t.Fatalf("genuine delivery after a forged one with its id: %d %q", code, msg)
	}
	s.Shutdown(context.Background())
	if got := rec.drained(); len(got) != 1 || got[0].Delivery != "sig-1" {
		t.Fatalf("events %+v, want only the genuine sig-1", got)
	}
	if strings.Contains(logs.String(), string(testSecret)) {
		t.Fatal("the secret appears in the log")
	}
}

func TestOversize(t *testing.T) {
	rec := newRecorder()
	s, ts := start(t, Options{MaxBody: 1024}, rec.handle)
	big := pushBody(t, "refs/heads/"+DefaultDataBranch)
	big = append(big[:len(big)-1], []byte(`,"padding":"`+strings.Repeat("x", 2048)+`"}`)...)

	// With a Content-Length.
	if code, _ := post(t, ts, delivery{event: "push", id: "big-1", body: big}); code != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversize with Content-Length: %d, want 413", code)
	}
	// Chunked, no Content-Length: the limit is enforced while reading.
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/webhook", io.MultiReader(bytes.NewReader(big)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-GitHub-Event", "push")
	req.Header.Set("X-GitHub-Delivery", "big-2")
	req.Header.Set("X-Hub-Signature-256", Signature(testSecret, big))
	if code, _ := do(t, req); code != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversize chunked: %d, want 413", code)
	}
	// Exactly at the limit is fine.
	exact := pushBody(t, "refs/heads/"+DefaultDataBranch)
	exact = append(exact[:len(exact)-1], []byte(`,"padding":"`)...)
	exact = append(exact, bytes.Repeat([]byte("x"), 1024-len(exact)-2)...)
	exact = append(exact, '"', '}')
	if len(exact) != 1024 {
		t.Fatalf("test body is %d bytes", len(exact))
	}
	if code, msg := post(t, ts, delivery{event: "push", id: "exact", body: exact}); code != http.StatusAccepted {
		t.Fatalf("body at the limit: %d %q", code, msg)
	}
	s.Shutdown(context.Background())
	if got := rec.drained(); len(got) != 1 || got[0].Delivery != "exact" {
		t.Fatalf("events %+v, want only exact", got)
	}
}

func TestReplay(t *testing.T) {
	rec := newRecorder()
	s, ts := start(t, Options{}, rec.handle)
	d := delivery{event: "push", id: "72d3162e-cc78-11e3-81ab-4c9367dc0958", body: pushBody(t, "refs/heads/"+DefaultDataBranch)}
	if code, _ := post(t, ts, d); code != http.StatusAccepted {
		t.Fatalf("first delivery: %d", code)
	}
	for range 3 {
		if code, msg := post(t, ts, d); code != http.StatusOK || msg != "duplicate delivery" {
			t.Fatalf("replay: %d %q, want 200 duplicate delivery", code, msg)
		}
	}
	s.Shutdown(context.Background())
	if got := rec.drained(); len(got) != 1 {
		t.Fatalf("%d events for one delivery replayed 3 times", len(got))
	}
}

func TestReplayConcurrent(t *testing.T) {
	rec := newRecorder()
	s, ts := start(t, Options{}, rec.handle)
	d := delivery{event: "push", id: "same", body: pushBody(t, "refs/heads/"+DefaultDataBranch)}
	var wg sync.WaitGroup
	codes := make(chan int, 8)
	for range 8 {
		wg.Go(func() {
			code, _ := post(t, ts, d)
			codes <- code
		})
	}
	wg.Wait()
	close(codes)
	accepted := 0
	for c := range codes {
		if c == http.StatusAccepted {
			accepted++
		} else if c != http.StatusOK {
			t.Errorf("status %d", c)
		}
	}
	s.Shutdown(context.Background())
	if got := rec.drained(); len(got) != 1 || accepted != 1 {
		t.Fatalf("%d events, %d accepted, want 1 and 1", len(got), accepted)
	}
}

func TestReplayWindowBounded(t *testing.T) {
	r := newReplaySet(2)
	for _, id := range []string{"a", "b", "c"} {
		r.add(id)
	}
	if r.seen("a") || !r.seen("b") || !r.seen("c") || len(r.ids) != 2 {
		t.Fatalf("after a, b, c in a window of 2: ids %v", r.ids)
	}

	rec := newRecorder()
	s, ts := start(t, Options{ReplayWindow: 2}, rec.handle)
	body := pushBody(t, "refs/heads/"+DefaultDataBranch)
	for _, id := range []string{"a", "b", "c", "c", "a"} {
		post(t, ts, delivery{event: "push", id: id, body: body})
	}
	s.Shutdown(context.Background())
	var ids []string
	for _, ev := range rec.drained() {
		ids = append(ids, ev.Delivery)
	}
	if strings.Join(ids, ",") != "a,b,c,a" {
		t.Fatalf("handled %v, want a,b,c,a (c replayed inside the window, a after it)", ids)
	}
}

// blocker is a handle that announces each Event on started and then waits
// for a value on release before returning.
type blocker struct {
	started chan Event
	release chan struct{}
}

func newBlocker() *blocker {
	return &blocker{started: make(chan Event, 100), release: make(chan struct{})}
}

func (b *blocker) handle(ctx context.Context, ev Event) error {
	b.started <- ev
	select {
	case <-b.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func TestQueueFull(t *testing.T) {
	b := newBlocker()
	logs := &syncLog{}
	s, ts := start(t, Options{QueueSize: 1, Logger: slog.New(slog.NewTextHandler(logs, nil))}, b.handle)
	body := pushBody(t, "refs/heads/"+DefaultDataBranch)

	if code, _ := post(t, ts, delivery{event: "push", id: "q1", body: body}); code != http.StatusAccepted {
		t.Fatalf("q1: %d", code)
	}
	if ev := <-b.started; ev.Delivery != "q1" { // the worker now holds q1
		t.Fatalf("started %q", ev.Delivery)
	}
	if code, _ := post(t, ts, delivery{event: "push", id: "q2", body: body}); code != http.StatusAccepted {
		t.Fatalf("q2 (fills the queue): %d", code)
	}
	if code, msg := post(t, ts, delivery{event: "push", id: "q3", body: body}); code != http.StatusServiceUnavailable || msg != "queue full" {
		t.Fatalf("q3 on a full queue: %d %q, want 503 queue full", code, msg)
	}
	if !strings.Contains(logs.String(), "queue full") {
		t.Fatalf("full queue not logged:\n%s", logs)
	}

	b.release <- struct{}{} // q1 done
	if ev := <-b.started; ev.Delivery != "q2" {
		t.Fatalf("started %q, want q2", ev.Delivery)
	}
	// The queue has room again and q3 was not remembered: its redelivery
	// is accepted.
	if code, msg := post(t, ts, delivery{event: "push", id: "q3", body: body}); code != http.StatusAccepted {
		t.Fatalf("q3 redelivered: %d %q", code, msg)
	}
	close(b.release)
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ev := <-b.started; ev.Delivery != "q3" {
		t.Fatalf("started %q, want q3", ev.Delivery)
	}
}

func TestShutdownFinishesQueue(t *testing.T) {
	b := newBlocker()
	s, ts := start(t, Options{QueueSize: 8}, b.handle)
	body := pushBody(t, "refs/heads/"+DefaultDataBranch)
	for _, id := range []string{"s1", "s2", "s3"} {
		if code, _ := post(t, ts, delivery{event: "push", id: id, body: body}); code != http.StatusAccepted {
			t.Fatalf("%s: %d", id, code)
		}
	}
	<-b.started // s1 is being handled, s2 and s3 wait in the queue

	shut := make(chan error, 1)
	go func() { shut <- s.Shutdown(context.Background()) }()
	// Wait until Shutdown has stopped intake; healthz says so. This loop
	// waits for a state, not for time.
	for {
		if code, _ := get(t, ts, "/healthz"); code == http.StatusServiceUnavailable {
			break
		}
	}
	if code, msg := post(t, ts, delivery{event: "push", id: "s4", body: body}); code != http.StatusServiceUnavailable {
		t.Fatalf("delivery during shutdown: %d %q, want 503", code, msg)
	}
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned (%v) while an event was still being handled", err)
	default:
	}
	close(b.release)
	if err := <-shut; err != nil {
		t.Fatal(err)
	}
	close(b.started)
	var ids []string
	for ev := range b.started {
		ids = append(ids, ev.Delivery)
	}
	if strings.Join(ids, ",") != "s2,s3" {
		t.Fatalf("after s1, handled %v, want s2,s3", ids)
	}
	if code, _ := post(t, ts, delivery{event: "push", id: "s5", body: body}); code != http.StatusServiceUnavailable {
		t.Fatalf("delivery after shutdown: %d, want 503", code)
	}
	if code, _ := get(t, ts, "/healthz"); code != http.StatusServiceUnavailable {
		t.Fatalf("healthz after shutdown: %d, want 503", code)
	}
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatalf("second Shutdown: %v", err)
	}
}

func TestShutdownContextEnds(t *testing.T) {
	cancelled := make(chan error, 1)
	started := make(chan struct{})
	s, ts := start(t, Options{}, func(ctx context.Context, ev Event) error {
		close(started)
		<-ctx.Done()
		cancelled <- ctx.Err()
		return ctx.Err()
	})
	post(t, ts, delivery{event: "push", id: "stuck", body: pushBody(t, "refs/heads/"+DefaultDataBranch)})
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Shutdown(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Shutdown with an ended context: %v", err)
	}
	if err := <-cancelled; !errors.Is(err, context.Canceled) {
		t.Fatalf("handle's context: %v", err)
	}
}

func TestHandleErrorAndPanic(t *testing.T) {
	logs := &syncLog{}
	var mu sync.Mutex
	var handled []string
	s, ts := start(t, Options{Logger: slog.New(slog.NewTextHandler(logs, nil))}, func(_ context.Context, ev Event) error {
		mu.Lock()
		handled = append(handled, ev.Delivery)
		mu.Unlock()
		switch ev.Delivery {
		case "boom":
			panic("kaboom")
		case "fail":
			return errors.New("sync failed: 502 from the API")
		}
		return nil
	})
	body := pushBody(t, "refs/heads/"+DefaultDataBranch)
	for _, id := range []string{"boom", "fail", "fine"} {
		if code, _ := post(t, ts, delivery{event: "push", id: id, body: body}); code != http.StatusAccepted {
			t.Fatalf("%s: %d", id, code)
		}
	}
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(handled, ",") != "boom,fail,fine" {
		t.Fatalf("handled %v: the worker stopped", handled)
	}
	out := logs.String()
	for _, want := range []string{"webhook handler panicked", "kaboom", "webhook handler failed", "502 from the API", "delivery=fine"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, string(testSecret)) {
		t.Fatal("the secret appears in the log")
	}
}

func TestMethodsAndHealth(t *testing.T) {
	_, ts := start(t, Options{}, newRecorder().handle)
	if code, _ := get(t, ts, "/webhook"); code != http.StatusMethodNotAllowed {
		t.Fatalf("GET /webhook: %d, want 405", code)
	}
	req, _ := http.NewRequest(http.MethodPut, ts.URL+"/webhook", strings.NewReader("{}"))
	if code, _ := do(t, req); code != http.StatusMethodNotAllowed {
		t.Fatalf("PUT /webhook: %d, want 405", code)
	}
	if code, msg := get(t, ts, "/healthz"); code != http.StatusOK || msg != "ok" {
		t.Fatalf("healthz: %d %q", code, msg)
	}
	req, _ = http.NewRequest(http.MethodPost, ts.URL+"/healthz", nil)
	if code, _ := do(t, req); code != http.StatusMethodNotAllowed {
		t.Fatalf("POST /healthz: %d, want 405", code)
	}
	if code, _ := get(t, ts, "/elsewhere"); code != http.StatusNotFound {
		t.Fatalf("unknown path: %d, want 404", code)
	}
}

func TestBadRequests(t *testing.T) {
	rec := newRecorder()
	s, ts := start(t, Options{}, rec.handle)
	body := pushBody(t, "refs/heads/"+DefaultDataBranch)
	cases := []struct {
		name string
		d    delivery
	}{
		{"no delivery id", delivery{event: "push", body: body}},
		{"huge delivery id", delivery{event: "push", id: strings.Repeat("x", 500), body: body}},
		{"no event", delivery{id: "e1", body: body}},
		{"not JSON", delivery{event: "push", id: "e2", body: []byte("{not json")}},
		{"wrong type", delivery{event: "issue_comment", id: "e3", body: []byte(`{"issue":{"number":"seventeen"}}`)}},
		{"content type", delivery{event: "push", id: "e4", body: body, header: map[string]string{"Content-Type": "text/xml"}}},
	}
	for _, c := range cases {
		if code, msg := post(t, ts, c.d); code != http.StatusBadRequest {
			t.Errorf("%s: %d %q, want 400", c.name, code, msg)
		}
	}
	s.Shutdown(context.Background())
	if got := rec.drained(); len(got) != 0 {
		t.Fatalf("bad requests produced events: %+v", got)
	}
}

func TestFormEncodedPayload(t *testing.T) {
	rec := newRecorder()
	s, ts := start(t, Options{}, rec.handle)
	form := []byte(url.Values{"payload": {string(pushBody(t, "refs/heads/"+DefaultDataBranch))}}.Encode())
	code, msg := post(t, ts, delivery{event: "push", id: "f1", body: form, header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
	if code != http.StatusAccepted {
		t.Fatalf("form delivery: %d %q", code, msg)
	}
	s.Shutdown(context.Background())
	if got := rec.drained(); len(got) != 1 || got[0].Repo != testRepo {
		t.Fatalf("events %+v", got)
	}
}

func TestNewValidates(t *testing.T) {
	h := newRecorder().handle
	if _, err := New(Options{}, h); err == nil {
		t.Error("New without a secret succeeded")
	}
	if _, err := New(Options{Secret: testSecret}, nil); err == nil {
		t.Error("New without a handle succeeded")
	}
	if _, err := New(Options{Secret: testSecret, QueueSize: -1}, h); err == nil {
		t.Error("New with a negative queue size succeeded")
	}
	s, err := New(Options{Secret: testSecret}, h)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown(context.Background())
	if s.opts.MaxBody != DefaultMaxBody || s.opts.QueueSize != DefaultQueueSize || s.opts.ReplayWindow != DefaultReplayWindow || s.opts.DataBranch != DefaultDataBranch {
		t.Fatalf("defaults not applied: %+v", s.opts)
	}
}

func TestVerify(t *testing.T) {
	// GitHub's documented test vector ("Validating webhook deliveries").
	secret := []byte("It's a Secret to Everybody")
	payload := []byte("Hello, World!")
	const want = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
	if got := Signature(secret, payload); got != want {
		t.Fatalf("Signature = %s, want %s", got, want)
	}
	if !Verify(secret, payload, want) {
		t.Fatal("GitHub's test vector does not verify")
	}
	for _, c := range []struct {
		name      string
		secret    []byte
		payload   []byte
		signature string
	}{
		{"empty signature", secret, payload, ""},
		{"no prefix", secret, payload, strings.TrimPrefix(want, "sha256=")},
		{"sha1 prefix", secret, payload, "sha1=" + strings.TrimPrefix(want, "sha256=")},
		{"upper-case prefix", secret, payload, "SHA256=" + strings.TrimPrefix(want, "sha256=")},
		{"truncated", secret, payload, want[:len(want)-2]},
		{"extended", secret, payload, want + "00"},
		{"odd hex", secret, payload, want[:len(want)-1]},
		{"one bit off", secret, payload, want[:len(want)-1] + "6"},
		{"other payload", secret, []byte("Hello, World?"), want},
		{"other secret", []byte("It's a secret to everybody"), payload, want},
		{"empty secret", nil, payload, Signature(nil, payload)},
	} {
		if Verify(c.secret, c.payload, c.signature) {
			t.Errorf("%s: verified", c.name)
		}
	}
}

func TestParseCommand(t *testing.T) {
	for _, c := range []struct {
		body     string
		cmd, arg string
		ok       bool
	}{
		{"/benchgate ack", "ack", "", true},
		{"/benchgate ACK", "ack", "", true},
		{"/BenchGate Accept  new allocator, measured twice ", "accept", "new allocator, measured twice", true},
		{"/benchgate accept", "accept", "", true},
		{"/benchgate invalid", "invalid", "", true},
		{"/benchgate\tinfra", "infra", "", true},
		{"  /benchgate infra  \r\n", "infra", "", true},
		{"Looked into it.\r\n\r\n/benchgate ack\r\nthanks", "ack", "", true},
		{"/benchgate ack\n/benchgate invalid", "ack", "", true},
		{"/benchgate Frobnicate now", "Frobnicate", "now", true},
		{"/benchgate", "", "", false},
		{"/benchgate   ", "", "", false},
		{"/benchgates ack", "", "", false},
		{"/benchgate-ack", "", "", false},
		{"please /benchgate ack", "", "", false},
		{"> /benchgate ack\nI disagree", "", "", false},
		{"```\n/benchgate ack\n```\n", "", "", false},
		{"```\n/benchgate ack\n```\n/benchgate invalid", "invalid", "", true},
		{"", "", "", false},
		{"no command here", "", "", false},
	} {
		cmd, arg, ok := ParseCommand(c.body)
		if cmd != c.cmd || arg != c.arg || ok != c.ok {
			t.Errorf("ParseCommand(%q) = %q, %q, %v; want %q, %q, %v", c.body, cmd, arg, ok, c.cmd, c.arg, c.ok)
		}
	}
}
