package site

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/benchgate/benchgate/internal/store"
)

// ContentSecurityPolicy is the policy the site is served with (index.html
// carries the same one in a meta element, for GitHub Pages): scripts,
// styles, workers and data from the site's own origin only, WebAssembly
// compilation for DuckDB-WASM, nothing inline.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; " +
	"style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
	"form-action 'none'; frame-ancestors 'none'"

// Server serves the site of a database live: it builds the site into a
// private directory on the first request and again whenever the database
// file changes, opening the database read-only only while it builds.
type Server struct {
	DBPath string
	Opts   Options // Out is the Server's own; Downloads as given
	Log    *slog.Logger

	mu      sync.Mutex
	dir     string // the current build
	stamp   string // the database file's size and time of that build
	checked time.Time
}

// ServeHTTP serves the current site, rebuilding it first when the
// database changed (checked at most once a second).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	dir, err := s.current(r.Context())
	if err != nil {
		s.Log.Error("serve: building the site", "err", err)
		http.Error(w, "building the site: "+err.Error(), http.StatusInternalServerError)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "read-only", http.StatusMethodNotAllowed)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-cache")
	http.FileServer(http.Dir(dir)).ServeHTTP(w, r)
}

// current returns the directory of an up-to-date build.
func (s *Server) current(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir != "" && time.Since(s.checked) < time.Second {
		return s.dir, nil
	}
	s.checked = time.Now()
	fi, err := os.Stat(s.DBPath)
	if err != nil {
		return s.dir, fmt.Errorf("database %s: %w", s.DBPath, err)
	}
	stamp := fmt.Sprint(fi.Size(), fi.ModTime().UnixNano())
	if wal, err := os.Stat(s.DBPath + ".wal"); err == nil {
		stamp += fmt.Sprint(" ", wal.Size(), wal.ModTime().UnixNano())
	}
	if stamp == s.stamp && s.dir != "" {
		return s.dir, nil
	}
	dir, err := os.MkdirTemp("", "benchgate-serve-*")
	if err != nil {
		return s.dir, err
	}
	out := filepath.Join(dir, "site")
	if err := s.build(ctx, out); err != nil {
		os.RemoveAll(dir)
		if s.dir != "" { // e.g. a writer holds the database: keep serving the last build
			s.Log.Warn("serve: the database changed but could not be read; serving the previous build", "err", err)
			return s.dir, nil
		}
		return "", err
	}
	if s.dir != "" {
		os.RemoveAll(filepath.Dir(s.dir))
	}
	s.dir, s.stamp = out, stamp
	s.Log.Info("serve: site built", "db", s.DBPath)
	return s.dir, nil
}

func (s *Server) build(ctx context.Context, out string) error {
	st, err := store.OpenReadOnly(ctx, s.DBPath)
	if err != nil {
		return err
	}
	defer st.Close()
	o := s.Opts
	o.Out, o.DBFile = out, s.DBPath
	_, err = Build(ctx, st, o)
	return err
}

// ListenAndServe serves s on addr until ctx ends, then shuts down
// gracefully; listening tells the URL once the port is open. Listening
// beyond loopback is allowed but warned about: anyone who reaches the port
// can read the database.
func (s *Server) ListenAndServe(ctx context.Context, addr string, listening func(url string)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("--addr %s: %w", addr, err)
	}
	if ip := ln.Addr().(*net.TCPAddr).IP; !ip.IsLoopback() {
		s.Log.Warn("serve: listening beyond this machine: anyone who reaches it can read the database", "addr", ln.Addr().String())
	}
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
	}()
	if listening != nil {
		listening("http://" + ln.Addr().String() + "/")
	}
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Close removes the Server's build.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir == "" {
		return nil
	}
	err := os.RemoveAll(filepath.Dir(s.dir))
	s.dir = ""
	return err
}
