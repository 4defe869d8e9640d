package results

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// ReadGAB reads github-action-benchmark's custom JSON: the array of
// {"name", "unit", "value", "range", "extra"} objects that its
// customSmallerIsBetter and customBiggerIsBetter tools take, and returns one
// result per name.
//
// f says where each metric's direction comes from: [FormatGABSmaller] and
// [FormatGABBigger] impose it on every metric, as those tools do (a
// customBiggerIsBetter "Free Memory" in "Megabytes" is bigger-is-better);
// [FormatGAB], which [Detect] picks, takes it from the unit and skips, with
// a warning, an entry whose unit it does not know.
//
// What becomes what:
//   - Name is "name"; Hardware is cpu (the format does not say).
//   - Each entry is one metric with one sample: "value" in the unit's base
//     unit, named by it (see the unit table in docs/formats.md): a time
//     ("ns", "ms/iter") is sec/op in seconds, a rate ("ops/sec", "req/s") is
//     items/s, a size ("Megabytes", "B/op") B or B/op in bytes, a size per
//     time B/s. An unknown unit is kept as written, value as is.
//   - "range" and "extra" are text for humans: ignored. The format holds no
//     raw samples: a file is one repetition.
//   - Entries with the same name and metric: the first is kept; a later one
//     with another value is skipped with a warning.
//
// An entry without name, unit or value, with a value that is negative or
// not a number, is skipped with a warning naming its index ("[3].value");
// the others are kept. Input that is not JSON is a [*ParseError]; JSON that
// is not an array a [*DataError].
func ReadGAB(r io.Reader, fileName string, f Format) (ReadOutput, error) {
	out := ReadOutput{Format: f}
	if f != FormatGAB && f != FormatGABSmaller && f != FormatGABBigger {
		return out, fmt.Errorf("reading %s: format %q is not github-action-benchmark custom JSON", fileName, f)
	}
	data, err := readJSONInput(r, fileName, "github-action-benchmark custom JSON (an array of {name, unit, value})")
	if err != nil {
		return out, err
	}
	var benches []json.RawMessage
	if err := unmarshalJSON(data, fileName, &benches); err != nil {
		var de *DataError
		if errors.As(err, &de) {
			de.Key, de.Err = "", errors.New("want an array of {name, unit, value} objects")
		}
		return out, err
	}
	g := gabReader{file: fileName, tool: string(f)}
	switch f {
	case FormatGABSmaller:
		g.tool = "customSmallerIsBetter"
	case FormatGABBigger:
		g.tool = "customBiggerIsBetter"
	}
	out.Results, out.Records, out.Parsed = g.results(benches, "", 0)
	out.Warnings = g.warnings
	return out, nil
}

// gabBench is one benchmark of github-action-benchmark's JSON.
type gabBench struct {
	Name  *string         `json:"name"`
	Unit  *string         `json:"unit"`
	Value *float64        `json:"value"`
	Extra json.RawMessage `json:"extra"` // free text; "58 times\n4 procs" for Go
}

// gabReader turns github-action-benchmark benches into results.
type gabReader struct {
	file     string
	tool     string // the entry's tool, or customSmallerIsBetter / customBiggerIsBetter
	warnings []error
}

// gabToolBigger is github-action-benchmark's biggerIsBetter(tool): the
// direction it gave every bench of a tool. It decides only for units that
// parseUnit does not know (the unit's own direction wins: the tool jmh is
// "smaller" even for its ops/s), except for the custom tools, which impose
// theirs.
var gabToolBigger = map[string]bool{
	"cargo": false, "go": false, "benchmarkjs": true, "benchmarkluau": false, "pytest": true,
	"googlecpp": false, "catch2": false, "julia": false, "jmh": false, "benchmarkdotnet": false,
	"customBiggerIsBetter": true, "customSmallerIsBetter": false,
}

// goProcs finds "N procs" in a Go bench's extra text.
var goProcs = regexp.MustCompile(`(?m)^\s*(\d+) procs\s*$`)

// gabValue is one value of a bench with its unit as written.
type gabValue struct {
	x    float64
	unit string
}

// results converts benches, whose path is path ("" for a top-level array)
// and whose entry starts at line (0 when unknown); it returns the merged
// results, the number of benches and of benches kept.
func (g *gabReader) results(benches []json.RawMessage, path string, line int) ([]Result, int, int) {
	var rs []Result
	idx := map[string]int{}
	parsed := 0
	for i, raw := range benches {
		bp := index(path, i)
		warn := func(key string, format string, args ...any) {
			g.warnings = append(g.warnings, &DataError{File: g.file, Line: line, Key: key, Err: fmt.Errorf(format, args...)})
		}
		var b gabBench
		if err := json.Unmarshal(raw, &b); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) && te.Field != "" {
				// Name the benchmark when its name reads, as the other
				// warnings of a bench do.
				var named struct{ Name string }
				if json.Unmarshal(raw, &named) == nil && named.Name != "" && te.Field != "name" {
					warn(bp+"."+te.Field, "benchmark %q: %s; skipped", named.Name, typeMismatch(te))
					continue
				}
				warn(bp+"."+te.Field, "%s; skipped", typeMismatch(te))
				continue
			}
			warn(bp, "%v; skipped", strings.TrimPrefix(err.Error(), "json: "))
			continue
		}
		switch {
		case b.Name == nil || *b.Name == "":
			warn(bp, "missing name; skipped")
			continue
		case b.Unit == nil:
			warn(bp+".unit", "benchmark %q: missing unit; skipped", *b.Name)
			continue
		case b.Value == nil:
			warn(bp+".value", "benchmark %q: missing value; skipped", *b.Name)
			continue
		}
		name, params, values, err := g.split(*b.Name, *b.Unit, *b.Value, b.Extra)
		if err != nil {
			warn(bp+".unit", "benchmark %q: %v; skipped", *b.Name, err)
			continue
		}
		metrics := make([]Metric, 0, len(values))
		for _, v := range values {
			m, err := g.metric(v)
			if err != nil {
				warn(bp, "benchmark %q: %v; skipped", *b.Name, err)
				metrics = nil
				break
			}
			metrics = append(metrics, m)
		}
		if metrics == nil {
			continue
		}
		parsed++
		key := name + "\x00" + FormatParams(params)
		j, ok := idx[key]
		if !ok {
			idx[key] = len(rs)
			rs = append(rs, Result{Name: name, Params: params, Hardware: Hardware{Type: "cpu"}, Metrics: metrics})
			continue
		}
		for _, m := range metrics {
			old := rs[j].Metric(m.Name)
			switch {
			case old == nil:
				rs[j].Metrics = append(rs[j].Metrics, m)
			case !sameValue(old.Samples[0], m.Samples[0]):
				warn(bp, "benchmark %q: metric %s given twice, %g then %g; kept the first", name, m.Name, old.Samples[0], m.Samples[0])
			}
		}
	}
	return rs, len(benches), parsed
}

// split returns a bench's name, parameters and values. A Go bench's name
// loses the " - unit" suffix github-action-benchmark adds to each metric
// of a line, its extra gives "procs", and a unit such as
// "ns/op\t 5177151 B/op\t 63863 allocs/op" (the rest of a -benchmem line)
// gives three values.
func (g *gabReader) split(name, unit string, value float64, extra json.RawMessage) (string, map[string]string, []gabValue, error) {
	params := map[string]string{}
	values := []gabValue{{value, strings.TrimSpace(unit)}}
	if g.tool != "go" {
		return name, params, values, nil
	}
	if f := strings.Fields(unit); len(f) > 1 {
		if len(f)%2 == 0 {
			return "", nil, nil, fmt.Errorf("unit %q: want a unit then value-unit pairs", unit)
		}
		values[0].unit = f[0]
		for k := 1; k < len(f); k += 2 {
			x, err := strconv.ParseFloat(f[k], 64)
			if err != nil {
				return "", nil, nil, fmt.Errorf("unit %q: %q is not a number", unit, f[k])
			}
			values = append(values, gabValue{x, f[k+1]})
		}
	}
	name = strings.TrimSuffix(name, " - "+values[0].unit)
	if m := goProcs.FindStringSubmatch(jsonText(extra)); m != nil {
		params["procs"] = m[1]
	}
	return name, params, values, nil
}

// metric converts one value: its unit decides name, base unit and, unless
// the tool imposes it, direction.
func (g *gabReader) metric(v gabValue) (Metric, error) {
	if err := checkValue(v.x); err != nil {
		return Metric{}, err
	}
	u := parseUnit(v.unit)
	if u.metric == "" {
		return Metric{}, errors.New("empty unit")
	}
	better := u.better
	bigger, toolKnown := gabToolBigger[g.tool]
	custom := strings.HasPrefix(g.tool, "custom")
	switch {
	case custom || (!u.known && toolKnown):
		better = SmallerIsBetter
		if bigger {
			better = BiggerIsBetter
		}
	case !u.known:
		return Metric{}, fmt.Errorf("unit %q: unknown, so is its direction (read the file as gab-smaller or gab-bigger)", v.unit)
	}
	x := u.apply(v.x)
	if math.IsInf(x, 0) {
		return Metric{}, fmt.Errorf("value %g %s is out of range", v.x, v.unit)
	}
	return Metric{Name: u.metric, Unit: u.metric, Better: better, Exact: u.exact, Samples: []float64{x + 0}}, nil
}

// sameValue reports whether two values agree to 1e-9 relative.
func sameValue(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}
