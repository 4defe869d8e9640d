package actiontest

import (
	"os"
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

// TestMapBaseImages checks the Dockerfile the e2e tests build: the real one
// with exactly its FROM images replaced by the stand-ins, each of which
// scripts/build-base-images.sh builds, and no stand-in under a real name.
func TestMapBaseImages(t *testing.T) {
	data, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	mapped, err := MapBaseImages(string(data))
	if err != nil {
		t.Fatal(err)
	}
	orig, got := strings.Split(string(data), "\n"), strings.Split(mapped, "\n")
	if len(orig) != len(got) {
		t.Fatalf("mapped Dockerfile has %d lines, the real one %d", len(got), len(orig))
	}
	changed := 0
	for i := range orig {
		if orig[i] == got[i] {
			continue
		}
		changed++
		if !strings.HasPrefix(got[i], "FROM benchgate-local/") {
			t.Errorf("line %d changed to %q; want only FROM lines mapped to benchgate-local/…", i+1, got[i])
		}
	}
	if changed != len(StandIns) {
		t.Errorf("%d FROM lines mapped; want %d (one per stand-in)", changed, len(StandIns))
	}
	script, err := os.ReadFile("../../scripts/build-base-images.sh")
	if err != nil {
		t.Fatal(err)
	}
	for real, standIn := range StandIns {
		if !strings.HasPrefix(standIn, "benchgate-local/") || !strings.HasSuffix(standIn, "/"+real) {
			t.Errorf("stand-in %s for %s: want benchgate-local/%s", standIn, real, real)
		}
		if !strings.Contains(string(script), "="+standIn+"\n") {
			t.Errorf("scripts/build-base-images.sh does not build %s", standIn)
		}
	}
	if _, err := MapBaseImages("FROM alpine:3\n"); err == nil {
		t.Errorf("an image without a stand-in was mapped")
	}
	if m, err := MapBaseImages("FROM --platform=linux/amd64 debian:bookworm-slim AS a\nFROM a\n"); err != nil ||
		m != "FROM --platform=linux/amd64 benchgate-local/debian:bookworm-slim AS a\nFROM a\n" {
		t.Errorf("stage reference: got %q, %v", m, err)
	}
}
