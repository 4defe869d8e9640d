package store

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// holdLockEnv names the database TestHelperHoldLock holds open.
const holdLockEnv = "BENCHGATE_TEST_HOLD_LOCK"

// TestHelperHoldLock is not a test: run by holdLock in a child process (the
// test binary again), it opens the database $BENCHGATE_TEST_HOLD_LOCK,
// prints "held" and keeps it open until its stdin closes.
func TestHelperHoldLock(t *testing.T) {
	path := os.Getenv(holdLockEnv)
	if path == "" {
		return
	}
	db, err := Open(context.Background(), path)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("held")
	_, _ = io.Copy(io.Discard, os.Stdin)
	db.Close()
	os.Exit(0)
}

// holdLock starts a process that holds the database at path open, and
// returns its PID and a function that makes it close the database and
// exit (also called at the end of the test).
func holdLock(t *testing.T, path string) (int, func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldLock$", "-test.count=1")
	cmd.Env = append(os.Environ(), holdLockEnv+"="+path)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release := func() {
		once.Do(func() {
			stdin.Close()
			if err := cmd.Wait(); err != nil {
				t.Errorf("lock holder: %v", err)
			}
		})
	}
	t.Cleanup(release)
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if line != "held\n" {
		release()
		t.Fatalf("lock holder: got %q, %v; want \"held\"", line, err)
	}
	return cmd.Process.Pid, release
}

// messages is a slog.Handler that sends each record's message to a channel.
type messages chan string

func (m messages) Enabled(context.Context, slog.Level) bool { return true }
func (m messages) Handle(_ context.Context, r slog.Record) error {
	m <- r.Message
	return nil
}
func (m messages) WithAttrs([]slog.Attr) slog.Handler { return m }
func (m messages) WithGroup(string) slog.Handler      { return m }

// setLockWait sets lockWait for one test.
func setLockWait(t *testing.T, d time.Duration) {
	old := lockWait
	lockWait = d
	t.Cleanup(func() { lockWait = old })
}

func newDatabase(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bench.duckdb")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestOpenWaitsForLock checks that an open of a database another process
// holds waits, says once whom it waits for, and succeeds once that process
// lets go.
func TestOpenWaitsForLock(t *testing.T) {
	// A bound no loaded machine reaches: the test must not depend on time.
	setLockWait(t, 10*time.Minute)
	for _, readOnly := range []bool{false, true} {
		t.Run(fmt.Sprintf("readOnly=%v", readOnly), func(t *testing.T) {
			path := newDatabase(t)
			pid, release := holdLock(t, path)
			logs := make(messages, 10)
			ctx := WithLog(context.Background(), slog.New(logs))
			type result struct {
				db  *DB
				err error
			}
			done := make(chan result, 1)
			go func() {
				db, err := open(ctx, path, readOnly, migrations)
				done <- result{db, err}
			}()
			select {
			case msg := <-logs:
				if want := fmt.Sprintf("waiting for the lock held by PID %d", pid); msg != want {
					t.Errorf("log: got %q; want %q", msg, want)
				}
			case r := <-done:
				t.Fatalf("open while another process holds the database: got %v, %v; want it to wait", r.db, r.err)
			}
			release()
			r := <-done
			if r.err != nil {
				t.Fatalf("open after the holder exited: %v", r.err)
			}
			if err := r.db.Close(); err != nil {
				t.Fatal(err)
			}
			if len(logs) != 0 {
				t.Errorf("logged %d more lines; want the wait logged once", len(logs))
			}
		})
	}
}

// TestOpenNamesLockHolder checks that an open gives up after lockWait with
// an error naming the process that holds the database.
func TestOpenNamesLockHolder(t *testing.T) {
	setLockWait(t, 50*time.Millisecond)
	path := newDatabase(t)
	pid, _ := holdLock(t, path)
	ctx := WithLog(context.Background(), slog.New(slog.DiscardHandler))
	for _, readOnly := range []bool{false, true} {
		db, err := open(ctx, path, readOnly, migrations)
		if err == nil {
			db.Close()
			t.Fatalf("readOnly=%v: open of a held database: got no error", readOnly)
		}
		want := fmt.Sprintf("(PID %d) still holds it open after 50ms", pid)
		if !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "opening database "+path+": ") {
			t.Errorf("readOnly=%v: got %q; want it to start %q and contain %q", readOnly, err, "opening database "+path, want)
		}
	}
}
