package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/benchgate/benchgate/internal/forge/forgetest"
)

// fakeToken is the only credential the fake GitHub API of the github
// scripts accepts.
const fakeToken = "ghs_benchgate-test-token-0123456789"

type fakeKey struct{}

// TestGitHubScripts runs the GitHub mode as the runner does, in the script
// tests of testdata/github: INPUT_* variables, GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH, and GITHUB_API_URL pointing at a
// fake GitHub API (internal/forge/forgetest) that validates every request
// and response against GitHub's REST description. Extra commands:
//
//	fakeapi pull N HEAD BASE          serve pull request N
//	fakeapi comments N                print the comments of N (normalised)
//	fakeapi checks                    print the check runs
//	fakeapi requests                  print METHOD PATH STATUS per request
//	fakeapi fail METHOD PREFIX N CODE answer the next N matching requests CODE
//	fakeapi ok                        fail on any request that broke the description
//	gitsha VAR REV                    set VAR to the commit REV names (normalised in output)
//	mkevent FILE KIND ARGS...         write an event payload (see cmdMkevent)
//	cmpnorm [-prefix P] FILE GOLDEN   compare FILE, normalised, with GOLDEN
//	                                  (UPDATE_GOLDEN=1 rewrites GOLDEN; $GOLDEN is testdata/golden)
func TestGitHubScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/github",
		RequireExplicitExec: true,
		Setup: func(e *testscript.Env) error {
			for _, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOROOT", "GOFLAGS", "GOPROXY", "GOTOOLCHAIN"} {
				out, err := exec.Command("go", "env", k).Output()
				if err != nil {
					return err
				}
				e.Setenv(k, string(trimNL(out)))
			}
			golden, err := filepath.Abs("testdata/golden")
			if err != nil {
				return err
			}
			e.Setenv("GOLDEN", golden)
			srv, err := forgetest.Start(forgetest.Options{Repository: "octo/bench", Token: fakeToken, Addr: "127.0.0.1:0"})
			if err != nil {
				return err
			}
			e.Defer(srv.Close)
			e.Values[fakeKey{}] = srv
			for k, v := range map[string]string{
				"GITHUB_API_URL": srv.URL, "FAKE_TOKEN": fakeToken, "GITHUB_ACTIONS": "true",
				"GITHUB_REPOSITORY": "octo/bench", "GITHUB_SERVER_URL": "https://github.com", "GITHUB_WORKFLOW": "bench",
				"RUNNER_NAME": "runner-1", "RUNNER_OS": "Linux", "RUNNER_TEMP": e.WorkDir,
				"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
				"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
			} {
				e.Setenv(k, v)
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":   cmdExits,
			"fakeapi": cmdFakeAPI,
			"gitsha":  cmdGitSHA,
			"mkevent": cmdMkevent,
			"cmpnorm": cmdCmpNorm,
		},
	})
}

func fakeOf(ts *testscript.TestScript) *forgetest.Server {
	return ts.Value(fakeKey{}).(*forgetest.Server)
}

func cmdFakeAPI(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: fakeapi pull|comments|checks|requests|fail|ok ...")
	}
	srv := fakeOf(ts)
	atoi := func(s string) int {
		n, err := strconv.Atoi(s)
		if err != nil {
			ts.Fatalf("fakeapi: %q is not a number", s)
		}
		return n
	}
	switch args[0] {
	case "pull":
		if len(args) < 4 {
			ts.Fatalf("usage: fakeapi pull N HEAD BASE [HEADREPO]")
		}
		p := forgetest.Pull{Number: atoi(args[1]), HeadSHA: args[2], HeadRef: "feature", BaseSHA: args[3], BaseRef: "main"}
		if len(args) > 4 {
			p.HeadRepo = args[4]
		}
		srv.AddPull(p)
	case "comments":
		for _, c := range srv.Comments(atoi(args[1])) {
			fmt.Fprintf(ts.Stdout(), "--- comment %d by %s, %d edit(s) ---\n%s\n", c.ID, c.User, c.Edits, normalize(ts, c.Body))
		}
	case "checks":
		for _, c := range srv.CheckRuns() {
			fmt.Fprintf(ts.Stdout(), "check %q on %s: %s %s, %q, %d annotation(s)\n", c.Name, normalize(ts, c.HeadSHA), c.Status, c.Conclusion, c.Title, len(c.Annotations))
			for _, a := range c.Annotations {
				fmt.Fprintf(ts.Stdout(), "  %s %s:%d %q\n", a.Level, a.Path, a.StartLine, a.Title)
			}
		}
	case "requests":
		for _, r := range srv.Requests() {
			fmt.Fprintf(ts.Stdout(), "%s %s %d\n", r.Method, r.Path, r.Status)
		}
	case "fail":
		if len(args) != 5 {
			ts.Fatalf("usage: fakeapi fail METHOD PREFIX N STATUS")
		}
		srv.Fail(args[1], args[2], atoi(args[3]), atoi(args[4]), http.Header{},
			`{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest"}`)
	case "ok":
		if p := srv.Problems(); len(p) > 0 {
			ts.Fatalf("fake GitHub API problems:\n%s", strings.Join(p, "\n"))
		}
	default:
		ts.Fatalf("fakeapi: unknown subcommand %q", args[0])
	}
}

// cmdGitSHA sets VAR to the commit of REV in the current directory and
// remembers it, so that normalize replaces it by <VAR>.
func cmdGitSHA(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: gitsha VAR REV")
	}
	out, err := exec.Command("git", "-C", ts.MkAbs("."), "rev-parse", args[1]).Output()
	if err != nil {
		ts.Fatalf("gitsha: git rev-parse %s: %v", args[1], err)
	}
	ts.Setenv(args[0], strings.TrimSpace(string(out)))
	ts.Setenv("SHA_VARS", strings.TrimSpace(ts.Getenv("SHA_VARS")+" "+args[0]))
}

var (
	ageRE   = regexp.MustCompile(`\b\d+ (min|h|days)\b`)
	tokenRE = regexp.MustCompile(`::stop-commands::[0-9a-f]{32}|::[0-9a-f]{32}::`)
	runRE   = regexp.MustCompile(`local-\d{8}T\d{6}Z-[0-9a-f]{8}`)
)

// normalize replaces remembered commits (full, 12, 10 and 7 characters)
// by <VAR>, ages by "N min", stop-commands tokens and local run ids.
func normalize(ts *testscript.TestScript, s string) string {
	for _, v := range strings.Fields(ts.Getenv("SHA_VARS")) {
		sha := ts.Getenv(v)
		for _, n := range []int{40, 12, 10, 7} {
			if len(sha) >= n {
				s = strings.ReplaceAll(s, sha[:n], "<"+v+">")
			}
		}
	}
	s = ageRE.ReplaceAllString(s, "N min")
	s = tokenRE.ReplaceAllString(s, "::<token>::")
	return runRE.ReplaceAllString(s, "<local-run>")
}

// cmdCmpNorm compares FILE, normalised (and with -prefix P only its lines
// that start with P), with GOLDEN.
func cmdCmpNorm(ts *testscript.TestScript, neg bool, args []string) {
	prefix := ""
	if len(args) > 2 && args[0] == "-prefix" {
		prefix, args = args[1], args[2:]
	}
	if neg || len(args) != 2 {
		ts.Fatalf("usage: cmpnorm [-prefix P] FILE GOLDEN")
	}
	got := normalize(ts, ts.ReadFile(args[0]))
	if prefix != "" {
		var keep []string
		for _, l := range strings.SplitAfter(got, "\n") {
			if strings.HasPrefix(l, prefix) {
				keep = append(keep, l)
			}
		}
		got = strings.Join(keep, "")
	}
	if os.Getenv("UPDATE_GOLDEN") != "" {
		ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(got), 0o644))
	}
	want := ts.ReadFile(args[1])
	if got != want {
		ts.Fatalf("%s (normalised) differs from %s:\n--- got ---\n%s\n--- want ---\n%s", args[0], args[1], got, want)
	}
}

// cmdMkevent writes an event payload for repository octo/bench (default
// branch main):
//
//	mkevent FILE pull_request NUMBER HEAD BASE [fork]
//	mkevent FILE push BEFORE AFTER REF
//	mkevent FILE workflow_run HEAD [fork]
func cmdMkevent(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 3 {
		ts.Fatalf("usage: mkevent FILE KIND ARGS...")
	}
	repo := map[string]any{"full_name": "octo/bench", "default_branch": "main", "fork": false}
	var ev map[string]any
	switch kind, a := args[1], args[2:]; kind {
	case "pull_request":
		if len(a) < 3 {
			ts.Fatalf("usage: mkevent FILE pull_request NUMBER HEAD BASE [fork]")
		}
		n, _ := strconv.Atoi(a[0])
		headRepo := repo
		if len(a) > 3 && a[3] == "fork" {
			headRepo = map[string]any{"full_name": "mallory/bench", "default_branch": "main", "fork": true}
		}
		ev = map[string]any{"action": "synchronize", "number": n, "repository": repo, "pull_request": map[string]any{
			"number": n, "head": map[string]any{"sha": a[1], "ref": "feature", "repo": headRepo},
			"base": map[string]any{"sha": a[2], "ref": "main", "repo": repo}}}
	case "push":
		if len(a) != 3 {
			ts.Fatalf("usage: mkevent FILE push BEFORE AFTER REF")
		}
		ev = map[string]any{"before": a[0], "after": a[1], "ref": a[2], "repository": repo}
	case "workflow_run":
		headRepo := repo
		if len(a) > 1 && a[1] == "fork" {
			headRepo = map[string]any{"full_name": "mallory/bench", "default_branch": "main", "fork": true}
		}
		ev = map[string]any{"repository": repo, "workflow_run": map[string]any{"id": 99, "event": "pull_request",
			"conclusion": "failure", "head_sha": a[0], "head_repository": headRepo, "pull_requests": []any{}}}
	default:
		ts.Fatalf("mkevent: unknown kind %q", kind)
	}
	data, err := json.Marshal(ev)
	if err != nil {
		ts.Fatalf("mkevent: %v", err)
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), data, 0o644))
}
