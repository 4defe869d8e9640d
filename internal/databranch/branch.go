package databranch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	gitcmd "github.com/benchgate/benchgate/internal/git"
)

// DefaultBranch is the data branch's default name.
const DefaultBranch = "benchgate-data"

// Size limits of GitHub for one file, in MiB as GitHub states them: a push
// warns above WarnSize (50 MiB) and is rejected above MaxSize (100 MiB).
const (
	WarnSize int64 = 50 << 20
	MaxSize  int64 = 100 << 20
)

// Defaults of Branch's tunables.
const (
	DefaultMaxAttempts  = 40
	DefaultBackoff      = 50 * time.Millisecond
	DefaultMaxBackoff   = 3 * time.Second
	DefaultCompactEvery = 50
)

// ErrNoBranch is wrapped by Fetch's error when the remote has no data
// branch yet.
var ErrNoBranch = errors.New("data branch does not exist")

// ErrTooLarge is wrapped by Save's error when the database would exceed
// MaxSize.
var ErrTooLarge = errors.New("database over GitHub's 100 MiB file limit")

// Branch is a data branch of a git remote. The zero values of its tunables
// mean their defaults. A Branch may be used by several goroutines: every
// operation works in its own scratch repository.
type Branch struct {
	Remote string // URL or path of the remote, as git accepts it
	Name   string // branch name; "" is DefaultBranch
	Git    string // git binary; "" is "git" from PATH
	Log    *slog.Logger
	// Env is extra environment for git only (never for benchmarks), e.g.
	// GIT_CONFIG_COUNT/KEY/VALUE carrying an http.extraheader with the
	// workflow's token for an https remote: the scratch repository does
	// not see the credentials actions/checkout left in the checkout.
	Env []string

	// MaxAttempts bounds the fetch–merge–push cycles of one Save.
	MaxAttempts int
	// Backoff is the first retry's maximum delay; each retry doubles it up
	// to MaxBackoff, and the delay is drawn uniformly below it (full
	// jitter), so that racing writers spread out.
	Backoff, MaxBackoff time.Duration
	// CompactEvery is the number of run files at which Save compacts them
	// into the database instead of adding one more.
	CompactEvery int
	// KeepRuns is the raw-sample retention applied when compacting (see
	// store.PruneOptions); 0 is store.DefaultKeepRuns.
	KeepRuns int
	// MaxSize is the largest database Save pushes; 0 is MaxSize.
	MaxSize int64
}

func (b *Branch) name() string {
	if b.Name == "" {
		return DefaultBranch
	}
	return b.Name
}

// remote is the remote as messages show it: credentials in its URL
// redacted.
func (b *Branch) remote() string { return gitcmd.Redact(b.Remote) }

func (b *Branch) log() *slog.Logger {
	if b.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return b.Log
}

func orDefault[T int | int64 | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// scratch makes a temporary directory holding a scratch bare repository,
// removing first those that killed processes left (see makeScratch). It
// refuses first a remote that git would read as an option: every
// operation of b starts here.
func (b *Branch) scratch(ctx context.Context) (*git, string, error) {
	if err := gitcmd.CheckArg("remote", b.Remote); err != nil {
		return nil, "", fmt.Errorf("data branch %s: %w", b.name(), err)
	}
	dir, err := makeScratch(b.log())
	if err != nil {
		return nil, "", err
	}
	g, err := newGit(ctx, b.Git, filepath.Join(dir, "repo.git"), b.Env...)
	if err != nil {
		os.RemoveAll(dir)
		return nil, "", err
	}
	return g, dir, nil
}

// FetchResult says what Fetch brought down.
type FetchResult struct {
	Commit   string // the branch's tip
	Runs     int    // run attempts in the fetched database
	RunFiles int    // run files not compacted yet, merged into it
	// Skipped are the run files left out, by their path on the branch: those
	// that inflate to more than MaxRunFileSize (each also logged).
	Skipped []string
}

// Fetch writes the branch's data — the compacted database with the run
// files not compacted yet merged into it — to the DuckDB file path,
// replacing it (the whole file or nothing). It wraps ErrNoBranch when the
// remote has no such branch, and returns a *RefusedError for data it will
// not read.
func (b *Branch) Fetch(ctx context.Context, path string) (FetchResult, error) {
	g, dir, err := b.scratch(ctx)
	if err != nil {
		return FetchResult{}, err
	}
	defer os.RemoveAll(dir)
	s, err := b.fetch(ctx, g, false)
	if err != nil {
		return FetchResult{}, err
	}
	if s.tip == "" {
		return FetchResult{}, fmt.Errorf("fetching %s of %s: %w", b.name(), b.remote(), ErrNoBranch)
	}
	tmp := filepath.Join(dir, "fetched.duckdb")
	db, err := b.openDB(ctx, g, s, tmp)
	if err != nil {
		return FetchResult{}, err
	}
	n, skipped, err := b.ingestRunFiles(ctx, g, s, db, nil)
	if err != nil {
		db.Close()
		return FetchResult{}, err
	}
	runs, err := db.Runs(ctx)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return FetchResult{}, err
	}
	if err := moveFile(tmp, path); err != nil {
		return FetchResult{}, fmt.Errorf("writing fetched database to %s: %w", path, err)
	}
	return FetchResult{Commit: s.tip, Runs: len(runs), RunFiles: n, Skipped: skipped}, nil
}

// moveFile renames src to dst, copying across file systems; dst is
// replaced as a whole (a temporary file next to it is renamed into place).
func moveFile(src, dst string) error {
	if err := os.Rename(src, dst); err == nil {
		return nil
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	tmp := dst + ".benchgate-tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

// backoff sleeps before retry attempt (from 1), or returns ctx's error.
func (b *Branch) backoff(ctx context.Context, attempt int) error {
	limit := orDefault(b.Backoff, DefaultBackoff)
	maxB := orDefault(b.MaxBackoff, DefaultMaxBackoff)
	for i := 1; i < attempt && limit < maxB; i++ {
		limit *= 2
	}
	limit = min(limit, maxB)
	d := time.Duration(rand.Int64N(int64(limit) + 1))
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
		return nil
	}
}
