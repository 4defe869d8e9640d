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

// StandIns maps each image the Dockerfile's FROM lines name to the local
// stand-in scripts/build-base-images.sh builds for machines that cannot pull
// (CI here). The stand-ins carry the project's own names, so that building
// them never replaces a contributor's real images; the e2e tests build the
// Dockerfile with its FROM images mapped to them (MapBaseImages).
var StandIns = map[string]string{
	"golang:1.26-bookworm":  "benchgate-local/golang:1.26-bookworm",
	"debian:bookworm-slim":  "benchgate-local/debian:bookworm-slim",
	"node:20-bookworm-slim": "benchgate-local/node:20-bookworm-slim",
}

// MapBaseImages returns the Dockerfile with every image its FROM lines name
// replaced by its stand-in (StandIns) and nothing else changed; FROM lines
// that name an earlier stage are kept. An image without a stand-in is an
// error: add one to scripts/build-base-images.sh and StandIns.
func MapBaseImages(dockerfile string) (string, error) {
	lines := strings.Split(dockerfile, "\n")
	stages := map[string]bool{}
	for i, line := range lines {
		f := strings.Fields(line)
		if len(f) < 2 || !strings.EqualFold(f[0], "FROM") {
			continue
		}
		img := 1
		for img < len(f) && strings.HasPrefix(f[img], "--") {
			img++ // --platform=…
		}
		if img >= len(f) {
			return "", fmt.Errorf("line %d of the Dockerfile: FROM without an image", i+1)
		}
		if name := f[img]; !stages[strings.ToLower(name)] {
			standIn, ok := StandIns[name]
			if !ok {
				return "", fmt.Errorf("line %d of the Dockerfile: no local stand-in for %s (add it to scripts/build-base-images.sh and actiontest.StandIns)", i+1, name)
			}
			f[img] = standIn
			lines[i] = strings.Join(f, " ")
		}
		if len(f) == img+3 && strings.EqualFold(f[img+1], "AS") {
			stages[strings.ToLower(f[img+2])] = true
		}
	}
	return strings.Join(lines, "\n"), nil
}

// StageAction writes the Dockerfile in dir (a copy of this repository) with
// its base images mapped to the local stand-ins (MapBaseImages), so that
// act, which cannot pass build arguments, builds it against them.
func StageAction(dir string) error {
	path := filepath.Join(dir, "Dockerfile")
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	mapped, err := MapBaseImages(string(data))
	if err != nil {
		return err
	}
	return os.WriteFile(path, []byte(mapped), 0o644)
}

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
			return fmt.Errorf("docker image %s: %v (build the stand-ins with scripts/build-base-images.sh): %.200s", img, err, out)
		}
	}
	return nil
}
