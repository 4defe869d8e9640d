package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/results"
)

// verdictCases are the outcomes whose JSON is kept as goldens under
// testdata/verdict: with a baseline (a regression and a failure; the same
// with fail-on never) and without one (nothing failed; a failed benchmark).
func verdictCases() map[string]comparison.Outcome {
	never := testComparison()
	never.FailOn = comparison.FailNever
	broken := []results.Result{{Name: "BenchmarkBroken", Hardware: results.Hardware{Type: "cpu"},
		Failure: &results.Failure{Type: results.ErrExecution, Message: hostile, ExitCode: 2}}}
	return map[string]comparison.Outcome{
		"regression":        comparison.OutcomeOf(testComparison()),
		"never":             comparison.OutcomeOf(never),
		"nobaseline":        comparison.Decide(nil, nil, "the data branch benchgate-data does not exist yet", comparison.FailMajor),
		"nobaseline_failed": comparison.Decide(nil, broken, "the data branch benchgate-data does not exist yet", comparison.FailMajor),
	}
}

// TestVerdictJSONGolden renders each case's JSON and compares it with
// testdata/verdict/<case>.json (-update rewrites them).
func TestVerdictJSONGolden(t *testing.T) {
	for name, o := range verdictCases() {
		var b bytes.Buffer
		if err := JSON(&b, o); err != nil {
			t.Fatal(err)
		}
		golden(t, filepath.Join("verdict", name+".json"), b.Bytes())
	}
}

// TestVerdictSchema checks every verdict golden (testdata/verdict: with and
// without a baseline) against docs/schema/verdict.schema.json, so that the
// documented shape and the produced one cannot drift apart.
func TestVerdictSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	sch, err := c.Compile("../../docs/schema/verdict.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("testdata/verdict/*.json")
	if len(files) < len(verdictCases()) {
		t.Fatalf("found %d verdict goldens; want at least %d", len(files), len(verdictCases()))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if err := sch.Validate(doc); err != nil {
			t.Errorf("%s does not match the schema: %v", f, err)
		}
	}
	// The schema is not vacuous: a verdict missing a field, or with an
	// unknown one, is refused.
	var v map[string]any
	var b bytes.Buffer
	if err := JSON(&b, verdictCases()["nobaseline"]); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	delete(v, "base")
	v["extra"] = 1
	if err := sch.Validate(v); err == nil {
		t.Error("a verdict without base and with an unknown field passed the schema")
	}
}
