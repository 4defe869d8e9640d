package databranch

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/store"
)

// writerEnv makes the test binary a writer process (see TestMain): it saves
// runs "<prefix>-0", "<prefix>-1", … to the remote one by one and prints
// "ACK <id>" once each Save returned, until killed.
const writerEnv = "BENCHGATE_DATABRANCH_WRITER"

func TestMain(m *testing.M) {
	if spec := os.Getenv(writerEnv); spec != "" {
		os.Exit(writer(spec))
	}
	os.Exit(m.Run())
}

// writer is the writer process: spec is "remote|prefix|compactEvery|dir".
func writer(spec string) int {
	f := strings.Split(spec, "|")
	if len(f) != 4 {
		fmt.Fprintln(os.Stderr, "bad writer spec", spec)
		return 2
	}
	every, _ := strconv.Atoi(f[2])
	b := &Branch{Remote: f[0], CompactEvery: every, MaxAttempts: 100}
	ctx := context.Background()
	for i := 0; ; i++ {
		id := fmt.Sprintf("%s-%d", f[1], i)
		path := filepath.Join(f[3], id+".duckdb")
		if err := writeLocalDB(path, id); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		db, err := store.OpenReadOnly(ctx, path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		_, err = b.Save(ctx, db)
		db.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Printf("ACK %s\n", id)
	}
}

// TestFaultKill kills writers with SIGKILL at random points of their
// fetch–merge–write–push cycles: after each trial the branch must hold a
// valid database (Fetch succeeds) and every acknowledged run. Two writers
// run at once so that kills also land in retries and compactions. Default
// 6 trials; with BENCHGATE_LONG=1, 60.
func TestFaultKill(t *testing.T) {
	trials := 6
	if long() {
		trials = 60
	}
	remote := bareRepo(t)
	dir := t.TempDir()
	acked := map[string]bool{}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	// Calibrate: how long a writer takes to its first acknowledged push on
	// this machine (process start, DuckDB, git), so that kills land across
	// whole cycles whatever the machine's speed.
	var calib time.Duration
	for trial := range trials {
		var procs []*exec.Cmd
		var lines []chan string
		for w := range 2 {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s|t%d-w%d|4|%s", writerEnv, remote, trial, w, dir))
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stderr = os.Stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			ch := make(chan string, 1000)
			go func() {
				sc := bufio.NewScanner(out)
				for sc.Scan() {
					ch <- sc.Text()
				}
				close(ch)
			}()
			procs = append(procs, cmd)
			lines = append(lines, ch)
		}
		start := time.Now()
		if calib == 0 {
			// First trial: kill both at the first acknowledgement.
			for l := range lines[0] {
				if strings.HasPrefix(l, "ACK ") {
					break
				}
			}
			calib = max(time.Since(start), 100*time.Millisecond)
		} else {
			// A random point in the first few cycles, which include process
			// start, fetch, DuckDB work, index writes and pushes.
			time.Sleep(time.Duration(rng.Int64N(int64(3 * calib))))
		}
		for _, cmd := range procs {
			_ = cmd.Process.Signal(syscall.SIGKILL)
		}
		for i, cmd := range procs {
			_ = cmd.Wait()
			for l := range lines[i] {
				if id, ok := strings.CutPrefix(l, "ACK "); ok {
					acked[id] = true
				}
			}
		}
		// The branch may not exist yet if no push completed.
		if gitCmd(t, "", "--git-dir="+remote, "for-each-ref", "refs/heads/") == "" {
			continue
		}
		got := fetchRuns(t, &Branch{Remote: remote})
		for id := range acked {
			if got[id] != 1 {
				t.Fatalf("trial %d: acknowledged run %s: got %d copies on the branch; want 1", trial, id, got[id])
			}
		}
		for id, n := range got {
			if n != 1 {
				t.Fatalf("trial %d: run %s: got %d copies; want 1", trial, id, n)
			}
		}
	}
	t.Logf("%d trials, 2 writers each, SIGKILL at a random point in 0–%s (3 × the time to a first push): %d acknowledged runs, all on the branch once; branch valid after every trial",
		trials, (3 * calib).Round(time.Millisecond), len(acked))
	if len(acked) == 0 {
		t.Errorf("no run was acknowledged in %d trials: the test did not exercise a complete push", trials)
	}
}
