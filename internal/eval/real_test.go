package eval

import (
	"testing"
)

// A real history (antlabs/gurl's github-action-benchmark data.js, 29
// commits): its series are read, and steps injected into them are found.
func TestRealHistory(t *testing.T) {
	cells, err := RealFiles([]string{"../results/testdata/gab-data.js/antlabs__gurl.data.js"}, 1, 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) != 3 {
		t.Fatalf("cells = %+v; want one per step size", cells)
	}
	for _, c := range cells {
		if c.Source != "antlabs/gurl" || c.Series != 4 || c.Points != 4*29 {
			t.Errorf("cell %+v; want antlabs/gurl, 4 series of 29 points (exact metrics left out)", c)
		}
		if c.Recall[0].N == 0 {
			t.Errorf("step %v: no trials", c.Step)
		}
	}
	if r := cells[2].Recall[0].P(); r < 0.8 {
		t.Errorf("recall of +20%% steps = %v; want ≥ 0.8", cells[2].Recall[0])
	}
	if _, err := RealFiles([]string{"testdata/missing.js"}, 1, 1); err == nil {
		t.Error("a missing history: no error")
	}
}
