package actiontest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// DefaultJobImage is the image act runs a `runs-on: self-hosted` job in,
// built by scripts/build-base-images.sh.
const DefaultJobImage = "benchgate-local/job:bookworm"

// ActVersion is the nektos/act version the harness is tested with.
const ActVersion = "v0.2.89"

// Workflow is one act run.
type Workflow struct {
	// Dir is the repository act runs in and binds into the job (-b): the
	// workspace, where `uses: ./` finds action.yml and the Dockerfile.
	Dir string
	// File is the workflow file (-W), absolute or relative to Dir.
	File string
	// Event is the event name (push, pull_request, …).
	Event string
	// EventFile is the event payload (-e); optional.
	EventFile string
	// JobImage runs `runs-on: self-hosted` jobs; empty means
	// DefaultJobImage.
	JobImage string
	// APIURL is the fake GitHub API, passed as GITHUB_API_URL.
	APIURL string
	// Env is passed with --env NAME=value.
	Env map[string]string
	// Secrets are passed with -s NAME, their values through act's
	// environment only (never on its command line); GITHUB_TOKEN among
	// them becomes ${{ github.token }}.
	Secrets map[string]string
	// ContainerOptions are extra docker options of the job container
	// (--container-options), e.g. a read-only bind of a Go toolchain.
	ContainerOptions string
	// Timeout bounds the run; 0 means 15 minutes.
	Timeout time.Duration
}

// Args returns act's command line for w.
func (w Workflow) Args() []string {
	img := w.JobImage
	if img == "" {
		img = DefaultJobImage
	}
	args := []string{w.Event, "-W", w.File,
		"-P", "self-hosted=" + img,
		"--pull=false", "--action-offline-mode", "-b", "--network", "host",
		// Built once per Run (see Run), not once per step.
		"--rebuild=false",
		"--container-daemon-socket", "-",
	}
	if w.EventFile != "" {
		args = append(args, "-e", w.EventFile)
	}
	if w.ContainerOptions != "" {
		args = append(args, "--container-options", w.ContainerOptions)
	}
	if w.APIURL != "" {
		args = append(args, "--env", "GITHUB_API_URL="+w.APIURL)
	}
	for _, k := range sortedKeys(w.Env) {
		args = append(args, "--env", k+"="+w.Env[k])
	}
	for _, k := range sortedKeys(w.Secrets) {
		args = append(args, "-s", k)
	}
	return args
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Result is a finished act run.
type Result struct {
	Log      string        // act's combined output
	Duration time.Duration // wall time of the act process
}

// Run runs w with the act binary at act and returns its log. A failed job
// is an error wrapping *exec.ExitError; the log is returned with it.
func (w Workflow) Run(ctx context.Context, act string) (Result, error) {
	timeout := w.Timeout
	if timeout == 0 {
		timeout = 15 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// act names the image of a local action act-<path>-dockeraction; a
	// stale one from an earlier run is removed so that this run builds
	// the Dockerfile as it is now, once.
	for _, img := range []string{"act-dockeraction:latest"} {
		_ = exec.CommandContext(ctx, "docker", "rmi", "-f", img).Run()
	}
	cmd := exec.CommandContext(ctx, act, w.Args()...)
	cmd.Dir = w.Dir
	// act's own environment: the caller's, without tokens it could leak
	// into the job, plus the secrets' values read by -s NAME.
	env := []string{}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasSuffix(k, "_TOKEN") || strings.HasPrefix(k, "INPUT_") || strings.HasPrefix(k, "GITHUB_") {
			continue
		}
		env = append(env, kv)
	}
	for _, k := range sortedKeys(w.Secrets) {
		env = append(env, k+"="+w.Secrets[k])
	}
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	res := Result{Log: out.String(), Duration: time.Since(start)}
	if err != nil {
		return res, fmt.Errorf("act %s -W %s: %w", w.Event, w.File, err)
	}
	return res, nil
}

// FindAct returns the act binary: $ACT, else act on PATH, else
// $(go env GOPATH)/bin/act.
func FindAct() (string, error) {
	if p := os.Getenv("ACT"); p != "" {
		return p, nil
	}
	if p, err := exec.LookPath("act"); err == nil {
		return p, nil
	}
	out, err := exec.Command("go", "env", "GOPATH").Output()
	if err == nil {
		p := filepath.Join(strings.TrimSpace(string(out)), "bin", "act")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New("nektos/act not found: install it with `go install github.com/nektos/act@" + ActVersion + "` or set $ACT")
}

// CheckDocker returns an error unless a Docker engine answers and the
// images exist.
func CheckDocker(ctx context.Context, images ...string) error {
	if out, err := exec.CommandContext(ctx, "docker", "info", "--format", "{{.ServerVersion}}").CombinedOutput(); err != nil {
		return fmt.Errorf("docker engine: %v: %s", err, out)
	}
	for _, img := range images {
		if out, err := exec.CommandContext(ctx, "docker", "image", "inspect", img).CombinedOutput(); err != nil {
			return fmt.Errorf("docker image %s: %v (build it with scripts/build-base-images.sh): %.200s", img, err, out)
		}
	}
	return nil
}
