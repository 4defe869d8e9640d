package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// DefaultMaxOutput is the default cap on each captured stream.
const DefaultMaxOutput = 1 << 20

// drainDelay bounds how long Exec waits, after the process group is gone,
// for its output pipes to close; a process that left the group (setsid) and
// kept them open is then cut off.
const drainDelay = 2 * time.Second

// ExecResult is what one process did.
type ExecResult struct {
	// Argv is what was started: the argv, or bash -c <script>.
	Argv []string
	// Stdout and Stderr are the captured streams, each at most the cap plus
	// a one-line marker: head and tail are kept, the middle replaced by
	// "[... benchgate: N bytes omitted ...]".
	Stdout, Stderr                   []byte
	StdoutTruncated, StderrTruncated bool
	// ExitCode is the exit status; -1 when the process was killed (by a
	// signal, a timeout or a cancellation) or did not start.
	ExitCode int
	// Signal is the signal that ended the process, when one did.
	Signal syscall.Signal
	// Elapsed is the wall time from start to exit.
	Elapsed time.Duration
	// TimedOut is set when the timeout killed the process.
	TimedOut bool
	// Canceled is set when ctx ended before the process did; it was killed.
	Canceled bool
	// StartErr is set when the process could not be started.
	StartErr error
	// UserTime and SystemTime are the CPU time of the process and of the
	// descendants it waited for; MaxRSSBytes is the kernel's maximum
	// resident set size of the process (wait4's rusage). Zero when the
	// process did not start.
	UserTime, SystemTime time.Duration
	MaxRSSBytes          int64
}

// Exec runs one process and waits for it. argv is run directly; with shell
// "bash", argv must hold one element, the script, run as bash -c <script>.
// dir is the working directory ("" for the current one) and env the whole
// environment (nil inherits the current process's; callers pass a scrubbed
// one). A relative argv[0] with a "/" is resolved against dir; a bare name is
// looked up in this process's PATH.
//
// The process runs in its own process group. When timeout (if positive)
// passes or ctx ends first, the whole group is killed with SIGKILL; the group
// is also killed once the process exits, so that no background child
// outlives a benchmark. Exec never waits on a grandchild that keeps the
// output pipes open beyond a short delay. stdin is /dev/null. maxOutput caps
// each stream (≤ 0: DefaultMaxOutput).
func Exec(ctx context.Context, argv []string, shell string, dir string, env []string, timeout time.Duration, maxOutput int) ExecResult {
	return Command{Argv: argv, Shell: shell, Dir: dir, Env: env, Timeout: timeout, MaxOutput: maxOutput}.Run(ctx)
}

// Command is one process to run, the arguments of [Exec] as a struct, with a
// hook that sees the process start.
type Command struct {
	Argv      []string
	Shell     string // "" or "bash"
	Dir       string
	Env       []string
	Timeout   time.Duration
	MaxOutput int
	// Started, when set, is called with the process id right after the
	// process started and before Run waits for it (e.g. to start a
	// resource monitor). It must not block.
	Started func(pid int)
}

// Run runs the command as [Exec] describes and waits for it.
func (c Command) Run(ctx context.Context) ExecResult {
	argv, shell, dir, env, timeout, maxOutput := c.Argv, c.Shell, c.Dir, c.Env, c.Timeout, c.MaxOutput
	res := ExecResult{ExitCode: -1}
	switch {
	case shell == "bash" && len(argv) != 1:
		res.StartErr = fmt.Errorf("shell bash: want one script, got %d arguments", len(argv))
		return res
	case shell == "bash":
		argv = []string{"bash", "-c", argv[0]}
	case shell != "":
		res.StartErr = fmt.Errorf("unknown shell %q", shell)
		return res
	case len(argv) == 0:
		res.StartErr = errors.New("empty command")
		return res
	}
	res.Argv = argv
	if maxOutput <= 0 {
		maxOutput = DefaultMaxOutput
	}
	if err := ctx.Err(); err != nil {
		res.Canceled = true
		return res
	}

	outR, outW, err := os.Pipe()
	if err != nil {
		res.StartErr = fmt.Errorf("creating stdout pipe: %w", err)
		return res
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		res.StartErr = fmt.Errorf("creating stderr pipe: %w", err)
		return res
	}
	defer outR.Close()
	defer errR.Close()

	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = env
	// Note: *os.File outputs are handed to the child as they are, so Wait
	// does not wait for copying goroutines that a grandchild could keep
	// alive; this function reads the pipes itself.
	cmd.Stdout = outW
	cmd.Stderr = errW
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}

	start := time.Now()
	err = cmd.Start()
	outW.Close()
	errW.Close()
	if err != nil {
		res.StartErr = err
		res.Elapsed = time.Since(start)
		return res
	}
	pgid := cmd.Process.Pid
	if c.Started != nil {
		c.Started(pgid)
	}

	stdout, stderr := newCapture(maxOutput), newCapture(maxOutput)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); io.Copy(stdout, outR) }()
	go func() { defer wg.Done(); io.Copy(stderr, errR) }()

	waited := make(chan struct{})
	go func() { cmd.Wait(); close(waited) }()
	var timer <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-waited:
	case <-timer:
		select {
		case <-waited: // it exited just in time
		default:
			res.TimedOut = true
		}
	case <-ctx.Done():
		select {
		case <-waited:
		default:
			res.Canceled = true
		}
	}
	// Kill the group in every case: on timeout or cancellation the process
	// itself, after a normal exit whatever it left running.
	syscall.Kill(-pgid, syscall.SIGKILL)
	<-waited
	res.Elapsed = time.Since(start)

	drained := make(chan struct{})
	go func() { wg.Wait(); close(drained) }()
	select {
	case <-drained:
	case <-time.After(drainDelay):
		outR.Close()
		errR.Close()
		<-drained
	}

	res.Stdout, res.StdoutTruncated = stdout.bytes(), stdout.truncated()
	res.Stderr, res.StderrTruncated = stderr.bytes(), stderr.truncated()
	res.UserTime, res.SystemTime = cmd.ProcessState.UserTime(), cmd.ProcessState.SystemTime()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		res.MaxRSSBytes = int64(ru.Maxrss) << 10 // Linux reports KiB
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		res.Signal = ws.Signal()
	}
	if !res.TimedOut && !res.Canceled {
		res.ExitCode = cmd.ProcessState.ExitCode()
	}
	return res
}
