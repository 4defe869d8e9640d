package results

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchunit"
)

// Note: Go benchmark text is parsed by golang.org/x/perf/benchfmt, the
// reference implementation of the format (golang.org/design/14313), which
// also tidies units to base units through benchunit (ns/op to sec/op, MB/s
// to B/s) and reads unit metadata lines ("Unit x better=higher"). A parser
// of our own would drift from it.

// maxWarnings caps the warnings [ReadGoBench] lists, so that a huge input of
// malformed lines holds no more memory than a good one.
const maxWarnings = 1000

// ReadGoBench reads `go test -bench` output and returns one merged [Result]
// per benchmark.
//
// Each benchmark line is one repetition. Lines with the same full name
// (sub-benchmark parts and the -N GOMAXPROCS suffix included) and the same
// pkg, goos, goarch and cpu configuration are one benchmark: its -count
// repetitions become samples, in input order.
//
//   - Name is "Benchmark" + the name without its -N suffix, sub-benchmark
//     parts kept: "BenchmarkCRC32/poly=IEEE/size=15".
//   - Params: "procs" (the -N suffix), "pkg", "goos" and "goarch" from the
//     configuration lines, each when present. Other configuration lines
//     (note:, commit:, …) are ignored, so that a base and a head run that
//     differ only in them still compare.
//   - Hardware: Type "cpu", DeviceName from the "cpu:" configuration line.
//   - Metrics: every value, named by its tidied unit (Name = Unit = "sec/op",
//     "B/s", "B/op", "allocs/op", custom units). Direction: the unit's
//     "better" metadata, else benchfmt's defaults, else bigger for units
//     ending in "/s" and smaller for the rest. Exact: the unit's "assume"
//     metadata, else true for allocs/op only.
//
// Lines that are not benchmark results (logs, PASS, ok) are skipped. A
// benchmark line that does not parse, or that carries a NaN, infinite or
// negative value or a unit twice, or that is longer than 60 KiB, is skipped
// with a warning naming file:line; so is invalid unit metadata. Past
// maxWarnings warnings, one last warning counts the rest. The error is for
// I/O errors only. The output counts benchmark lines in Records and Parsed.
//
// ReadGoBench streams: it holds the merged results (8 bytes per value of
// every line, plus each benchmark's name, parameters and metric names), not
// the input, whatever its size.
func ReadGoBench(r io.Reader, fileName string) (ReadOutput, error) {
	out := ReadOutput{Format: FormatGoBench}
	lines := newLineFilter(r)
	br := benchfmt.NewReader(lines, fileName)
	var (
		m merger
		// seen is the result in m.out of each full benchmark name read
		// since the configuration last changed (cfg): a repetition of a
		// benchmark only adds its values (goBenchValues), without making
		// its name, parameters and merge key again.
		seen = map[string]int{}
		cfg  []benchfmt.Config
		vals []goBenchValue
	)
	warnings := 0
	warn := func(err error) {
		if warnings++; warnings <= maxWarnings {
			out.Warnings = append(out.Warnings, err)
		}
	}
	for br.Scan() {
		rec := br.Result()
		_, line := rec.Pos()
		if lines.isLong(line) {
			continue // warned below
		}
		switch rec := rec.(type) {
		case *benchfmt.Result:
			out.Records++
			if !sameConfig(cfg, rec.Config) {
				cfg = cloneConfig(rec.Config)
				clear(seen)
			}
			if i, ok := seen[string(rec.Name)]; ok {
				var err error
				if vals, err = goBenchValues(rec, m.out[i].Name, vals[:0]); err != nil {
					warn(err)
					continue
				}
				out.Parsed++
				m.addValues(i, vals)
				break
			}
			res, err := goBenchResult(rec)
			if err != nil {
				warn(err)
				continue
			}
			out.Parsed++
			seen[string(rec.Name)] = m.add(res)
		case *benchfmt.SyntaxError:
			if lines.isBenchmark(rec.Line) {
				out.Records++
			}
			warn(rec)
		case *benchfmt.UnitMetadata:
			if err := checkUnitMetadata(rec); err != nil {
				warn(err)
			}
		}
		lines.forget(line)
	}
	if err := br.Err(); err != nil {
		return out, fmt.Errorf("reading Go benchmarks: %w", err) // it names file:line
	}
	for _, l := range lines.long {
		if l.bench {
			out.Records++
			warn(&DataError{File: fileName, Line: l.line,
				Err: fmt.Errorf("line longer than %d bytes; skipped", maxLineBytes)})
		}
	}
	if warnings > maxWarnings {
		out.Warnings = append(out.Warnings, &DataError{File: fileName,
			Err: fmt.Errorf("%d more malformed lines not listed", warnings-maxWarnings)})
	}
	// Metadata may follow the results it describes: apply it at the end.
	units := br.Units()
	for i := range m.out {
		for j := range m.out[i].Metrics {
			mt := &m.out[i].Metrics[j]
			mt.Better, mt.Exact = goBenchDirection(units, mt.Unit)
		}
	}
	out.Results = m.out
	return out, nil
}

// goBenchResult converts one benchmark line.
func goBenchResult(rec *benchfmt.Result) (Result, error) {
	base, parts := rec.Name.Parts()
	var name strings.Builder
	name.WriteString("Benchmark")
	name.Write(base)
	params := map[string]string{}
	for _, p := range parts {
		if p[0] == '-' {
			params["procs"] = string(p[1:])
			continue
		}
		name.Write(p)
	}
	for _, k := range []string{"pkg", "goos", "goarch"} {
		if v := strings.TrimSpace(rec.GetConfig(k)); v != "" {
			params[k] = v
		}
	}
	res := Result{
		Name:     name.String(),
		Params:   params,
		Hardware: Hardware{Type: "cpu", DeviceName: strings.TrimSpace(rec.GetConfig("cpu"))},
	}
	vals, err := goBenchValues(rec, res.Name, nil)
	if err != nil {
		return Result{}, err
	}
	res.Metrics = make([]Metric, len(vals))
	for i, v := range vals {
		res.Metrics[i] = Metric{Name: v.unit, Unit: v.unit, Samples: []float64{v.value}}
	}
	return res, nil
}

// goBenchValue is one value of a benchmark line, in its tidied unit.
type goBenchValue struct {
	unit  string
	value float64
}

// goBenchValues appends the values of one line of benchmark name to dst,
// or returns the error that skips the line.
func goBenchValues(rec *benchfmt.Result, name string, dst []goBenchValue) ([]goBenchValue, error) {
	file, line := rec.Pos()
	start := len(dst)
	for _, v := range rec.Values {
		tidied, written, value := v.Unit, v.Unit, v.Value
		if v.OrigUnit != "" {
			written, value = v.OrigUnit, v.OrigValue
		} else {
			// Note: benchfmt tidies a unit only when that changes the
			// value, so "0 ns/op" stays ns/op while "1 ns/op" becomes
			// sec/op: tidy the unit of such a value here, or a series
			// with zeros splits in two (0 × 1e-9 is still 0).
			_, tidied = benchunit.Tidy(v.Value, v.Unit)
		}
		bad := ""
		switch {
		case math.IsNaN(v.Value) || math.IsInf(v.Value, 0):
			bad = "is not finite"
		case v.Value < 0:
			bad = "is negative"
		case slices.ContainsFunc(dst[start:], func(x goBenchValue) bool { return x.unit == tidied }):
			bad = "repeats the unit"
		}
		if bad != "" {
			return dst[:start], &DataError{File: file, Line: line, Key: tidied,
				Err: fmt.Errorf("benchmark %q: value %g %s %s; line skipped", name, value, written, bad)}
		}
		dst = append(dst, goBenchValue{tidied, v.Value + 0})
	}
	return dst, nil
}

// sameConfig reports whether two benchmark lines have the same
// configuration.
func sameConfig(a, b []benchfmt.Config) bool {
	return slices.EqualFunc(a, b, func(x, y benchfmt.Config) bool {
		return x.Key == y.Key && x.File == y.File && bytes.Equal(x.Value, y.Value)
	})
}

// cloneConfig copies a line's configuration, which benchfmt reuses for the
// next line.
func cloneConfig(c []benchfmt.Config) []benchfmt.Config {
	out := make([]benchfmt.Config, len(c))
	for i, x := range c {
		out[i] = benchfmt.Config{Key: x.Key, Value: bytes.Clone(x.Value), File: x.File}
	}
	return out
}

// goBenchDirection returns the direction and exactness of a tidied unit.
func goBenchDirection(units benchfmt.UnitMetadataMap, unit string) (Direction, bool) {
	better := SmallerIsBetter
	switch units.GetBetter(unit) {
	case 1:
		better = BiggerIsBetter
	case 0:
		if strings.HasSuffix(unit, "/s") {
			better = BiggerIsBetter
		}
	}
	exact := unit == "allocs/op"
	if md := units.Get(unit, "assume"); md != nil {
		exact = md.Value == "exact"
	}
	return better, exact
}

// checkUnitMetadata reports metadata values benchfmt does not define.
func checkUnitMetadata(md *benchfmt.UnitMetadata) error {
	ok := true
	switch md.Key {
	case "better":
		ok = md.Value == "higher" || md.Value == "lower"
	case "assume":
		ok = md.Value == "exact" || md.Value == "nothing"
	}
	if ok {
		return nil
	}
	file, line := md.Pos()
	return &DataError{File: file, Line: line, Key: md.OrigUnit,
		Err: fmt.Errorf("unit metadata %s=%s is not understood; ignored", md.Key, md.Value)}
}
