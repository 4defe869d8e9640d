package results

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// nativeGood are valid native inputs and what they yield (brief).
var nativeGood = []struct {
	name string
	in   string
	want string
}{
	{
		name: "minimal document",
		in:   `{"name": "m", "latencies_ms": [10, 40, 20, 30]}`,
		want: "m [] cpu: latency_mean (s) smaller 0.025\n" +
			"m [] cpu: latency_p50 (s) smaller 0.025\n" +
			"m [] cpu: latency_p90 (s) smaller 0.037\n" +
			"m [] cpu: latency_p99 (s) smaller 0.0397\n" +
			"m [] cpu: throughput (items/s) bigger 40\n",
	},
	{
		name: "name defaults to model name and throughput counts the batch",
		in:   `{"model": {"name": "bert"}, "config": {"batch_size": 8}, "latencies_ms": [100, 100]}`,
		want: "bert [batch_size=8] cpu: latency_mean (s) smaller 0.1\n" +
			"bert [batch_size=8] cpu: latency_p50 (s) smaller 0.1\n" +
			"bert [batch_size=8] cpu: latency_p90 (s) smaller 0.1\n" +
			"bert [batch_size=8] cpu: latency_p99 (s) smaller 0.1\n" +
			"bert [batch_size=8] cpu: throughput (items/s) bigger 80\n",
	},
	{
		name: "harness throughput is ignored when latencies exist",
		in:   `{"name": "m", "latencies_ms": [500], "metrics": {"throughput_items_per_second": 99, "power_watts": 4}}`,
		want: "m [] cpu: latency_mean (s) smaller 0.5\n" +
			"m [] cpu: latency_p50 (s) smaller 0.5\n" +
			"m [] cpu: latency_p90 (s) smaller 0.5\n" +
			"m [] cpu: latency_p99 (s) smaller 0.5\n" +
			"m [] cpu: throughput (items/s) bigger 2\n" +
			"m [] cpu: power (W) smaller 4\n" +
			"m [] cpu: energy_efficiency (items/J) bigger 0.5\n",
	},
	{
		name: "metrics without latencies, in base units",
		in: `{"name": "m", "hardware": {"type": "CUDA", "device_name": "H100"}, "metrics": {"throughput_items_per_second": 100,
			"memory_peak_mb": 2, "power_watts": 50, "energy_joules": 7, "energy_efficiency_items_per_joule": 9, "cold_start_ms": 1500}}`,
		want: "m [] cuda (H100): throughput (items/s) bigger 100\n" +
			"m [] cuda (H100): memory_peak (B) smaller 2097152\n" +
			"m [] cuda (H100): power (W) smaller 50\n" +
			"m [] cuda (H100): energy (J) smaller 7\n" +
			"m [] cuda (H100): energy_efficiency (items/J) bigger 2\n" +
			"m [] cuda (H100): cold_start (s) smaller 1.5\n",
	},
	{
		name: "efficiency given when it cannot be derived, null is absent",
		in:   `{"name": "m", "model": null, "metrics": {"energy_efficiency_items_per_joule": 9, "power_watts": null}, "custom_metrics": null}`,
		want: "m [] cpu: energy_efficiency (items/J) bigger 9\n",
	},
	{
		name: "params lowercased and typed values as text",
		in: `{"name": "m", "config": {"precision": "FP16", "sequence_length": 128, "params": {"Runtime": "onnx", "threads": 4, "fast": true, "x": null}},
			"metrics": {"power_watts": 1}}`,
		want: "m [fast=true,precision=fp16,runtime=onnx,sequence_length=128,threads=4] cpu: power (W) smaller 1\n",
	},
	{
		name: "custom metrics keep name, unit and direction",
		in: `{"name": "m", "custom_metrics": [{"name": "tokens_per_second", "unit": "tokens/s", "better": "bigger", "value": 12.5},
			{"value": 3, "better": "lower", "unit": "%", "name": "wer"}]}`,
		want: "m [] cpu: tokens_per_second (tokens/s) bigger 12.5\n" +
			"m [] cpu: wer (%) smaller 3\n",
	},
	{
		name: "JSON Lines repetitions merge into samples",
		in:   "{\"name\": \"m\", \"metrics\": {\"power_watts\": 1}}\n{\"name\": \"n\", \"metrics\": {\"power_watts\": 5}}\n{\"name\": \"m\", \"metrics\": {\"power_watts\": 2}}\n",
		want: "m [] cpu: power (W) smaller 1 2\n" +
			"n [] cpu: power (W) smaller 5\n",
	},
	{
		name: "concatenated documents and a byte order mark",
		in:   "\xef\xbb\xbf{\"name\": \"m\", \"metrics\": {\"power_watts\": 1}}{\"name\": \"m\", \"metrics\": {\"power_watts\": 3}}",
		want: "m [] cpu: power (W) smaller 1 3\n",
	},
	{
		name: "wrapper holds documents",
		in: `{"benchgate": 1, "results": [{"name": "m", "config": {"batch_size": 1}, "metrics": {"power_watts": 1}},
			{"name": "m", "config": {"batch_size": 2}, "metrics": {"power_watts": 2}}]}`,
		want: "m [batch_size=1] cpu: power (W) smaller 1\n" +
			"m [batch_size=2] cpu: power (W) smaller 2\n",
	},
	{
		name: "huge and tiny numbers in range",
		in:   `{"name": "m", "metrics": {"power_watts": 1e300, "energy_joules": 1e-400}}`,
		want: "m [] cpu: power (W) smaller 1e+300\n" +
			"m [] cpu: energy (J) smaller 0\n",
	},
}

func TestReadNativeGood(t *testing.T) {
	for _, tt := range nativeGood {
		t.Run(tt.name, func(t *testing.T) {
			out, err := ReadNative(strings.NewReader(tt.in), "doc.json")
			if err != nil {
				t.Fatalf("ReadNative: %v", err)
			}
			if got := brief(out.Results); got != tt.want {
				t.Errorf("got\n%s; want\n%s", got, tt.want)
			}
			for _, r := range out.Results {
				if err := r.Validate(); err != nil {
					t.Errorf("Validate: %v", err)
				}
			}
			if out.Records == 0 || out.Parsed != out.Records || len(out.Warnings) != 0 {
				t.Errorf("got records %d, parsed %d, warnings %v; want equal counts and no warnings", out.Records, out.Parsed, out.Warnings)
			}
		})
	}
}

func TestReadNativeFields(t *testing.T) {
	in := `{"name": "m", "model": {"name": "bert-tiny", "family": "bert", "modality": "text", "size": "tiny", "parameters_million": 4.4},
		"hardware": {"device_name": "Xeon", "driver_version": "1.2", "memory_mb": 24000, "compute_units": 2},
		"warmup_iterations": 10, "latencies_ms": [2, 1]}
		{"name": "m", "model": {"name": "bert-tiny"}, "hardware": {"device_name": "Xeon"}, "latencies_ms": [3]}`
	out, err := ReadNative(strings.NewReader(in), "doc.json")
	if err != nil {
		t.Fatalf("ReadNative: %v", err)
	}
	if len(out.Results) != 1 {
		t.Fatalf("got %d results; want 1", len(out.Results))
	}
	r := out.Results[0]
	wantModel := Model{Name: "bert-tiny", Family: "bert", Modality: "text", Size: "tiny", ParametersMillion: 4.4}
	if r.Model == nil || *r.Model != wantModel {
		t.Errorf("got model %+v; want %+v", r.Model, wantModel)
	}
	wantHW := Hardware{Type: "cpu", DeviceName: "Xeon", DriverVersion: "1.2", MemoryMB: 24000, ComputeUnits: 2}
	if r.Hardware != wantHW {
		t.Errorf("got hardware %+v; want %+v", r.Hardware, wantHW)
	}
	if r.WarmupIterations != 10 {
		t.Errorf("got warmup %d; want 10", r.WarmupIterations)
	}
	if got, want := nums(r.Iterations[0])+" | "+nums(r.Iterations[1]), "0.002 0.001 | 0.003"; len(r.Iterations) != 2 || got != want {
		t.Errorf("got iterations %v; want %s", r.Iterations, want)
	}
	if got := r.Metric(MetricLatencyP50).Samples; len(got) != 2 || got[0] != 0.0015 || got[1] != 0.003 {
		t.Errorf("got latency_p50 samples %v; want [0.0015 0.003]", got)
	}
}

// nativeBad are invalid native inputs: the error must be of the right kind,
// on the right line, and name the culprit.
var nativeBad = []struct {
	name   string
	in     string
	syntax bool     // a *ParseError, else a *DataError
	line   int      // line in the error
	want   []string // substrings of the error
}{
	{name: "empty file", in: "", syntax: true, want: []string{"doc.json: empty input"}},
	{name: "blank file", in: " \n\t\n", syntax: true, want: []string{"empty input"}},
	{name: "truncated", in: "{\"name\": \"m\",\n\"latencies_ms\": [1, 2", syntax: true, line: 2, want: []string{"truncated JSON"}},
	{name: "truncated string", in: `{"name": "m`, syntax: true, line: 1, want: []string{"truncated JSON"}},
	{name: "trailing comma", in: "{\"name\": \"m\",\n\n}", syntax: true, line: 3, want: []string{"invalid JSON", "invalid character '}'"}},
	{name: "log line before the document", in: "Loading model...\n{\"name\": \"m\"}", syntax: true, line: 1, want: []string{"invalid character 'L'"}},
	{name: "garbage after a document", in: "{\"name\": \"m\", \"latencies_ms\": [1]}\n\nDone.", syntax: true, line: 3, want: []string{"invalid character 'D'"}},
	{name: "bare NaN", in: `{"name": "m", "latencies_ms": [1, NaN]}`, syntax: true, line: 1, want: []string{"invalid character 'N'"}},
	{name: "NaN as a string", in: "{\"name\": \"m\",\n \"latencies_ms\": [1, \"NaN\"]}", line: 2, want: []string{`latencies_ms[1]: want a number, got string "NaN"`}},
	{name: "Infinity as a string", in: `{"name": "m", "metrics": {"power_watts": "Infinity"}}`, line: 1, want: []string{`metrics.power_watts: want a number, got string "Infinity"`}},
	{name: "overflow to Inf", in: `{"name": "m", "latencies_ms": [1e400]}`, line: 1, want: []string{"latencies_ms[0]: number 1e400 is out of range"}},
	{name: "negative latency", in: "{\"name\": \"m\",\n\"latencies_ms\": [1,\n -2]}", line: 3, want: []string{"latencies_ms[1]: latency must be positive, got -2"}},
	{name: "zero latency", in: `{"name": "m", "latencies_ms": [0]}`, line: 1, want: []string{"latencies_ms[0]: latency must be positive, got 0"}},
	{name: "no latencies", in: `{"name": "m", "latencies_ms": []}`, line: 1, want: []string{"latencies_ms: empty"}},
	{name: "null latency", in: `{"name": "m", "latencies_ms": [1, null]}`, line: 1, want: []string{"latencies_ms[1]: want a number, got null"}},
	{name: "latencies not an array", in: `{"name": "m", "latencies_ms": 5}`, line: 1, want: []string{"latencies_ms: want an array, got number 5"}},
	{name: "throughput overflows", in: `{"name": "m", "latencies_ms": [4e-320]}`, line: 1, want: []string{`metric "throughput": sample 1 is infinite`}},
	{name: "invalid literal on a later line", in: "{\"name\": \"m\",\n\"latencies_ms\": [1,\n\n  tru]}", syntax: true, line: 4, want: []string{"invalid character ']' in literal true"}},
	{name: "unexpected close on a later line", in: "{\"name\": \"m\",\n\"latencies_ms\": [1,\n\n  ]}", syntax: true, line: 4, want: []string{"invalid character ']'"}},
	{name: "unknown key", in: "{\"name\": \"m\",\n \"latency\": [1]}", line: 2, want: []string{`unknown key "latency"`, "known: benchgate, name,"}},
	{name: "unknown metric", in: "{\"name\": \"m\", \"metrics\": {\n\"power_watts\": 1,\n\"gpu_util\": 5}}", line: 3,
		want: []string{`metrics: unknown metric "gpu_util" (known: cold_start_ms, energy_efficiency_items_per_joule, energy_joules, memory_peak_mb, power_watts, throughput_items_per_second)`}},
	{name: "negative metric", in: `{"name": "m", "metrics": {"memory_peak_mb": -1}}`, line: 1, want: []string{"metrics.memory_peak_mb: -1 is negative"}},
	{name: "unknown model key", in: `{"model": {"name": "m", "layers": 3}}`, line: 1, want: []string{`model: unknown key "layers"`, "parameters_million"}},
	{name: "model without a name", in: `{"model": {"family": "bert"}, "latencies_ms": [1]}`, line: 1, want: []string{"model.name: missing"}},
	{name: "unknown hardware key", in: `{"name": "m", "hardware": {"gpu": "x"}}`, line: 1, want: []string{`hardware: unknown key "gpu"`, "compute_units"}},
	{name: "unknown hardware type", in: `{"name": "m", "hardware": {"type": "tpu"}}`, line: 1, want: []string{`hardware.type: unknown hardware type "tpu"`, "webgpu"}},
	{name: "fractional compute units", in: `{"name": "m", "hardware": {"compute_units": 1.5}}`, line: 1, want: []string{"hardware.compute_units: want a whole number >= 0, got 1.5"}},
	{name: "unknown config key", in: `{"name": "m", "config": {"batch": 8}}`, line: 1, want: []string{`config: unknown key "batch"`, "batch_size"}},
	{name: "zero batch size", in: `{"name": "m", "config": {"batch_size": 0}}`, line: 1, want: []string{"config.batch_size: want a whole number >= 1, got 0"}},
	{name: "batch size as a string", in: `{"name": "m", "config": {"batch_size": "8"}}`, line: 1, want: []string{`config.batch_size: want a number, got string "8"`}},
	{name: "param shadows batch size", in: `{"name": "m", "config": {"params": {"Batch_Size": 8}}}`, line: 1, want: []string{"config.params.Batch_Size: set config.batch_size instead"}},
	{name: "param twice in other case", in: `{"name": "m", "config": {"params": {"a": "1", "A": "2"}}}`, line: 1, want: []string{`config.params.A: parameter "a" given twice`}},
	{name: "param object value", in: `{"name": "m", "config": {"params": {"a": {}}}}`, line: 1, want: []string{"config.params.a: want a string, number or boolean, got an object"}},
	{name: "duplicate key", in: `{"name": "m", "name": "n"}`, line: 1, want: []string{`duplicate key "name"`}},
	{name: "unknown custom metric key", in: `{"name": "m", "custom_metrics": [{"name": "x", "unit": "u", "better": "bigger", "value": 1, "kind": 2}]}`, line: 1,
		want: []string{`custom_metrics[0]: unknown key "kind"`}},
	{name: "custom metric without direction", in: `{"name": "m", "custom_metrics": [{"name": "x", "unit": "u", "value": 1}]}`, line: 1,
		want: []string{`custom_metrics[0]: custom metric "x": missing better`}},
	{name: "custom metric with bad direction", in: `{"name": "m", "custom_metrics": [{"name": "x", "unit": "u", "better": "up", "value": 1}]}`, line: 1,
		want: []string{`custom_metrics[0].better: unknown direction "up"`}},
	{name: "custom metric without value", in: `{"name": "m", "custom_metrics": [{"name": "x", "unit": "u", "better": "bigger"}]}`, line: 1,
		want: []string{`custom metric "x": missing value`}},
	{name: "custom metric without unit", in: `{"name": "m", "custom_metrics": [{"name": "x", "better": "bigger", "value": 1}]}`, line: 1,
		want: []string{`custom metric "x": missing unit`}},
	{name: "custom metric without name", in: `{"name": "m", "custom_metrics": [{"unit": "u", "better": "bigger", "value": 1}]}`, line: 1,
		want: []string{"custom_metrics[0]: missing name"}},
	{name: "custom metric negative", in: `{"name": "m", "custom_metrics": [{"name": "x", "unit": "u", "better": "bigger", "value": -1}]}`, line: 1,
		want: []string{"custom_metrics[0].value: -1 is negative"}},
	{name: "custom metric with a built-in name", in: `{"name": "m", "custom_metrics": [{"name": "throughput", "unit": "u", "better": "bigger", "value": 1}]}`, line: 1,
		want: []string{`custom metric "throughput" takes the name of a built-in metric`}},
	{name: "custom metric twice", in: `{"name": "m", "custom_metrics": [{"name": "x", "unit": "u", "better": "bigger", "value": 1}, {"name": "x", "unit": "u", "better": "bigger", "value": 2}]}`, line: 1,
		want: []string{`custom_metrics[1]: custom metric "x" given twice`}},
	{name: "newer format version", in: `{"benchgate": 2, "name": "m"}`, line: 1, want: []string{"benchgate: format version 2 is not supported (this benchgate reads version 1)"}},
	{name: "missing name", in: "{\"name\": \"m\", \"latencies_ms\": [1]}\n{\"latencies_ms\": [1]}", line: 2, want: []string{"name: missing: set name or model.name"}},
	{name: "no metrics", in: `{"name": "m", "warmup_iterations": 3}`, line: 1, want: []string{"latencies_ms: missing: a document needs latencies_ms or at least one metric"}},
	{name: "negative warmup", in: `{"name": "m", "warmup_iterations": -1}`, line: 1, want: []string{"warmup_iterations: want a whole number >= 0, got -1"}},
	{name: "top-level array", in: `[{"name": "m"}]`, line: 1, want: []string{"want a result document (a JSON object), got an array"}},
	{name: "top-level number", in: "\n42", line: 2, want: []string{"want a result document (a JSON object), got number 42"}},
	{name: "wrapper with extra keys", in: "{\"name\": \"m\",\n \"results\": []}", line: 1, want: []string{`name: a wrapper with "results" holds only "benchgate" and "results"`}},
	{name: "nested wrapper", in: `{"results": [{"results": []}]}`, line: 1, want: []string{`results[0]: unknown key "results"`}},
	{name: "wrapper item not an object", in: `{"results": [1]}`, line: 1, want: []string{"results[0]: want a result document (a JSON object), got number 1"}},
	{name: "wrapped document error", in: "{\"results\": [\n{\"name\": \"m\", \"metrics\": {\"fps\": 1}}]}", line: 2, want: []string{`results[0].metrics: unknown metric "fps"`}},
}

func TestReadNativeBad(t *testing.T) {
	for _, tt := range nativeBad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadNative(strings.NewReader(tt.in), "doc.json")
			if err == nil {
				t.Fatal("got no error; want one")
			}
			var pe *ParseError
			var de *DataError
			switch {
			case tt.syntax && !errors.As(err, &pe):
				t.Errorf("got %T %v; want a *ParseError", err, err)
			case !tt.syntax && !errors.As(err, &de):
				t.Errorf("got %T %v; want a *DataError", err, err)
			}
			if IsSyntaxError(err) != tt.syntax {
				t.Errorf("got IsSyntaxError %v; want %v", IsSyntaxError(err), tt.syntax)
			}
			line := 0
			if pe != nil {
				line = pe.Line
			} else if de != nil {
				line = de.Line
			}
			if line != tt.line {
				t.Errorf("got line %d (%v); want %d", line, err, tt.line)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got error %q; want it to contain %q", err, w)
				}
			}
			if !strings.HasPrefix(err.Error(), "doc.json:") {
				t.Errorf("got error %q; want it to start with the file name", err)
			}
		})
	}
}

func TestReadNativeGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "native", "*.json*"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".golden") {
			continue
		}
		n++
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out, err := ReadNative(bytes.NewReader(data), filepath.Base(f))
			if err != nil {
				t.Fatalf("ReadNative: %v", err)
			}
			for _, r := range out.Results {
				if err := r.Validate(); err != nil {
					t.Errorf("Validate: %v", err)
				}
			}
			checkGolden(t, f+".golden", render(out))
		})
	}
	if n != 3 {
		t.Errorf("got %d input files in testdata/native; want 3", n)
	}
}

// TestValidateCapsSamples: a metric with more than MaxSamples samples is
// refused, naming the benchmark, the metric and the cap.
func TestValidateCapsSamples(t *testing.T) {
	r := Result{Name: "b", Hardware: Hardware{Type: "cpu"}, Metrics: []Metric{{Name: "sec/op", Samples: make([]float64, MaxSamples+1)}}}
	err := r.Validate()
	if err == nil || !strings.Contains(err.Error(), `benchmark "b" metric "sec/op": 1000001 samples; at most 1000000`) {
		t.Errorf("Validate: %v", err)
	}
	r.Metrics[0].Samples = r.Metrics[0].Samples[:MaxSamples]
	if err := r.Validate(); err != nil {
		t.Errorf("Validate at the cap: %v", err)
	}
}
