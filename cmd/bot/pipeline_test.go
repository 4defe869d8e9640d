package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
)

// benchgateBin builds benchgate (cmd/action) once for the tests that fill
// a data branch the way a user's workflow does.
var benchgateBin = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "benchgate-bot-test-*")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "benchgate")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/benchgate/benchgate/cmd/action").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build cmd/action: %v\n%s", err, out)
	}
	return bin, nil
})

// suiteScript is the harness of the pipeline tests' suite: Go benchmark
// output (5 repetitions of 6 benchmarks, -count=5 as `go test` prints it)
// whose values depend on the commit index in the state file $1: normal
// noise of 2 % (seeded by the commit, so a rerun prints the same), and the
// two Encode benchmarks 10 % slower from commit 25 — back from commit 41
// when the state file says "recover".
const suiteScript = `#!/bin/sh
read c mode < "$1"
awk -v c="$c" -v mode="$mode" 'BEGIN {
	srand(c * 7919 + 13)
	print "goos: linux"; print "goarch: amd64"; print "pkg: example.com/codec"
	n = split("EncodeJSON EncodeProto DecodeJSON Sort Hash Parse", names, " ")
	for (r = 1; r <= 5; r++) for (k = 1; k <= n; k++) {
		f = 1
		if (names[k] ~ /^Encode/ && c >= 25 && !(mode == "recover" && c >= 41)) f = 1.10
		z = sqrt(-2 * log(1 - rand())) * cos(6.283185307179586 * rand())
		printf "Benchmark%s-4\t1000\t%.1f ns/op\n", names[k], k * 100000 * f * (1 + 0.02 * z)
	}
	print "PASS"
}'
`

// fillPipeline fills the data branch of remote with main commits
// from..to−1 as a workflow would: `benchgate run` of a suite (the script
// above, format go) at each commit, and `benchgate save` to the branch
// after every 10 commits, from a fresh runner database each time.
func fillPipeline(t *testing.T, remote string, from, to int, recover bool) {
	t.Helper()
	bin, err := benchgateBin()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	script, state, suite := filepath.Join(dir, "bench.sh"), filepath.Join(dir, "state"), filepath.Join(dir, "benchgate.yml")
	if err := os.WriteFile(script, []byte(suiteScript), 0o755); err != nil {
		t.Fatal(err)
	}
	yml := fmt.Sprintf("version: 1\nname: codec\nbenchmarks:\n  - name: codec\n    command: [/bin/sh, %s, %s]\n    format: go\n    timeout: 60s\n", script, state)
	if err := os.WriteFile(suite, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	benchgate := func(args ...string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GITHUB_ACTIONS=", "GITHUB_TOKEN=", "GITHUB_EVENT_NAME=push")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("benchgate %v: %v\n%s", args, err, out)
		}
	}
	mode := "steady"
	if recover {
		mode = "recover"
	}
	for start := from; start < to; start += 10 {
		db := filepath.Join(dir, "runner-"+strconv.Itoa(start)+".duckdb")
		for c := start; c < min(start+10, to); c++ {
			if err := os.WriteFile(state, []byte(fmt.Sprintf("%d %s\n", c, mode)), 0o644); err != nil {
				t.Fatal(err)
			}
			benchgate("run", "--suite", suite, "--db", db, "--commit", commitID(c), "--ref", "refs/heads/main",
				"--run-id", "push-"+strconv.Itoa(c), "--progress", "none",
				"--output-dir", filepath.Join(dir, "out"))
		}
		benchgate("save", "--db", db, "--remote", remote, "--ref", "refs/heads/main", "--trusted-refs", "main")
	}
}
