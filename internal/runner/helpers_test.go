package runner

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/config"
	"github.com/benchgate/benchgate/internal/results"
)

// planJobs parses a suite file and plans it: the real config package.
func planJobs(t testing.TB, suite string) []config.Job {
	t.Helper()
	s, err := config.Parse([]byte(suite), "benchgate.yml")
	if err != nil {
		t.Fatalf("config.Parse: %v", err)
	}
	jobs, err := s.Plan(config.PlanOptions{})
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	return jobs
}

// sample is the tiny JSON format the tests' benchmarks print.
type sample struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

// parseJSON reads a JSON list of samples: a real encoding/json reader whose
// syntax errors are *json.SyntaxError.
func parseJSON(job config.Job, data []byte, source string) ([]results.Result, error) {
	var ss []sample
	if err := json.Unmarshal(data, &ss); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	var rs []results.Result
	for _, s := range ss {
		rs = append(rs, results.Result{
			Name:     s.Name,
			Hardware: results.Hardware{Type: "cpu"},
			Metrics:  []results.Metric{{Name: "sec/op", Unit: "s", Samples: []float64{s.Value}}},
		})
	}
	return rs, nil
}

// lineError is a reader's syntax error that opts in through SyntaxError.
type lineError struct{ line int }

func (e *lineError) Error() string     { return fmt.Sprintf("line %d: bad line", e.line) }
func (e *lineError) SyntaxError() bool { return true }

// parseWith returns a Parse func giving rs and err.
func parseWith(rs []results.Result, err error) func(config.Job, []byte, string) ([]results.Result, error) {
	return func(config.Job, []byte, string) ([]results.Result, error) { return rs, err }
}

// errPlain is a parse error that is neither about syntax nor data.
var errPlain = errors.New("read out.txt: input/output error")

// readPids reads the whitespace-separated pids a test script wrote.
func readPids(t *testing.T, path string) []int {
	t.Helper()
	var pids []int
	deadline := time.Now().Add(5 * time.Second)
	for {
		data, err := os.ReadFile(path)
		if err == nil {
			pids = pids[:0]
			for _, f := range strings.Fields(string(data)) {
				var pid int
				if _, err := fmt.Sscan(f, &pid); err == nil {
					pids = append(pids, pid)
				}
			}
			if len(pids) >= 2 {
				return pids
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("reading pids from %s: got %v, %v; want 2 pids", path, pids, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// alive reports whether process pid still runs. A zombie counts as dead: it
// has exited and only waits for init to reap it.
func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the parenthesised command name.
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}

// waitDead waits up to 5 s for pid to be gone and reports whether it is.
func waitDead(pid int) bool {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if !alive(pid) {
			return true
		}
	}
	return false
}
