package abtest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/benchgate/benchgate/gate"
	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/config"
	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/runner"
)

func TestSingleCount(t *testing.T) {
	tests := []struct{ in, want []string }{
		{[]string{"go", "test", "-bench=.", "-count=10", "./..."}, []string{"go", "test", "-bench=.", "-count=1", "./..."}},
		{[]string{"go", "test", "-count", "5", "-bench=."}, []string{"go", "test", "-count=1", "-bench=."}},
		{[]string{"./x.test", "-test.count=7"}, []string{"./x.test", "-count=1"}},
		{[]string{"go", "test", "-bench=."}, []string{"go", "test", "-bench=."}},
		{[]string{"echo", "count=3"}, []string{"echo", "count=3"}},
	}
	for _, tt := range tests {
		if got := singleCount(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("singleCount(%q): got %q; want %q", tt.in, got, tt.want)
		}
	}
}

// git runs git in dir, failing the test on error.
func git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// repoWith makes a git repository holding files (path → content), committed.
func repoWith(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, c := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git(t, dir, "init", "--quiet", "-b", "main")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "--quiet", "-m", "init")
	return dir
}

func parseGo(_ config.Job, data []byte, source string) ([]results.Result, error) {
	out, err := results.Read(bytes.NewReader(data), source, results.FormatGoBench)
	return out.Results, err
}

// driftSuite is a benchmark whose machine gets 3 % of its initial time slower at every
// invocation (a counter in a file outside the repository, reset by each
// trial): the drift that
// separate runs mistake for a regression and interleaving cancels.
const driftSuite = `version: 1
name: drift
benchmarks:
  - name: drift
    shell: bash
    format: go
    command: |
      n=$(cat "$DRIFT_FILE" 2>/dev/null || echo 0); echo $((n+1)) > "$DRIFT_FILE"
      echo "BenchmarkDrift 1000 $((100000 + n*3000 + RANDOM % 200)) ns/op"
`

// aaFalseAlarms runs trials A/A comparisons (base = head) of jobs in repo,
// same-runner and separate (R runs of base, then R of head), and returns
// how many of each flagged a regression.
func aaFalseAlarms(t *testing.T, repo string, jobs []config.Job, trials, rounds int, env []string, floor float64, reset func()) (sameRunner, separate int) {
	t.Helper()
	ctx := context.Background()
	policy := func(results.SeriesKey) gate.Policy { p := gate.DefaultPolicy; p.Floor = floor; return p }
	for trial := range trials {
		reset()
		res, err := Run(ctx, Options{Jobs: jobs, RepoDir: repo, Base: "HEAD", Rounds: rounds, Seed: uint64(trial + 1), Env: env, Parse: parseGo})
		if err != nil {
			t.Fatalf("trial %d: Run: %v", trial, err)
		}
		for _, r := range res.Head {
			for _, m := range r.Metrics {
				if len(m.Rounds) != len(m.Samples) || m.Rounds[0] != 1 || m.Rounds[len(m.Rounds)-1] != rounds {
					t.Fatalf("trial %d: %s %s: got rounds %v for %d samples; want 1..%d", trial, r.Name, m.Name, m.Rounds, len(m.Samples), rounds)
				}
			}
		}
		c := comparison.Compare(res.Base, res.Head, comparison.Side{Label: "base"}, comparison.Side{Label: "head"}, policy)
		if len(c.Rows) == 0 {
			t.Fatalf("trial %d: same-runner: no series compared", trial)
		}
		if c.Regressed() {
			sameRunner++
		}
		// Separate runs: all of base, then all of head, as two CI jobs would.
		sep := make([]config.Job, len(jobs))
		for i, j := range jobs {
			b := *j.Benchmark
			b.Repetitions = rounds
			j.Benchmark = &b
			j.Argv = singleCount(j.Argv)
			sep[i] = j
		}
		var sides [2][]results.Result
		for s := range sides {
			outs, err := runner.Run(ctx, sep, runner.Options{Env: env, Parse: parseGo})
			if err != nil {
				t.Fatal(err)
			}
			sides[s] = runner.Results(outs)
		}
		if comparison.Compare(sides[0], sides[1], comparison.Side{}, comparison.Side{}, policy).Regressed() {
			separate++
		}
	}
	return sameRunner, separate
}

// TestAADrift measures false alarms over A/A comparisons of a benchmark on a
// drifting machine: same-runner must raise none, separate runs mistake the
// drift for a regression.
func TestAADrift(t *testing.T) {
	repo := repoWith(t, map[string]string{"benchgate.yml": driftSuite})
	suite, err := config.Load(filepath.Join(repo, "benchgate.yml"))
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := suite.Plan(config.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	drift := filepath.Join(t.TempDir(), "drift")
	env := append(os.Environ(), "DRIFT_FILE="+drift)
	trials := 3
	same, sep := aaFalseAlarms(t, repo, jobs, trials, DefaultRounds, env, 0.01, func() { os.Remove(drift) })
	t.Logf("drifting machine, %d A/A trials, R=%d: same-runner %d false alarms, separate runs %d", trials, DefaultRounds, same, sep)
	if same != 0 {
		t.Errorf("same-runner false alarms: got %d of %d; want 0", same, trials)
	}
	if sep != trials {
		t.Errorf("separate-run false alarms: got %d of %d; want %d (the drift is about 20 %% between sides)", sep, trials, trials)
	}
}

// TestAAExampleSuite is the measurement: false alarms over 20 A/A
// runs of the example suite (examples/benchgate.yml, real Go benchmarks),
// same-runner versus two separate runs, side by side. It takes minutes, so
// it runs only with BENCHGATE_LONG=1:
//
//	BENCHGATE_LONG=1 go test -run TestAAExampleSuite -v -timeout 30m ./internal/abtest/
func TestAAExampleSuite(t *testing.T) {
	if os.Getenv("BENCHGATE_LONG") == "" {
		t.Skip("long measurement (minutes of go test runs): set BENCHGATE_LONG=1; TestAADrift is its reduced form")
	}
	trials := 20
	root, err := filepath.Abs("../../examples")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"go.mod": "module example.com/aa\n\ngo 1.26\n"}
	for _, p := range []string{"benchgate.yml", "kernels/kernels.go", "kernels/kernels_test.go"} {
		data, err := os.ReadFile(filepath.Join(root, p))
		if err != nil {
			t.Fatal(err)
		}
		files["examples/"+p] = string(data)
	}
	repo := repoWith(t, files)
	suite, err := config.Load(filepath.Join(repo, "examples", "benchgate.yml"))
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := suite.Plan(config.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rounds := DefaultRounds
	// The suite's own floor (5 %) is for separate runs; use the gate's
	// default 1 % floor for both layouts so that the layout is what differs.
	same, sep := aaFalseAlarms(t, repo, jobs, trials, rounds, os.Environ(), gate.DefaultPolicy.Floor, func() {})
	t.Logf("example suite, %d A/A trials, R=%d: same-runner %d false alarms (%s), separate runs %d (%s)",
		trials, rounds, same, pct(same, trials), sep, pct(sep, trials))
	if same > sep {
		t.Errorf("same-runner false alarms %d exceed separate-run false alarms %d", same, sep)
	}
}

func pct(n, d int) string { return fmt.Sprintf("%.0f %%", 100*float64(n)/float64(d)) }
