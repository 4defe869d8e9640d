package actions

import (
	"fmt"
	"strings"
	"testing"
)

func TestReadEvent(t *testing.T) {
	const mergeSHA = "9999999999999999999999999999999999999999"
	tests := []struct {
		name, file string
		want       string // fmt of the fields checked
	}{
		{"pull_request", "pull_request.json", "pr=7 head=1111 base=3333/main fork=false default=main"},
		{"pull_request", "pull_request_fork.json", "pr=8 head=2222 base=3333/main fork=true default=main"},
		{"pull_request_target", "pull_request_fork.json", "pr=8 head=2222 base=3333/main fork=true default=main"},
		{"pull_request", "pull_request_deleted_fork.json", "pr=9 head=4444 base=3333/main fork=true default=main"},
		{"push", "push.json", "pr=0 head=5555 base=3333/ fork=false default=main"},
		{"merge_group", "merge_group.json", "pr=0 head=6666 base=3333/refs/heads/main fork=false default=main"},
		{"workflow_run", "workflow_run.json", "pr=0 head=9999 base=/ fork=true default=main"},
		{"schedule", "schedule.json", "pr=0 head=9999 base=/ fork=false default=main"},
		{"workflow_dispatch", "schedule.json", "pr=0 head=9999 base=/ fork=false default=main"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.file, func(t *testing.T) {
			env := map[string]string{"GITHUB_EVENT_NAME": tt.name, "GITHUB_EVENT_PATH": "testdata/events/" + tt.file,
				"GITHUB_REPOSITORY": "octo/bench", "GITHUB_SHA": mergeSHA, "GITHUB_REF": "refs/pull/7/merge"}
			e, err := ReadEvent(mapEnv(env))
			if err != nil {
				t.Fatal(err)
			}
			got := fmt.Sprintf("pr=%d head=%.4s base=%.4s/%s fork=%v default=%s", e.PRNumber, e.HeadSHA, e.BaseSHA, e.BaseRef, e.Fork, e.DefaultBranch)
			if got != tt.want {
				t.Errorf("event: got %s; want %s", got, tt.want)
			}
			if e.IsPullRequest() && e.HeadSHA == mergeSHA {
				t.Errorf("head sha is the merge commit; want the PR head")
			}
		})
	}
	t.Run("workflow_run details", func(t *testing.T) {
		env := map[string]string{"GITHUB_EVENT_NAME": "workflow_run", "GITHUB_EVENT_PATH": "testdata/events/workflow_run.json", "GITHUB_REPOSITORY": "octo/bench"}
		e, err := ReadEvent(mapEnv(env))
		if err != nil {
			t.Fatal(err)
		}
		if w := e.WorkflowRun; w == nil || w.ID != 42 || w.Event != "pull_request" || w.HeadSHA[:4] != "2222" || len(w.PRNumbers) != 0 {
			t.Errorf("workflow_run: got %+v", w)
		}
	})
}

func TestReadEventErrors(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, "GITHUB_EVENT_NAME"},
		{map[string]string{"GITHUB_EVENT_NAME": "push"}, "GITHUB_EVENT_PATH"},
		{map[string]string{"GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": "testdata/events/missing.json"}, "missing.json"},
		{map[string]string{"GITHUB_EVENT_NAME": "issues", "GITHUB_EVENT_PATH": "testdata/events/push.json"}, `unsupported event "issues"`},
		{map[string]string{"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": "testdata/events/push.json"}, "no pull_request"},
		{map[string]string{"GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": "event_test.go"}, "event_test.go"},
	}
	for _, tt := range tests {
		_, err := ReadEvent(mapEnv(tt.env))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ReadEvent(%v): got %v; want an error containing %q", tt.env, err, tt.want)
		}
	}
}
