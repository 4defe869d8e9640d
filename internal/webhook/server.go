package webhook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync"
)

// Defaults for the zero values of Options.
const (
	DefaultDataBranch   = "benchgate-data"
	DefaultMaxBody      = 5 << 20
	DefaultQueueSize    = 64
	DefaultReplayWindow = 10_000
)

// maxDeliveryID bounds an X-GitHub-Delivery value (GitHub sends a 36-byte
// GUID), so the replay set's memory is bounded by bytes, not only by count.
const maxDeliveryID = 128

// Options configures a Server.
type Options struct {
	Secret       []byte   // the App's webhook secret; required
	DataBranch   string   // a push to refs/heads/<DataBranch> is a sync; default "benchgate-data"
	Workflows    []string // names of benchmark workflows whose completed workflow_run is a sync (empty: any completed workflow_run on the default branch)
	MaxBody      int64    // body limit in bytes; default 5 MiB, 413 above
	QueueSize    int      // events waiting for the worker; default 64, a full queue answers 503
	ReplayWindow int      // how many delivery ids are remembered; default 10,000
	Logger       *slog.Logger
}

// Server receives webhook deliveries and runs the Events they ask for on one
// worker goroutine. Create it with New; stop it with Shutdown.
type Server struct {
	opts   Options
	handle func(context.Context, Event) error
	log    *slog.Logger

	mu      sync.Mutex // guards closing, replay and sends on queue
	closing bool
	replay  *replaySet
	queue   chan Event

	ctx    context.Context // the worker's; cancelled when Shutdown gives up
	cancel context.CancelFunc
	done   chan struct{} // closed when the worker has returned
	once   sync.Once
}

// New checks o, fills in its defaults and starts the worker that calls handle
// for each accepted Event, one at a time, in the order they were accepted.
// The context handle gets is cancelled if Shutdown's context ends first.
func New(o Options, handle func(context.Context, Event) error) (*Server, error) {
	switch {
	case len(o.Secret) == 0:
		// An empty secret would make every signature check meaningless.
		return nil, errors.New("webhook: a webhook secret is required")
	case handle == nil:
		return nil, errors.New("webhook: a handle function is required")
	case o.MaxBody < 0 || o.QueueSize < 0 || o.ReplayWindow < 0:
		return nil, fmt.Errorf("webhook: negative limit (MaxBody %d, QueueSize %d, ReplayWindow %d)", o.MaxBody, o.QueueSize, o.ReplayWindow)
	}
	if o.DataBranch == "" {
		o.DataBranch = DefaultDataBranch
	}
	if o.MaxBody == 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.QueueSize == 0 {
		o.QueueSize = DefaultQueueSize
	}
	if o.ReplayWindow == 0 {
		o.ReplayWindow = DefaultReplayWindow
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	o.Secret = append([]byte(nil), o.Secret...)
	o.Workflows = append([]string(nil), o.Workflows...)
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		opts:   o,
		handle: handle,
		log:    o.Logger.With("component", "webhook"),
		replay: newReplaySet(o.ReplayWindow),
		queue:  make(chan Event, o.QueueSize),
		ctx:    ctx,
		cancel: cancel,
		done:   make(chan struct{}),
	}
	go s.work()
	return s, nil
}

// Handler returns the http.Handler serving POST /webhook and GET /healthz.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/webhook", s.serveWebhook)
	mux.HandleFunc("/healthz", s.serveHealth)
	return mux
}

// Shutdown stops accepting deliveries (they answer 503 from now on), lets
// the worker finish every queued Event and returns nil when it has. If ctx
// ends first, it cancels the context handle runs under and returns ctx's
// error without waiting further. It may be called more than once.
func (s *Server) Shutdown(ctx context.Context) error {
	s.once.Do(func() {
		s.mu.Lock()
		s.closing = true
		close(s.queue) // under mu: no send can race with the close
		s.mu.Unlock()
		s.log.Info("webhook shutting down", "queued", len(s.queue))
	})
	select {
	case <-s.done:
		s.cancel()
		return nil
	case <-ctx.Done():
		s.cancel()
		return ctx.Err()
	}
}

func (s *Server) isClosing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

func (s *Server) serveHealth(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		reply(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	if s.isClosing() {
		reply(w, http.StatusServiceUnavailable, "shutting down")
		return
	}
	reply(w, http.StatusOK, "ok")
}

func (s *Server) serveWebhook(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		reply(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	if s.isClosing() {
		reply(w, http.StatusServiceUnavailable, "shutting down")
		return
	}
	kind := r.Header.Get("X-GitHub-Event")
	delivery := r.Header.Get("X-GitHub-Delivery")
	log := s.log.With("delivery", clip(delivery), "event", clip(kind))

	signature := r.Header.Get("X-Hub-Signature-256")
	if signature == "" {
		log.Warn("webhook delivery without X-Hub-Signature-256 refused")
		reply(w, http.StatusUnauthorized, "missing X-Hub-Signature-256")
		return
	}
	if r.ContentLength > s.opts.MaxBody {
		log.Warn("webhook body too large", "content_length", r.ContentLength, "limit", s.opts.MaxBody)
		reply(w, http.StatusRequestEntityTooLarge, "body too large")
		return
	}
	// MaxBytesReader reads at most MaxBody+1 bytes and closes the connection
	// after an oversize body rather than draining it.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.opts.MaxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			log.Warn("webhook body too large", "limit", s.opts.MaxBody)
			reply(w, http.StatusRequestEntityTooLarge, "body too large")
			return
		}
		log.Warn("webhook body unreadable", "err", err)
		reply(w, http.StatusBadRequest, "body unreadable")
		return
	}
	if !Verify(s.opts.Secret, body, signature) {
		log.Warn("webhook delivery with a wrong signature refused")
		reply(w, http.StatusUnauthorized, "signature does not match")
		return
	}

	// From here on the delivery is GitHub's.
	if delivery == "" || len(delivery) > maxDeliveryID || kind == "" {
		log.Warn("webhook delivery without a usable X-GitHub-Delivery or X-GitHub-Event")
		reply(w, http.StatusBadRequest, "missing or malformed X-GitHub-Delivery or X-GitHub-Event")
		return
	}
	payload, err := jsonPayload(r.Header.Get("Content-Type"), body)
	if err != nil {
		log.Warn("webhook payload unusable", "err", err)
		reply(w, http.StatusBadRequest, err.Error())
		return
	}
	var d decision
	if kind == "ping" {
		d = decision{ignore: "pong"}
	} else if d, err = s.classify(kind, delivery, payload); err != nil {
		log.Warn("webhook payload is not valid JSON", "err", err)
		reply(w, http.StatusBadRequest, "payload is not valid JSON for "+kind)
		return
	}

	// The replay check, the enqueue and remembering the id happen under one
	// lock, so two copies of a delivery racing each other yield one Event, and
	// a delivery refused for a full queue is not remembered: its redelivery
	// gets a fresh chance.
	s.mu.Lock()
	switch {
	case s.closing:
		s.mu.Unlock()
		reply(w, http.StatusServiceUnavailable, "shutting down")
		return
	case s.replay.seen(delivery):
		s.mu.Unlock()
		log.Info("webhook duplicate delivery ignored")
		reply(w, http.StatusOK, "duplicate delivery")
		return
	case d.event == nil:
		s.replay.add(delivery)
		s.mu.Unlock()
		if kind == "ping" {
			log.Info("webhook ping")
			reply(w, http.StatusOK, "pong")
			return
		}
		log.Debug("webhook delivery ignored", "reason", d.ignore)
		reply(w, http.StatusAccepted, "ignored: "+d.ignore)
		return
	}
	select {
	case s.queue <- *d.event:
		s.replay.add(delivery)
		s.mu.Unlock()
	default:
		s.mu.Unlock()
		log.Error("webhook queue full, delivery refused", "kind", d.event.Kind, "repo", d.event.Repo, "queue", s.opts.QueueSize)
		reply(w, http.StatusServiceUnavailable, "queue full")
		return
	}
	log.Info("webhook event queued", "kind", d.event.Kind, "repo", d.event.Repo, "installation", d.event.InstallationID)
	reply(w, http.StatusAccepted, "accepted: "+d.event.Kind)
}

// jsonPayload returns the JSON document of a delivery: the body itself, or
// for a webhook configured with content type application/x-www-form-urlencoded
// its "payload" field. The signature covers the raw body either way.
func jsonPayload(contentType string, body []byte) ([]byte, error) {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil && contentType != "" {
		return nil, fmt.Errorf("bad Content-Type %q", clip(contentType))
	}
	switch mt {
	case "", "application/json":
		return body, nil
	case "application/x-www-form-urlencoded":
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, errors.New("form body unparsable")
		}
		return []byte(form.Get("payload")), nil
	}
	return nil, fmt.Errorf("unsupported Content-Type %q", clip(mt))
}

// work runs queued Events until Shutdown closes the queue and it is drained.
func (s *Server) work() {
	defer close(s.done)
	for ev := range s.queue {
		s.run(ev)
	}
}

// run calls handle for one Event, logging an error or a recovered panic;
// neither stops the worker. Only the Event's identifying fields are logged,
// never the comment text, the secret or anything handle might hold.
func (s *Server) run(ev Event) {
	log := s.log.With("delivery", ev.Delivery, "kind", ev.Kind, "repo", ev.Repo, "installation", ev.InstallationID)
	if ev.Kind == KindCommand {
		log = log.With("issue", ev.Issue, "user", ev.User)
	}
	defer func() {
		if p := recover(); p != nil {
			log.Error("webhook handler panicked", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		}
	}()
	if err := s.handle(s.ctx, ev); err != nil {
		log.Error("webhook handler failed", "err", err)
		return
	}
	log.Info("webhook event handled")
}

// reply writes a short plain-text answer; GitHub shows it in the delivery log.
func reply(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	io.WriteString(w, msg+"\n")
}

// clip bounds an attacker-chosen header value before it is logged or echoed.
func clip(s string) string {
	const n = 64
	if len(s) > n {
		s = s[:n] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}
