package pipeline

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"runtime"
	"strconv"
	"strings"
	"time"

	gitcmd "github.com/benchgate/benchgate/internal/git"
	"github.com/benchgate/benchgate/internal/store"
)

// RunMeta is what the user said about the run being stored ("" and 0 for
// unset).
type RunMeta struct {
	ID, Commit, Ref, Runner string
	Attempt                 int
}

// NewRun describes the run being stored: meta first, then the GitHub
// environment (GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT, GITHUB_SHA, GITHUB_REF,
// RUNNER_NAME), then git in the current directory; defaultID names the
// run when nothing else does.
func NewRun(ctx context.Context, meta RunMeta, getenv func(string) string, suite, defaultID string) store.Run {
	or := func(v ...string) string {
		for _, s := range v {
			if s != "" {
				return s
			}
		}
		return ""
	}
	run := store.Run{Suite: suite, CreatedAt: time.Now().UTC(),
		ID: or(meta.ID, getenv("GITHUB_RUN_ID"), defaultID), Attempt: meta.Attempt,
		Commit: or(meta.Commit, getenv("GITHUB_SHA")), Ref: or(meta.Ref, getenv("GITHUB_REF")),
		Runner: or(meta.Runner, getenv("RUNNER_NAME"))}
	if run.Attempt == 0 {
		run.Attempt, _ = strconv.Atoi(getenv("GITHUB_RUN_ATTEMPT"))
	}
	if run.Attempt <= 0 {
		run.Attempt = 1
	}
	if run.Commit == "" {
		run.Commit = gitText(ctx, "rev-parse", "HEAD")
	}
	if run.Ref == "" {
		run.Ref = gitText(ctx, "rev-parse", "--abbrev-ref", "HEAD")
	}
	run.Environment = map[string]string{
		"goos": runtime.GOOS, "goarch": runtime.GOARCH, "benchgate_go": runtime.Version(),
	}
	for _, k := range []string{"RUNNER_OS", "RUNNER_ARCH", "GITHUB_REPOSITORY", "GITHUB_WORKFLOW", "GITHUB_JOB"} {
		if v := getenv(k); v != "" {
			run.Environment[strings.ToLower(k)] = v
		}
	}
	return run
}

// gitText is git's answer in the current directory, "" when git is missing
// or fails (no repository): the metadata is then unknown.
func gitText(ctx context.Context, args ...string) string {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	out, err := gitcmd.In(".").Text(ctx, args...)
	if err != nil {
		return ""
	}
	return out
}

// NewRunID returns a fresh, unique local run id.
func NewRunID() string {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return "local-" + time.Now().UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}
