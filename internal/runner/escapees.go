package runner

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strconv"
	"syscall"
)

// sessionEnv names the variable that marks every process of one benchmark
// run where no cgroup holds them: a process that leaves the benchmark's
// process group (setsid, a daemon) keeps its environment, so Run finds and
// ends it by the mark. (A process that clears its environment escapes
// this; a cgroup, where there is one, holds it anyway.)
const sessionEnv = "BENCHGATE_SESSION"

// newSessionMark returns a fresh "BENCHGATE_SESSION=<id>" entry.
func newSessionMark() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return sessionEnv + "=" + hex.EncodeToString(b)
}

// procRoot is /proc (a variable for tests).
var procRoot = "/proc"

// killMarked sends SIGKILL to every process whose environment holds mark,
// until a pass finds none (a process may fork while a pass runs; at most a
// few passes), and returns how many it signalled.
func killMarked(mark string) int {
	want := []byte("\x00" + mark + "\x00")
	self := os.Getpid()
	killed := 0
	for range 5 {
		found := 0
		entries, err := os.ReadDir(procRoot)
		if err != nil {
			return killed
		}
		for _, e := range entries {
			pid, err := strconv.Atoi(e.Name())
			if err != nil || pid == self {
				continue
			}
			env, err := os.ReadFile(procRoot + "/" + e.Name() + "/environ")
			if err != nil || !bytes.Contains(append([]byte{0}, env...), want) {
				continue
			}
			if syscall.Kill(pid, syscall.SIGKILL) == nil {
				found++
			}
		}
		killed += found
		if found == 0 {
			break
		}
	}
	return killed
}
