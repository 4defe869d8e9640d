package databranch

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// scratchEnv makes TestHelperScratch a process that holds a scratch
// directory.
const scratchEnv = "BENCHGATE_TEST_SCRATCH"

// TestHelperScratch is not a test: run by startScratchHolder in a child
// process (the test binary again), it makes a scratch directory as every
// operation of a Branch does, prints its path and waits for its stdin to
// close, then removes it, unless it is killed first.
func TestHelperScratch(t *testing.T) {
	if os.Getenv(scratchEnv) == "" {
		return
	}
	b := &Branch{Remote: "unused"}
	_, dir, err := b.scratch(context.Background())
	if err != nil {
		os.Stdout.WriteString("error: " + err.Error() + "\n")
		os.Exit(1)
	}
	os.Stdout.WriteString(dir + "\n")
	_, _ = io.Copy(io.Discard, os.Stdin)
	os.RemoveAll(dir)
	os.Exit(0)
}

// startScratchHolder starts a process holding a scratch directory in
// $TMPDIR and returns the process and the directory. The process ends
// when its stdin closes, at the end of the test at the latest.
func startScratchHolder(t *testing.T) (*exec.Cmd, string, func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperScratch$", "-test.count=1")
	cmd.Env = append(os.Environ(), scratchEnv+"=1")
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
	end := func() {
		once.Do(func() {
			stdin.Close()
			_ = cmd.Wait()
		})
	}
	t.Cleanup(end)
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if !strings.HasPrefix(line, filepath.Join(os.TempDir(), scratchPrefix)) {
		end()
		t.Fatalf("scratch holder: got %q, %v; want a scratch directory", line, err)
	}
	return cmd, strings.TrimSuffix(line, "\n"), end
}

// TestStaleScratchRemoved is the repro of a SIGKILLed Save's scratch
// directory: the next operation removes it once it is old enough, and
// leaves alone the directories of live processes, of other hosts, recent
// ones and ones too young to judge without an owner.
func TestStaleScratchRemoved(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	killed, killedDir, _ := startScratchHolder(t)
	_, liveDir, endLive := startScratchHolder(t)
	if err := killed.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := killed.Wait(); err == nil {
		t.Fatal("scratch holder: got exit 0; want killed")
	}
	if _, err := os.Stat(killedDir); err != nil {
		t.Fatalf("the killed process's scratch directory: %v; want it left behind", err)
	}
	host, _ := os.Hostname()
	dead := killed.Process.Pid
	mkdir := func(name, owner string) string {
		dir := filepath.Join(tmp, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if owner != "" {
			if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(owner), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	recent := mkdir(scratchPrefix+"recent", strconv.Itoa(dead)+" "+host+"\n")
	otherHost := mkdir(scratchPrefix+"other-host", strconv.Itoa(dead)+" elsewhere\n")
	unowned := mkdir(scratchPrefix+"unowned", "")
	unownedOld := mkdir(scratchPrefix+"unowned-old", "")
	unrelated := mkdir("unrelated-dir", strconv.Itoa(dead)+" "+host+"\n")
	now := time.Now()
	for dir, age := range map[string]time.Duration{killedDir: 2 * time.Hour, liveDir: 2 * time.Hour, otherHost: 2 * time.Hour,
		unowned: 2 * time.Hour, unownedOld: 25 * time.Hour, unrelated: 2 * time.Hour} {
		if err := os.Chtimes(dir, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
	}

	// Any operation starts by making its scratch directory: Fetch of a
	// remote without the branch.
	b := &Branch{Remote: bareRepo(t), Log: slog.New(slog.DiscardHandler)}
	if _, err := b.Fetch(context.Background(), filepath.Join(t.TempDir(), "db.duckdb")); !errors.Is(err, ErrNoBranch) {
		t.Fatalf("Fetch: got %v; want ErrNoBranch", err)
	}
	var got []string
	ents, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		got = append(got, filepath.Join(tmp, e.Name()))
	}
	want := []string{liveDir, otherHost, recent, unowned, unrelated}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("left in $TMPDIR:\n got %q\nwant %q (the killed process's %s and the day-old unowned one removed)", got, want, killedDir)
	}
	endLive()
	if _, err := os.Stat(liveDir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the live process's scratch directory after it ended: %v; want it removed by its owner", err)
	}
}
