package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// NativeVersion is the version of the native result document this package
// reads; a document declaring a later one is refused.
const NativeVersion = 1

// BytesPerMB is the factor from the native document's megabytes
// (memory_peak_mb, as PyTorch and psutil report them: MiB) to the bytes of
// the memory_peak metric. The store divides by it to fill memory_peak_mb.
const BytesPerMB = 1 << 20

// HardwareTypes lists every hardware type benchgate knows, in the seed's
// order: the accepted values of a result's hardware.type, of a suite's
// matrix and of the action's hardware input. It is the one list; it must
// not be modified.
var HardwareTypes = []string{"cpu", "cuda", "rocm", "mps", "openvino", "qnn", "webnn", "webgpu"}

// ReadNative reads native result documents, the JSON a benchmark harness
// prints, and returns one merged [Result] per benchmark.
//
// # Shape
//
// A document is one JSON object:
//
//	{
//	  "benchgate": 1,
//	  "name": "bert-tiny",
//	  "model": {"name": "bert-tiny", "family": "bert", "modality": "text", "size": "tiny", "parameters_million": 4.4},
//	  "hardware": {"type": "cpu", "device_name": "Intel Xeon", "driver_version": "", "memory_mb": 24000, "compute_units": 2},
//	  "config": {"batch_size": 8, "sequence_length": 128, "precision": "fp32", "params": {"runtime": "onnx"}},
//	  "warmup_iterations": 10,
//	  "latencies_ms": [12.1, 12.4, 11.9],
//	  "metrics": {"throughput_items_per_second": 650.2, "memory_peak_mb": 512, "power_watts": 35.5,
//	              "energy_joules": 12.0, "energy_efficiency_items_per_joule": 18.3, "cold_start_ms": 850},
//	  "custom_metrics": [{"name": "tokens_per_second", "unit": "tokens/s", "better": "bigger", "value": 123.4}]
//	}
//
// The keys:
//   - benchgate: the format version, optional; a value other than 1 is refused.
//   - name: the benchmark name; defaults to model.name. One of them is required.
//   - model: optional; name (required in a model), family, modality, size,
//     parameters_million.
//   - hardware: optional; type (default "cpu"; one of cpu, cuda, rocm, mps,
//     openvino, qnn, webnn, webgpu, case-insensitive), device_name,
//     driver_version, memory_mb, compute_units.
//   - config: optional; batch_size (>= 1), sequence_length (>= 1), precision
//     (lowercased), params (an object of string, number or boolean values).
//   - warmup_iterations: optional, >= 0, copied to [Result.WarmupIterations].
//   - latencies_ms: the raw per-iteration latencies in milliseconds, each > 0,
//     at least one when the key is present.
//   - metrics: optional, each >= 0; the keys above and no others.
//   - custom_metrics: optional; each needs name, unit, better (smaller,
//     bigger, lower or higher) and value (>= 0). Names must not repeat nor
//     take a built-in metric's name.
//
// A null value means absent. Unknown keys anywhere are errors naming the key
// and listing the known ones; duplicate keys are errors.
//
// A file holds a stream of such objects separated by white space: one
// object, JSON Lines (one per line), or documents simply concatenated (a
// runner appending its repetitions). A stream element may instead be a
// wrapper, {"benchgate": 1, "results": [doc, doc, ...]}, holding nothing
// else. A UTF-8 byte order mark is skipped.
//
// # What it yields
//
// One result per document, then [Merge]d, so repetitions of one benchmark
// (equal name, params and hardware) become one result with one sample per
// repetition. Params are batch_size, sequence_length and precision when set,
// plus config.params with lowercased keys (which must not repeat those
// three). [Result.Iterations] holds the latencies in seconds.
//
// Summary statistics are computed from the raw latencies, never taken from
// the harness. Metrics, one sample per document, in base units:
//   - latency_mean, latency_p50, latency_p90, latency_p99 (s, smaller):
//     the mean and percentiles of the latencies; percentiles interpolate
//     linearly between order statistics (Hyndman and Fan type 7, the default
//     of R and NumPy): with the n sorted values x[0..n-1], h = (n-1)p and
//     P = x[⌊h⌋] + (h-⌊h⌋)(x[⌊h⌋+1]-x[⌊h⌋]).
//   - throughput (items/s, bigger): batch_size × n / Σ latencies, batch_size
//     1 when unset; metrics.throughput_items_per_second only when there are
//     no latencies.
//   - memory_peak (B, smaller): memory_peak_mb × [BytesPerMB].
//   - power (W, smaller), energy (J, smaller).
//   - energy_efficiency (items/J, bigger): throughput / power when both are
//     known and power > 0, else metrics.energy_efficiency_items_per_joule.
//   - cold_start (s, smaller): cold_start_ms / 1000.
//   - each custom metric under its own name, unit and direction.
//
// A document must yield at least one metric.
//
// # Errors
//
// Any error refuses the whole file. A JSON syntax error, truncated input or
// an empty file is a [*ParseError] (json_parse_error); anything else wrong in
// well-formed JSON is a [*DataError] (result_processing_error), naming the
// key path (e.g. "latencies_ms[2]", "metrics") and the line. Numbers that
// overflow float64 are refused; JSON cannot carry NaN or Inf, and strings
// such as "NaN" are refused where a number is wanted. See [Classify].
//
// ReadNative reads all of r. The returned [ReadOutput] counts documents in
// Records and Parsed; it never has warnings.
func ReadNative(r io.Reader, fileName string) (ReadOutput, error) {
	out := ReadOutput{Format: FormatNative}
	data, err := io.ReadAll(r)
	if err != nil {
		return out, fmt.Errorf("reading %s: %w", fileName, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return out, &ParseError{File: fileName, Err: errors.New("empty input: want a benchgate result document (JSON)")}
	}
	d := newDocDecoder(data, fileName)
	var docs []*nativeDoc
	for {
		tok, err := d.dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return out, d.syntaxErr(err)
		}
		if tok != json.Delim('{') {
			return out, d.dataErr("", "want a result document (a JSON object), got %s", describe(tok))
		}
		doc, err := d.document("", true)
		if err != nil {
			return out, err
		}
		if doc.results != nil {
			docs = append(docs, doc.results...)
		} else {
			docs = append(docs, doc)
		}
	}
	rs := make([]Result, 0, len(docs))
	for _, doc := range docs {
		out.Records++
		r, err := doc.result()
		if err != nil {
			return out, &DataError{File: fileName, Line: doc.line, Key: doc.errKey, Err: err}
		}
		rs = append(rs, r)
	}
	out.Parsed = len(rs)
	out.Results = Merge(rs)
	return out, nil
}

// nativeDoc is one parsed document, before its metrics are computed.
type nativeDoc struct {
	line      int    // line of its opening brace
	errKey    string // key path of the culprit of a result() error
	keys      []string
	name      string
	model     *Model
	hw        Hardware
	batch     int // 0 when unset
	seqLen    int // 0 when unset
	precision string
	params    map[string]string
	warmup    int
	latencies []float64 // milliseconds; nil when absent
	metrics   map[string]float64
	custom    []customMetric
	results   []*nativeDoc // a wrapper's documents; nil otherwise
}

// customMetric is one entry of custom_metrics.
type customMetric struct {
	name, unit string
	better     Direction
	value      float64
}

// document reads the members of a document whose '{' was read. At the top
// level (top) it also accepts the "results" of a wrapper.
func (d *docDecoder) document(path string, top bool) (*nativeDoc, error) {
	doc := &nativeDoc{line: d.line(), metrics: map[string]float64{}}
	err := d.members(path, func(key string) error {
		doc.keys = append(doc.keys, key)
		kp := join(path, key)
		switch key {
		case "benchgate":
			v, ok, err := d.integer(kp, 0)
			if err == nil && ok && v != NativeVersion {
				err = d.dataErr(kp, "format version %d is not supported (this benchgate reads version %d)", v, NativeVersion)
			}
			return err
		case "name":
			s, _, err := d.str(kp)
			doc.name = s
			return err
		case "model":
			return d.model(kp, doc)
		case "hardware":
			return d.hardware(kp, doc)
		case "config":
			return d.config(kp, doc)
		case "warmup_iterations":
			v, _, err := d.integer(kp, 0)
			doc.warmup = v
			return err
		case "latencies_ms":
			return d.latencies(kp, doc)
		case "metrics":
			return d.metrics(kp, doc)
		case "custom_metrics":
			return d.customMetrics(kp, doc)
		case "results":
			if top {
				return d.wrapped(kp, doc)
			}
		}
		known := "benchgate, name, model, hardware, config, warmup_iterations, latencies_ms, metrics, custom_metrics"
		if top {
			known += ", results"
		}
		return d.dataErr(path, "unknown key %q (known: %s)", key, known)
	})
	if err != nil {
		return nil, err
	}
	if doc.results != nil {
		for _, k := range doc.keys {
			if k != "benchgate" && k != "results" {
				return nil, &DataError{File: d.file, Line: doc.line, Key: k,
					Err: errors.New(`a wrapper with "results" holds only "benchgate" and "results"`)}
			}
		}
	}
	return doc, nil
}

// wrapped reads the "results" list of a wrapper.
func (d *docDecoder) wrapped(path string, doc *nativeDoc) error {
	doc.results = []*nativeDoc{}
	_, err := d.array(path, func(i int) error {
		ip := index(path, i)
		tok, err := d.token()
		if err != nil {
			return err
		}
		if tok != json.Delim('{') {
			return d.dataErr(ip, "want a result document (a JSON object), got %s", describe(tok))
		}
		item, err := d.document(ip, false)
		if err != nil {
			return err
		}
		doc.results = append(doc.results, item)
		return nil
	})
	return err
}

func (d *docDecoder) model(path string, doc *nativeDoc) error {
	m := &Model{}
	ok, err := d.object(path, func(key string) error {
		kp := join(path, key)
		var err error
		switch key {
		case "name":
			m.Name, _, err = d.str(kp)
		case "family":
			m.Family, _, err = d.str(kp)
		case "modality":
			m.Modality, _, err = d.str(kp)
		case "size":
			m.Size, _, err = d.str(kp)
		case "parameters_million":
			m.ParametersMillion, _, err = d.nonNegative(kp)
		default:
			err = d.dataErr(path, "unknown key %q (known: name, family, modality, size, parameters_million)", key)
		}
		return err
	})
	if err != nil || !ok {
		return err
	}
	if m.Name == "" {
		return d.dataErr(join(path, "name"), "missing: a model needs a name")
	}
	doc.model = m
	return nil
}

func (d *docDecoder) hardware(path string, doc *nativeDoc) error {
	_, err := d.object(path, func(key string) error {
		kp := join(path, key)
		var err error
		switch key {
		case "type":
			var s string
			s, _, err = d.str(kp)
			s = strings.ToLower(s)
			if err == nil && s != "" && !slices.Contains(HardwareTypes, s) {
				err = d.dataErr(kp, "unknown hardware type %q (known: %s)", s, strings.Join(HardwareTypes, ", "))
			}
			doc.hw.Type = s
		case "device_name":
			doc.hw.DeviceName, _, err = d.str(kp)
		case "driver_version":
			doc.hw.DriverVersion, _, err = d.str(kp)
		case "memory_mb":
			doc.hw.MemoryMB, _, err = d.nonNegative(kp)
		case "compute_units":
			doc.hw.ComputeUnits, _, err = d.integer(kp, 0)
		default:
			err = d.dataErr(path, "unknown key %q (known: type, device_name, driver_version, memory_mb, compute_units)", key)
		}
		return err
	})
	return err
}

func (d *docDecoder) config(path string, doc *nativeDoc) error {
	_, err := d.object(path, func(key string) error {
		kp := join(path, key)
		var err error
		switch key {
		case "batch_size":
			doc.batch, _, err = d.integer(kp, 1)
		case "sequence_length":
			doc.seqLen, _, err = d.integer(kp, 1)
		case "precision":
			doc.precision, _, err = d.str(kp)
			doc.precision = strings.ToLower(doc.precision)
		case "params":
			err = d.params(kp, doc)
		default:
			err = d.dataErr(path, "unknown key %q (known: batch_size, sequence_length, precision, params)", key)
		}
		return err
	})
	return err
}

func (d *docDecoder) params(path string, doc *nativeDoc) error {
	doc.params = map[string]string{}
	_, err := d.object(path, func(key string) error {
		kp := join(path, key)
		lk := strings.ToLower(key)
		switch {
		case lk == "":
			return d.dataErr(path, "empty parameter name")
		case lk == "batch_size", lk == "sequence_length", lk == "precision":
			return d.dataErr(kp, "set config.%s instead", lk)
		}
		if _, dup := doc.params[lk]; dup {
			return d.dataErr(kp, "parameter %q given twice (names are case-insensitive)", lk)
		}
		v, ok, err := d.scalarText(kp)
		if ok {
			doc.params[lk] = v
		}
		return err
	})
	return err
}

func (d *docDecoder) latencies(path string, doc *nativeDoc) error {
	xs := []float64{}
	ok, err := d.array(path, func(i int) error {
		ip := index(path, i)
		x, ok, err := d.number(ip)
		switch {
		case err != nil:
			return err
		case !ok:
			return d.dataErr(ip, "want a number, got null")
		case x <= 0:
			return d.dataErr(ip, "latency must be positive, got %g", x)
		}
		xs = append(xs, x)
		return nil
	})
	if err != nil || !ok {
		return err
	}
	if len(xs) == 0 {
		return d.dataErr(path, "empty: want at least one latency")
	}
	doc.latencies = xs
	return nil
}

// Keys of the native document's "metrics" object.
const (
	keyThroughput = "throughput_items_per_second"
	keyMemoryPeak = "memory_peak_mb"
	keyPower      = "power_watts"
	keyEnergy     = "energy_joules"
	keyEfficiency = "energy_efficiency_items_per_joule"
	keyColdStart  = "cold_start_ms"
)

func (d *docDecoder) metrics(path string, doc *nativeDoc) error {
	_, err := d.object(path, func(key string) error {
		switch key {
		case keyThroughput, keyMemoryPeak, keyPower, keyEnergy, keyEfficiency, keyColdStart:
		default:
			return d.dataErr(path, "unknown metric %q (known: %s)", key,
				strings.Join([]string{keyColdStart, keyEfficiency, keyEnergy, keyMemoryPeak, keyPower, keyThroughput}, ", "))
		}
		x, ok, err := d.nonNegative(join(path, key))
		if ok {
			doc.metrics[key] = x
		}
		return err
	})
	return err
}

func (d *docDecoder) customMetrics(path string, doc *nativeDoc) error {
	_, err := d.array(path, func(i int) error {
		ip := index(path, i)
		var c customMetric
		var have struct{ name, unit, better, value bool }
		ok, err := d.object(ip, func(key string) error {
			kp := join(ip, key)
			var err error
			switch key {
			case "name":
				c.name, have.name, err = d.str(kp)
			case "unit":
				c.unit, have.unit, err = d.str(kp)
			case "better":
				var s string
				s, have.better, err = d.str(kp)
				if err == nil && have.better {
					c.better, err = ParseDirection(s)
					if err != nil {
						err = &DataError{File: d.file, Line: d.line(), Key: kp, Err: err}
					}
				}
			case "value":
				c.value, have.value, err = d.nonNegative(kp)
			default:
				err = d.dataErr(ip, "unknown key %q (known: name, unit, better, value)", key)
			}
			return err
		})
		switch {
		case err != nil:
			return err
		case !ok:
			return d.dataErr(ip, "want an object, got null")
		case !have.name || c.name == "":
			return d.dataErr(ip, "missing name")
		case !have.unit || c.unit == "":
			return d.dataErr(ip, "custom metric %q: missing unit", c.name)
		case !have.better:
			return d.dataErr(ip, "custom metric %q: missing better (smaller or bigger)", c.name)
		case !have.value:
			return d.dataErr(ip, "custom metric %q: missing value", c.name)
		case slices.Contains(builtinMetrics, c.name):
			return d.dataErr(ip, "custom metric %q takes the name of a built-in metric", c.name)
		}
		for _, o := range doc.custom {
			if o.name == c.name {
				return d.dataErr(ip, "custom metric %q given twice", c.name)
			}
		}
		doc.custom = append(doc.custom, c)
		return nil
	})
	return err
}

// resultParams returns the result's parameters.
func (doc *nativeDoc) resultParams() map[string]string {
	p := map[string]string{}
	for k, v := range doc.params {
		p[k] = v
	}
	if doc.batch > 0 {
		p["batch_size"] = strconv.Itoa(doc.batch)
	}
	if doc.seqLen > 0 {
		p["sequence_length"] = strconv.Itoa(doc.seqLen)
	}
	if doc.precision != "" {
		p["precision"] = doc.precision
	}
	return p
}
