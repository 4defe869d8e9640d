package runner

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestExec(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name       string
		argv       []string
		shell      string
		timeout    time.Duration
		wantExit   int
		wantStdout string
		wantStderr string
		wantSignal syscall.Signal
		wantStart  bool
		wantTimed  bool
	}{
		{name: "stdout", argv: []string{"printf", "a %s", "b"}, wantStdout: "a b"},
		{name: "stderr and exit code", argv: []string{"sh", "-c", "echo oops >&2; exit 3"}, wantExit: 3, wantStderr: "oops\n"},
		{name: "argv is not a shell line", argv: []string{"printf", "%s", "$HOME; echo x"}, wantStdout: "$HOME; echo x"},
		{name: "bash", argv: []string{`echo "$0" $((2+3))`}, shell: "bash", wantStdout: "bash 5\n"},
		{name: "working directory", argv: []string{"pwd"}, wantStdout: dir + "\n"},
		{name: "not found", argv: []string{"benchgate-no-such-command"}, wantExit: -1, wantStart: true},
		{name: "bash needs one script", argv: []string{"echo", "x"}, shell: "bash", wantExit: -1, wantStart: true},
		{name: "unknown shell", argv: []string{"echo"}, shell: "zsh", wantExit: -1, wantStart: true},
		{name: "empty argv", wantExit: -1, wantStart: true},
		{name: "killed by signal", argv: []string{"sh", "-c", "kill -SEGV $$"}, wantExit: -1, wantSignal: syscall.SIGSEGV},
		{name: "timeout", argv: []string{"sleep", "1000"}, timeout: 200 * time.Millisecond, wantExit: -1, wantTimed: true, wantSignal: syscall.SIGKILL},
		{name: "stdin is empty", argv: []string{"cat"}, wantStdout: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Exec(context.Background(), tt.argv, tt.shell, dir, nil, tt.timeout, 0)
			if res.ExitCode != tt.wantExit {
				t.Errorf("ExitCode: got %d; want %d (start error %v, stderr %q)", res.ExitCode, tt.wantExit, res.StartErr, res.Stderr)
			}
			if got := string(res.Stdout); got != tt.wantStdout {
				t.Errorf("Stdout: got %q; want %q", got, tt.wantStdout)
			}
			if got := string(res.Stderr); got != tt.wantStderr {
				t.Errorf("Stderr: got %q; want %q", got, tt.wantStderr)
			}
			if res.Signal != tt.wantSignal {
				t.Errorf("Signal: got %v; want %v", res.Signal, tt.wantSignal)
			}
			if (res.StartErr != nil) != tt.wantStart {
				t.Errorf("StartErr: got %v; want error: %v", res.StartErr, tt.wantStart)
			}
			if res.TimedOut != tt.wantTimed || res.Canceled {
				t.Errorf("TimedOut, Canceled: got %v, %v; want %v, false", res.TimedOut, res.Canceled, tt.wantTimed)
			}
		})
	}
}

func TestExecNotFoundMessage(t *testing.T) {
	res := Exec(context.Background(), []string{"benchgate-no-such-command"}, "", "", nil, 0, 0)
	if !errors.Is(res.StartErr, exec.ErrNotFound) {
		t.Errorf("StartErr: got %v; want exec.ErrNotFound", res.StartErr)
	}
}

// TestExecKillsProcessGroup checks that a timeout and a cancellation kill
// the whole process group, a background grandchild included, and that Exec
// returns promptly although the grandchild holds the output pipes.
func TestExecKillsProcessGroup(t *testing.T) {
	tests := []struct {
		name    string
		timeout time.Duration
		cancel  time.Duration // cancel ctx after this long; 0: never
	}{
		{name: "timeout", timeout: 300 * time.Millisecond},
		{name: "cancel", cancel: 300 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pidFile := filepath.Join(t.TempDir(), "pids")
			ctx := context.Background()
			if tt.cancel > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithCancel(ctx)
				timer := time.AfterFunc(tt.cancel, cancel)
				defer timer.Stop()
			}
			script := `sleep 1000 & echo $! $$ > "$PIDFILE"; sleep 1000`
			env := append(os.Environ(), "PIDFILE="+pidFile)
			start := time.Now()
			res := Exec(ctx, []string{script}, "bash", "", env, tt.timeout, 0)
			if took := time.Since(start); took > 10*time.Second {
				t.Fatalf("Exec took %v; want it to return soon after the kill", took)
			}
			if res.TimedOut != (tt.timeout > 0) || res.Canceled != (tt.cancel > 0) {
				t.Errorf("TimedOut, Canceled: got %v, %v; want %v, %v", res.TimedOut, res.Canceled, tt.timeout > 0, tt.cancel > 0)
			}
			if res.ExitCode != -1 {
				t.Errorf("ExitCode: got %d; want -1", res.ExitCode)
			}
			for _, pid := range readPids(t, pidFile) {
				if !waitDead(pid) {
					t.Errorf("process %d: still alive after the kill; want dead", pid)
					syscall.Kill(pid, syscall.SIGKILL)
				}
			}
		})
	}
}

// TestExecLeftoverChild checks that a benchmark that exits leaving a
// background child holding its stdout does not hang Exec, and that the
// child is killed with the group.
func TestExecLeftoverChild(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pids")
	env := append(os.Environ(), "PIDFILE="+pidFile)
	start := time.Now()
	res := Exec(context.Background(), []string{`sleep 1000 & echo $! $$ > "$PIDFILE"; echo done`}, "bash", "", env, time.Minute, 0)
	if took := time.Since(start); took > 10*time.Second {
		t.Fatalf("Exec took %v; want it not to wait for the background child", took)
	}
	if res.ExitCode != 0 || string(res.Stdout) != "done\n" {
		t.Errorf("got exit %d, stdout %q; want 0, %q", res.ExitCode, res.Stdout, "done\n")
	}
	for _, pid := range readPids(t, pidFile) {
		if !waitDead(pid) {
			t.Errorf("process %d: still alive; want killed with the group", pid)
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

func TestExecCanceledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := Exec(ctx, []string{"sh", "-c", "echo ran"}, "", "", nil, 0, 0)
	if !res.Canceled || len(res.Stdout) != 0 || res.ExitCode != -1 {
		t.Errorf("got canceled %v, stdout %q, exit %d; want true, empty, -1", res.Canceled, res.Stdout, res.ExitCode)
	}
}

func TestExecOutputCap(t *testing.T) {
	// 100 000 bytes: "0123456789" repeated, then "END".
	script := `i=0; while [ $i -lt 10000 ]; do printf 0123456789; i=$((i+1)); done; printf END; printf 'head-err' >&2`
	res := Exec(context.Background(), []string{script}, "bash", "", nil, time.Minute, 1000)
	if !res.StdoutTruncated || res.StderrTruncated {
		t.Errorf("truncated: got stdout %v, stderr %v; want true, false", res.StdoutTruncated, res.StderrTruncated)
	}
	const marker = "\n[... benchgate: 99003 bytes omitted ...]\n"
	if want := len(marker) + 1000; len(res.Stdout) != want {
		t.Errorf("len(Stdout): got %d; want %d", len(res.Stdout), want)
	}
	if !bytes.HasPrefix(res.Stdout, []byte("0123456789")) || !bytes.HasSuffix(res.Stdout, []byte("789END")) || !bytes.Contains(res.Stdout, []byte(marker)) {
		t.Errorf("Stdout: got %q…%q; want head, marker %q and tail ending in END", res.Stdout[:20], res.Stdout[len(res.Stdout)-20:], marker)
	}
	if string(res.Stderr) != "head-err" {
		t.Errorf("Stderr: got %q; want %q", res.Stderr, "head-err")
	}
}

func TestCapture(t *testing.T) {
	tests := []struct {
		name   string
		max    int
		writes []string
		want   string
	}{
		{"fits", 10, []string{"abc", "def"}, "abcdef"},
		{"exactly fits", 6, []string{"abc", "def"}, "abcdef"},
		{"head and tail", 6, []string{"abcd", "efgh", "ij"}, "abc\n[... benchgate: 4 bytes omitted ...]\nhij"},
		{"many small writes", 4, strings.Split("abcdefghijklmnop", ""), "ab\n[... benchgate: 12 bytes omitted ...]\nop"},
		{"one byte", 1, []string{"xyz"}, "x\n[... benchgate: 2 bytes omitted ...]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCapture(tt.max)
			for _, w := range tt.writes {
				if n, err := c.Write([]byte(w)); n != len(w) || err != nil {
					t.Fatalf("Write(%q): got %d, %v; want %d, nil", w, n, err, len(w))
				}
			}
			if got := string(c.bytes()); got != tt.want {
				t.Errorf("bytes: got %q; want %q", got, tt.want)
			}
		})
	}
}
