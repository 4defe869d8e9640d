package history

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/benchgate/benchgate/internal/pipeline"
	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

// schemaCases are real outputs of ChangesJSON: a synthetic history with a
// regression, its resolution and an environment change; the same history
// cut by --since; and github-action-benchmark's real gurl history.
func schemaCases(t *testing.T) map[string][]byte {
	t.Helper()
	ctx := context.Background()
	db := openTemp(t)
	for i := range 45 {
		v := 100e-6 * (1 + 0.01*math.Sin(float64(i)*1.7))
		if i >= 15 {
			v *= 1.2
		}
		if i >= 30 {
			v *= 0.85
		}
		env := map[string]string{"cuda": "12.4"}
		if i >= 30 {
			env["cuda"] = "12.6"
		}
		ingest(t, db, store.Run{ID: commitID(i), Commit: commitID(i), Ref: mainRef, Suite: "s", Runner: "r1", CreatedAt: t0.Add(time.Duration(i) * time.Hour), Environment: env},
			[]results.Result{{Name: "BenchmarkA|`x`", Params: map[string]string{"n": "1"}, Hardware: results.Hardware{Type: "cuda", DeviceName: "H100"},
				Metrics: []results.Metric{{Name: "latency_mean", Unit: "s", Better: results.SmallerIsBetter, Samples: []float64{v, v * 1.001}}}}})
	}
	a := analyze(t, db, Options{})
	out := map[string][]byte{}
	for name, s := range map[string]Since{"synthetic": {}, "since": {Text: commitID(20)[:8], Commit: commitID(20)[:8]}} {
		var b bytes.Buffer
		if err := ChangesJSON(&b, a, s); err != nil {
			t.Fatal(err)
		}
		out[name] = b.Bytes()
	}
	path := "../results/testdata/gab-data.js/antlabs__gurl.data.js"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h, err := results.ReadGABHistory(bytes.NewReader(data), path)
	if err != nil {
		t.Fatal(err)
	}
	gurl := openTemp(t)
	if _, err := pipeline.ImportHistory(ctx, gurl, h, path, pipeline.ImportOptions{Ref: mainRef}); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := ChangesJSON(&b, analyze(t, gurl, Options{}), Since{}); err != nil {
		t.Fatal(err)
	}
	out["gurl"] = b.Bytes()
	return out
}

// TestChangesSchema checks real ChangesJSON output against
// docs/schema/changes.schema.json, so that the documented shape and the
// produced one cannot drift apart, and that the schema is not vacuous.
func TestChangesSchema(t *testing.T) {
	sch, err := jsonschema.NewCompiler().Compile("../../docs/schema/changes.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	cases := schemaCases(t)
	for name, data := range cases {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := sch.Validate(doc); err != nil {
			t.Errorf("%s does not match the schema: %v\n%s", name, err, data)
		}
	}
	var v struct {
		Series int `json:"series"`
		Groups []struct {
			ChangePoints []map[string]any `json:"change_points"`
		} `json:"groups"`
	}
	if err := json.Unmarshal(cases["synthetic"], &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Groups) != 2 || len(v.Groups[0].ChangePoints) != 1 {
		t.Fatalf("synthetic: %d groups; want 2 of one change point:\n%s", len(v.Groups), cases["synthetic"])
	}
	cp := v.Groups[0].ChangePoints[0]
	for k, want := range map[string]any{"benchmark": "BenchmarkA|`x`", "metric": "latency_mean", "hardware": "cuda", "commit": commitID(15),
		"previous_commit": commitID(14), "direction": "regression", "severity": "major", "status": "confirmed", "resolution_commit": commitID(30)} {
		if cp[k] != want {
			t.Errorf("change point %s = %v; want %v", k, cp[k], want)
		}
	}
	if c, _ := cp["change"].(float64); math.Abs(c-0.2) > 0.01 {
		t.Errorf("change = %v; want ≈ 0.2", cp["change"])
	}
	var cut, gurl struct {
		Series, Commits int
		Groups          []any
	}
	json.Unmarshal(cases["since"], &cut)
	json.Unmarshal(cases["gurl"], &gurl)
	if len(cut.Groups) != 1 || gurl.Series != 6 || gurl.Commits != 29 {
		t.Errorf("since: %d groups (want 1); gurl: %d series, %d commits (want 6, 29)", len(cut.Groups), gurl.Series, gurl.Commits)
	}
	// A change point missing a field, or with an unknown one, is refused.
	var doc map[string]any
	json.Unmarshal(cases["synthetic"], &doc)
	point := doc["groups"].([]any)[0].(map[string]any)["change_points"].([]any)[0].(map[string]any)
	delete(point, "status")
	point["extra"] = 1
	if err := sch.Validate(doc); err == nil {
		t.Error("a change point without status and with an unknown field passed the schema")
	}
}
