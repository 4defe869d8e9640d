package actiontest

import (
	"strings"
	"testing"
)

// TestArgs checks act's command line: host network, no pulls, the local
// job image, and secrets by name only.
func TestArgs(t *testing.T) {
	w := Workflow{File: "wf.yml", Event: "pull_request", EventFile: "ev.json", APIURL: "http://127.0.0.1:9",
		Env: map[string]string{"B": "2", "A": "1"}, Secrets: map[string]string{"GITHUB_TOKEN": "s3cret"}}
	got := strings.Join(w.Args(), " ")
	want := "pull_request -W wf.yml -P self-hosted=" + DefaultJobImage +
		" --pull=false --action-offline-mode -b --network host --rebuild=false --container-daemon-socket - -e ev.json" +
		" --env GITHUB_API_URL=http://127.0.0.1:9 --env A=1 --env B=2 -s GITHUB_TOKEN"
	if got != want {
		t.Errorf("args:\n got %s\nwant %s", got, want)
	}
	if strings.Contains(got, "s3cret") {
		t.Errorf("secret value on the command line")
	}
}
