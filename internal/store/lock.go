package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"regexp"
	"strconv"
	"time"
)

// lockWait bounds how long an open waits for another process to release
// the database's file lock; tests lower it.
var lockWait = 30 * time.Second

// Bounds of the back-off between two tries at a locked database.
const (
	lockFirstDelay = 25 * time.Millisecond
	lockMaxDelay   = time.Second
)

// lockHolder matches DuckDB's error for a file that another process holds
// open: `IO Error: Could not set lock on file "F": Conflicting lock is held
// in PROGRAM (PID N). See also …`.
var lockHolder = regexp.MustCompile(`(?s)Could not set lock on file .*Conflicting lock is held in (.*) \(PID (\d+)\)`)

// holder is the process that holds a database's lock.
type holder struct {
	program string
	pid     int
}

func (h holder) String() string { return fmt.Sprintf("%s (PID %d)", h.program, h.pid) }

// lockedBy returns the process named by DuckDB's error for a locked file.
func lockedBy(err error) (holder, bool) {
	m := lockHolder.FindStringSubmatch(err.Error())
	if m == nil {
		return holder{}, false
	}
	pid, err := strconv.Atoi(m[2])
	if err != nil {
		return holder{}, false
	}
	return holder{program: m[1], pid: pid}, true
}

type logKey struct{}

// WithLog returns a context whose database opens log to log: the wait for
// a database that another process holds open. Without one they log to
// slog.Default().
//
// Note: a context value rather than a parameter of Open, OpenReadOnly and
// OpenUntrusted, which a dozen callers share; main sets it once.
func WithLog(ctx context.Context, log *slog.Logger) context.Context {
	return context.WithValue(ctx, logKey{}, log)
}

func logOf(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(logKey{}).(*slog.Logger); ok && l != nil {
		return l
	}
	return slog.Default()
}

// connect opens dsn and connects to it. While another process holds the
// file open (DuckDB lets one process at a time write a file, and none read
// it meanwhile), it tries again with a growing delay for up to lockWait,
// logging once whom it waits for, then fails naming that process.
func connect(ctx context.Context, path, dsn string) (*sql.DB, error) {
	deadline := time.Now().Add(lockWait)
	delay := lockFirstDelay
	logged := false
	for {
		// Note: duckdb-go opens the file in sql.Open (its connector), so
		// the lock error may come from there or from the first connection.
		sdb, err := sql.Open("duckdb", dsn)
		if err == nil {
			if err = sdb.PingContext(ctx); err == nil {
				return sdb, nil
			}
			sdb.Close()
		}
		h, locked := lockedBy(err)
		if !locked || h.pid == os.Getpid() {
			// Note: this process's own lock is not released by waiting.
			return nil, fmt.Errorf("opening database %s: %w", path, err)
		}
		left := time.Until(deadline)
		if left <= 0 {
			return nil, fmt.Errorf("opening database %s: %s still holds it open after %s: let it finish or stop it: %w",
				path, h, lockWait, err)
		}
		if !logged {
			logOf(ctx).Info(fmt.Sprintf("waiting for the lock held by PID %d", h.pid),
				"database", path, "program", h.program, "pid", h.pid, "at_most", lockWait)
			logged = true
		}
		t := time.NewTimer(min(delay, left))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("opening database %s: waiting for %s to release it: %w", path, h, context.Cause(ctx))
		case <-t.C:
		}
		delay = min(2*delay, lockMaxDelay)
	}
}
