package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"syscall"
	"time"

	"github.com/benchgate/benchgate/internal/monitor"
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
	// UserTime and SystemTime are the CPU time of the benchmark: with a
	// cgroup of its own (MemoryMethod MemoryCgroup), of every process that
	// ran in it (cpu.stat); else of the process and the descendants it
	// waited for (wait4's rusage). Both are at microsecond resolution, and
	// their sum is the scheduler's precise run time; how it splits into
	// user and system is sampled at clock ticks. Zero when the process did
	// not start, and from the container backend, which does not measure
	// them (CPUMeasured false).
	UserTime, SystemTime time.Duration
	CPUMeasured          bool
	// MaxRSSBytes is the benchmark's own peak memory in bytes, measured as
	// MemoryMethod says; 0 when unknown. It is never wait4's maximum RSS
	// of the child alone, which counts benchgate's own resident set: Go
	// starts processes with vfork, and the kernel records the parent's
	// resident set as the child's at its exec.
	MaxRSSBytes int64
	// MemoryMethod says how MaxRSSBytes was measured: MemoryCgroup or
	// MemoryProc; "" when the process did not start.
	MemoryMethod string
}

// How ExecResult.MaxRSSBytes was measured.
const (
	// MemoryCgroup: memory.peak of a cgroup v2 the benchmark ran in alone
	// (see benchCgroup): the most memory charged to its processes at once
	// — anonymous memory, page cache they brought in, kernel memory such
	// as page tables — whatever the number of processes. The preferred
	// method, used wherever such a cgroup can be made.
	MemoryCgroup = "cgroup memory.peak"
	// MemoryProc: the process tree read through /proc while it runs
	// (monitor.PeakTracker: the largest VmHWM of a process and the
	// largest sum of VmRSS), raised to wait4's maximum RSS when that is
	// provably the benchmark's (larger than benchgate's own high-water
	// mark at the exec plus the kernel counters' slack, see rusageMargin).
	// The fallback where no cgroup can be made.
	MemoryProc = "/proc VmHWM"
)

// Exec runs one process and waits for it. argv is run directly; with shell
// "bash", argv must hold one element, the script, run as bash -c <script>.
// dir is the working directory ("" for the current one) and env the whole
// environment (nil inherits the current process's; callers pass a scrubbed
// one). A relative argv[0] with a "/" is resolved against dir; a bare name is
// looked up in this process's PATH.
//
// The process runs in its own process group and, where one can be made, in
// a cgroup v2 of its own (see benchCgroup), which measures its memory and
// CPU time. When timeout (if positive) passes or ctx ends first, the whole
// group is killed with SIGKILL; the group, and what is left in the cgroup,
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
	// Started, when set, is called with the process right after it
	// started and before Run waits for it (e.g. to start a resource
	// monitor). It must not block.
	Started func(Process)
	// Log receives, at debug level once per process, why benchmarks run
	// without a cgroup of their own, and a warning when one cannot be
	// removed (nil: discard).
	Log *slog.Logger
}

// Process is a started process, as Command.Started sees it.
type Process struct {
	Pid int
	// Cgroup is the directory of the cgroup v2 that holds the process tree
	// and nothing else; "" when it runs in benchgate's cgroup (see
	// ExecResult.MemoryMethod). It is removed when Run returns.
	Cgroup string
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

	newCmd := func() *exec.Cmd {
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Dir = dir
		cmd.Env = env
		// Note: *os.File outputs are handed to the child as they are, so
		// Wait does not wait for copying goroutines that a grandchild
		// could keep alive; this function reads the pipes itself.
		cmd.Stdout = outW
		cmd.Stderr = errW
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		return cmd
	}
	// Without a cgroup, what leaves the process group is found by a mark
	// in its environment (killMarked).
	mark := ""
	markEnv := func() {
		mark = newSessionMark()
		if env == nil {
			env = os.Environ()
		}
		env = append(env[:len(env):len(env)], mark)
	}
	cg, cgErr := newBenchCgroup()
	if cg == nil {
		c.cgroupUnavailable(cgErr)
		markEnv()
	}
	cmd := newCmd()
	if cg != nil {
		cmd.SysProcAttr.UseCgroupFD, cmd.SysProcAttr.CgroupFD = true, cg.fd
	}

	start := time.Now()
	err = cmd.Start()
	if err != nil && cg != nil && !execFailure(err) {
		// Starting into the cgroup may be what failed (clone3 refused by
		// a seccomp filter, a cgroup permission): the command did not
		// run, so start it again without one.
		markEnv()
		cmd2 := newCmd()
		start = time.Now()
		if err2 := cmd2.Start(); err2 == nil {
			cgroups.broken.Store(true)
			c.cgroupUnavailable(fmt.Errorf("starting a process in a cgroup: %w", err))
			c.removeCgroup(cg)
			cg, cmd, err = nil, cmd2, nil
		}
	}
	outW.Close()
	errW.Close()
	if err != nil {
		if cg != nil {
			c.removeCgroup(cg)
		}
		res.StartErr = err
		res.Elapsed = time.Since(start)
		return res
	}
	pgid := cmd.Process.Pid
	// Before anything can reap the process: the /proc measurement holds
	// its /proc directory open, and benchgate's own high-water mark,
	// read now, bounds what the exec recorded in the child's rusage.
	var tracker *monitor.PeakTracker
	var selfHWM int64
	cgDir := ""
	if cg == nil {
		tracker = monitor.TrackPeak(pgid)
		selfHWM = monitor.SelfHWM()
	} else {
		cgDir = cg.dir
	}
	if c.Started != nil {
		c.Started(Process{Pid: pgid, Cgroup: cgDir})
	}

	stdout, stderr := newCapture(maxOutput), newCapture(maxOutput)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); io.Copy(stdout, outR) }()
	go func() { defer wg.Done(); io.Copy(stderr, errR) }()

	// end is read by the goroutine that waits, as soon as the process is
	// reaped: not after this goroutine is scheduled again.
	var end time.Time
	waited := make(chan struct{})
	go func() { cmd.Wait(); end = time.Now(); close(waited) }()
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
	// itself, after a normal exit whatever it left running; and then what
	// left the group (setsid, daemons): what is left in the cgroup, or
	// without one, the processes carrying the run's mark.
	syscall.Kill(-pgid, syscall.SIGKILL)
	<-waited
	res.Elapsed = end.Sub(start)
	if cg != nil {
		cg.kill()
	} else {
		killMarked(mark)
	}

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
	res.UserTime, res.SystemTime, res.CPUMeasured = cmd.ProcessState.UserTime(), cmd.ProcessState.SystemTime(), true
	var ruMaxRSS int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		ruMaxRSS = int64(ru.Maxrss) << 10 // Linux reports KiB
	}
	if cg != nil {
		res.MaxRSSBytes, res.MemoryMethod = cg.peak(), MemoryCgroup
		if u, s, ok := cg.cpu(); ok {
			res.UserTime, res.SystemTime = u, s
		}
		c.removeCgroup(cg)
	} else {
		res.MaxRSSBytes, res.MemoryMethod = tracker.Stop(), MemoryProc
		if selfHWM > 0 && ruMaxRSS > selfHWM+rusageMargin() {
			res.MaxRSSBytes = max(res.MaxRSSBytes, ruMaxRSS)
		}
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		res.Signal = ws.Signal()
	}
	if !res.TimedOut && !res.Canceled {
		res.ExitCode = cmd.ProcessState.ExitCode()
	}
	return res
}

// rusageMargin is how much wait4's maximum RSS of a child must exceed
// benchgate's own high-water mark, read just after the child's exec, to be
// the child's own rather than benchgate's, which the exec recorded: the
// kernel's RSS counters are per-CPU and read without summing the CPUs'
// pending deltas (up to max(32, 2·CPUs) pages per CPU, Linux 6.2 on), or
// cached per thread (64 pages each, before), and the two readings may err
// in opposite directions. 8 MiB plus twice the per-CPU slack covers both.
func rusageMargin() int64 {
	n := int64(runtime.NumCPU())
	return 8<<20 + 2*n*max(32, 2*n)*int64(os.Getpagesize())
}

// execFailure reports whether a Start error is about the command itself
// (not found, not executable), which starting it again without a cgroup
// cannot help.
func execFailure(err error) bool {
	if errors.Is(err, exec.ErrNotFound) || errors.Is(err, exec.ErrDot) {
		return true
	}
	for _, e := range []syscall.Errno{syscall.ENOENT, syscall.EACCES, syscall.ENOEXEC, syscall.ENOTDIR, syscall.ETXTBSY, syscall.E2BIG, syscall.ELOOP, syscall.ENAMETOOLONG} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// cgroupUnavailable logs at debug level, once per process, why benchmarks run without a
// cgroup of their own.
func (c Command) cgroupUnavailable(err error) {
	cgroupWarnOnce.Do(func() {
		c.logger().Debug("benchmarks run without a cgroup of their own: peak memory is measured through /proc",
			"reason", err.Error())
	})
}

var cgroupWarnOnce sync.Once

// removeCgroup removes cg, logging a failure.
func (c Command) removeCgroup(cg *benchCgroup) {
	if err := cg.remove(); err != nil {
		c.logger().Warn("removing a benchmark cgroup", "cgroup", cg.dir, "error", err)
	}
}

func (c Command) logger() *slog.Logger {
	if c.Log != nil {
		return c.Log
	}
	return slog.New(slog.DiscardHandler)
}
