package config

import (
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/benchgate/benchgate/internal/comparison"
	"go.yaml.in/yaml/v3"
)

// The keys each mapping accepts, sorted for error messages.
var (
	suiteKeys     = []string{"benchmarks", "defaults", "matrix", "name", "version"}
	defaultsKeys  = []string{"env", "env-allow", "format", "gpus", "image", "repetitions", "shell", "thresholds", "timeout", "workdir"}
	benchmarkKeys = []string{"command", "env", "env-allow", "format", "gpus", "image", "name", "repetitions", "shell", "thresholds", "timeout", "workdir"}
	matrixKeys    = []string{"batch-sizes", "command", "env", "env-allow", "format", "gpus", "hardware", "image", "models", "name", "repetitions", "shell", "small-models", "thresholds", "timeout", "workdir"}
	thresholdKeys = []string{"alpha", "assume", "budget", "critical", "floor", "major"}
)

// yamlLineErr matches the location prefix of go-yaml's syntax errors.
var yamlLineErr = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// envName is what an environment variable name may look like.
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// decoder turns a yaml.Node tree into a Suite, collecting every error.
type decoder struct {
	file    string
	baseDir string
	errs    []error
	merged  int // keys copied by "<<" merges so far, bounded by maxMerged
}

// maxMerged bounds the keys "<<" merges may copy in one file, so that nested
// merges of aliases cannot blow up exponentially ("billion laughs").
const maxMerged = 10000

// errorf records an error at node n (nil: no line) and key path.
func (d *decoder) errorf(n *yaml.Node, path, format string, args ...any) {
	e := &Error{File: d.file, Path: path, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line = n.Line
	}
	d.errs = append(d.errs, e)
}

// fields is what a benchmark, the matrix or the defaults section sets; nil
// means "not set here".
type fields struct {
	node        *yaml.Node // the mapping itself
	path        string
	name        *string
	nameNode    *yaml.Node
	command     *yaml.Node // kept raw: its form depends on the shell, known after merging
	format      *string
	repetitions *int
	timeout     *time.Duration
	shell       *string
	workdir     *string
	image       *string
	gpus        []string
	env         map[string]string
	envAllow    []string
	thresholds  map[string]comparison.Threshold

	// matrix only
	models      []string
	hardware    []string
	batchSizes  []int
	smallModels *bool
}

// parse is Parse with an explicit base directory for working directories.
func parse(data []byte, fileName, baseDir string) (*Suite, error) {
	d := &decoder{file: fileName, baseDir: baseDir}
	var root yaml.Node
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	if err := dec.Decode(&root); err != nil && !errors.Is(err, io.EOF) {
		return nil, d.yamlError(err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, d.yamlError(err)
		}
		d.errorf(&extra, "", "more than one YAML document; a suite file holds one")
	}
	s := d.suite(&root)
	if len(d.errs) > 0 {
		return nil, errors.Join(d.errs...)
	}
	return s, nil
}

// yamlError turns a go-yaml error into an *Error with the file's name.
func (d *decoder) yamlError(err error) error {
	msg := err.Error()
	if m := yamlLineErr.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{File: d.file, Line: line, Msg: m[2]}
	}
	return &Error{File: d.file, Msg: strings.TrimPrefix(msg, "yaml: ")}
}

// suite decodes the document root.
func (d *decoder) suite(root *yaml.Node) *Suite {
	s := &Suite{File: d.file}
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	n = resolve(n)
	if n.Kind == 0 || n.ShortTag() == "!!null" {
		d.errorf(nil, "", "empty suite: want a matrix or benchmarks")
		return nil
	}
	var defaults, matrix *fields
	var plain []*fields
	var benchmarksNode *yaml.Node
	hasMatrix, nBenchmarks := false, 0
	isMap := d.mapping(n, "", suiteKeys, func(key string, v *yaml.Node, path string) {
		switch key {
		case "version":
			if ver, ok := d.integer(v, path); ok {
				switch {
				case ver > MaxVersion:
					d.errorf(v, path, "unsupported version %d (this benchgate reads version %d)", ver, MaxVersion)
				case ver < 1:
					d.errorf(v, path, "want version 1, got %d", ver)
				}
			}
		case "name":
			if name, ok := d.str(v, path); ok {
				if name == "" {
					d.errorf(v, path, "empty name")
				}
				s.Name = name
			}
		case "defaults":
			defaults = d.fields(v, path, defaultsKeys)
		case "matrix":
			hasMatrix = true
			matrix = d.fields(v, path, matrixKeys)
		case "benchmarks":
			benchmarksNode = v
			d.sequence(v, path, "a list of benchmarks", func(i int, e *yaml.Node, path string) {
				nBenchmarks++
				if f := d.fields(e, path, benchmarkKeys); f != nil {
					plain = append(plain, f)
				}
			})
		}
	})
	if s.Name == "" {
		base := filepath.Base(d.file)
		s.Name = strings.TrimSuffix(base, filepath.Ext(base))
	}
	if defaults == nil {
		defaults = &fields{}
	}
	if isMap && !hasMatrix && nBenchmarks == 0 {
		at := n
		if benchmarksNode != nil {
			at = benchmarksNode
		}
		d.errorf(at, "", "neither matrix nor benchmarks: the suite defines nothing to run")
	}
	seen := map[string]string{} // name → path of its first use
	add := func(f *fields, isMatrix bool) {
		b, ok := d.benchmark(defaults, f, isMatrix)
		if !ok {
			return
		}
		if first, dup := seen[b.Name]; dup {
			d.errorf(f.nameNode, f.path+".name", "benchmark name %q already used by %s", b.Name, first)
			return
		}
		seen[b.Name] = f.path
		s.Benchmarks = append(s.Benchmarks, b)
	}
	if matrix != nil {
		add(matrix, true)
	}
	for _, f := range plain {
		add(f, false)
	}
	return s
}

// fields decodes a benchmark, matrix or defaults mapping; allowed lists the
// keys this section accepts. It returns nil when n is not a mapping.
func (d *decoder) fields(n *yaml.Node, path string, allowed []string) *fields {
	f := &fields{node: resolve(n), path: path}
	ok := d.mapping(n, path, allowed, func(key string, v *yaml.Node, path string) {
		switch key {
		case "name":
			if name, ok := d.str(v, path); ok {
				if err := checkBenchmarkName(name); err != nil {
					d.errorf(v, path, "%v", err)
				} else {
					f.name, f.nameNode = &name, v
				}
			}
		case "command":
			f.command = v
		case "format":
			if s, ok := d.str(v, path); ok {
				if c, err := canonicalFormat(s); err == nil {
					f.format = &c
				} else {
					d.errorf(v, path, "%v", err)
				}
			}
		case "repetitions":
			if r, ok := d.integer(v, path); ok {
				if r < 1 {
					d.errorf(v, path, "repetitions must be at least 1, got %d", r)
				} else {
					f.repetitions = &r
				}
			}
		case "timeout":
			if t, ok := d.duration(v, path); ok {
				f.timeout = &t
			}
		case "shell":
			if s, ok := d.str(v, path); ok {
				if s != "" && s != "bash" {
					d.errorf(v, path, `unknown shell %q (want "" for argv or "bash")`, s)
				} else {
					f.shell = &s
				}
			}
		case "workdir":
			if s, ok := d.str(v, path); ok {
				if s == "" {
					d.errorf(v, path, `empty workdir (leave it out, or write "." for the suite file's directory)`)
				} else {
					f.workdir = &s
				}
			}
		case "image":
			if s, ok := d.str(v, path); ok {
				if strings.TrimSpace(s) == "" || strings.ContainsAny(s, " \t\n") {
					d.errorf(v, path, "invalid image %q (want a reference such as registry/name:tag or name@sha256:…)", s)
				} else {
					f.image = &s
				}
			}
		case "gpus":
			f.gpus = d.gpus(v, path)
		case "env":
			f.env = d.env(v, path)
		case "env-allow":
			f.envAllow = d.envAllow(v, path)
		case "thresholds":
			f.thresholds = d.thresholds(v, path)
		case "models":
			f.models = d.models(v, path)
		case "hardware":
			f.hardware = d.hardware(v, path)
		case "batch-sizes":
			f.batchSizes = d.batchSizes(v, path)
		case "small-models":
			if b, ok := d.boolean(v, path); ok {
				f.smallModels = &b
			}
		}
	})
	if !ok {
		return nil
	}
	return f
}

// checkBenchmarkName reports why name cannot name a benchmark.
func checkBenchmarkName(name string) error {
	if name == "" {
		return fmt.Errorf("empty name")
	}
	for _, r := range name {
		if r < ' ' || r == 0x7f {
			return fmt.Errorf("name %q has a control character", name)
		}
	}
	return nil
}

// benchmark merges the defaults into f and validates the result.
func (d *decoder) benchmark(def, f *fields, isMatrix bool) (Benchmark, bool) {
	nerr := len(d.errs)
	b := Benchmark{
		Format:      pick(f.format, def.format, DefaultFormat),
		Repetitions: pick(f.repetitions, def.repetitions, DefaultRepetitions),
		Timeout:     pick(f.timeout, def.timeout, DefaultTimeout),
		Shell:       pick(f.shell, def.shell, ""),
		Image:       pick(f.image, def.image, ""),
		GPUs:        pickList(f.gpus, def.gpus),
		EnvAllow:    pickList(f.envAllow, def.envAllow),
		Env:         map[string]string{},
		Thresholds:  map[string]comparison.Threshold{},
	}
	switch {
	case f.name != nil:
		b.Name = *f.name
	case isMatrix:
		b.Name = DefaultMatrixName
	default:
		d.errorf(f.node, f.path, `missing key "name"`)
	}
	dir := pick(f.workdir, def.workdir, ".")
	if filepath.IsAbs(dir) {
		b.Dir = filepath.Clean(dir)
	} else {
		b.Dir = filepath.Join(d.baseDir, dir)
	}
	for k, v := range def.env {
		b.Env[k] = v
	}
	for k, v := range f.env {
		b.Env[k] = v
	}
	for k, v := range def.thresholds {
		b.Thresholds[k] = v
	}
	for k, v := range f.thresholds {
		t := b.Thresholds[k]
		if v.Floor != nil {
			t.Floor = v.Floor
		}
		if v.Alpha != nil {
			t.Alpha = v.Alpha
		}
		if v.Major != nil {
			t.Major = v.Major
		}
		if v.Critical != nil {
			t.Critical = v.Critical
		}
		if v.Budget != nil {
			t.Budget = v.Budget
		}
		if v.Exact != nil {
			t.Exact = v.Exact
		}
		b.Thresholds[k] = t
	}
	b.Command = d.command(f, b.Shell, isMatrix)
	if isMatrix {
		m := &MatrixInfo{
			Models:      append([]string(nil), DefaultModels...),
			BatchSizes:  append([]int(nil), DefaultBatchSizes...),
			Hardware:    f.hardware,
			SmallModels: true,
		}
		if f.models != nil {
			m.Models = f.models
		}
		if f.batchSizes != nil {
			m.BatchSizes = f.batchSizes
		}
		if f.smallModels != nil {
			m.SmallModels = *f.smallModels
		}
		b.Matrix = m
	}
	return b, len(d.errs) == nerr
}

// pick returns the first set value: the benchmark's, the default's, def.
func pick[T any](v, dflt *T, def T) T {
	if v != nil {
		return *v
	}
	if dflt != nil {
		return *dflt
	}
	return def
}

// command decodes f's command for the given shell and checks placeholders.
func (d *decoder) command(f *fields, shell string, isMatrix bool) []string {
	path := f.path + ".command"
	if f.command == nil {
		d.errorf(f.node, f.path, `missing key "command"`)
		return nil
	}
	n := resolve(f.command)
	var argv []string
	var nodes []*yaml.Node
	if shell == "bash" {
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
			d.errorf(n, path, "want a string (the bash script, as shell: bash is set), got %s", describe(n))
			return nil
		}
		if strings.TrimSpace(n.Value) == "" {
			d.errorf(n, path, "empty command")
			return nil
		}
		argv, nodes = []string{n.Value}, []*yaml.Node{n}
	} else {
		if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str" {
			d.errorf(n, path, "want a list of strings (argv), got string; set shell: bash to run it as a bash script")
			return nil
		}
		ok := d.sequence(n, path, "a list of strings (argv)", func(i int, e *yaml.Node, p string) {
			if s, ok := d.scalar(e, p); ok {
				argv = append(argv, s)
				nodes = append(nodes, e)
			}
		})
		if !ok {
			return nil
		}
		if len(argv) == 0 {
			d.errorf(n, path, "empty command")
			return nil
		}
		if argv[0] == "" {
			d.errorf(nodes[0], path+"[0]", "empty program name")
		}
	}
	for i, a := range argv {
		p := path
		if shell != "bash" {
			p = fmt.Sprintf("%s[%d]", path, i)
		}
		for _, name := range findPlaceholders(a) {
			switch {
			case !isKnownPlaceholder(name):
				d.errorf(nodes[i], p, "unknown placeholder {%s} (known: %s; write {{ for a literal brace)", name, knownPlaceholders())
			case !isMatrix && isMatrixOnly(name):
				d.errorf(nodes[i], p, "placeholder {%s} is only available in the matrix", name)
			}
		}
	}
	return argv
}

// env decodes an environment mapping.
func (d *decoder) env(n *yaml.Node, path string) map[string]string {
	out := map[string]string{}
	d.mapping(n, path, nil, func(key string, v *yaml.Node, p string) {
		if !envName.MatchString(key) {
			d.errorf(v, p, "invalid environment variable name %q", key)
			return
		}
		s, ok := d.scalar(v, p)
		if !ok {
			return
		}
		if strings.ContainsRune(s, 0) {
			d.errorf(v, p, "value has a NUL byte")
			return
		}
		out[key] = s
	})
	return out
}

// thresholds decodes a per-metric thresholds mapping.
func (d *decoder) thresholds(n *yaml.Node, path string) map[string]comparison.Threshold {
	out := map[string]comparison.Threshold{}
	d.mapping(n, path, nil, func(metric string, v *yaml.Node, p string) {
		if metric == "" {
			d.errorf(v, p, "empty metric name")
			return
		}
		var t comparison.Threshold
		d.mapping(v, p, thresholdKeys, func(key string, v *yaml.Node, p string) {
			if key == "assume" {
				if a, ok := d.str(v, p); ok {
					if a != "exact" && a != "nothing" {
						d.errorf(v, p, "assume must be exact or nothing, got %q", a)
						return
					}
					exact := a == "exact"
					t.Exact = &exact
				}
				return
			}
			var dst **float64
			var f comparison.Field
			switch key {
			case "floor":
				dst, f = &t.Floor, comparison.FloorField
			case "alpha":
				dst, f = &t.Alpha, comparison.AlphaField
			case "major":
				dst, f = &t.Major, comparison.MajorField
			case "critical":
				dst, f = &t.Critical, comparison.CriticalField
			default:
				dst, f = &t.Budget, comparison.BudgetField
			}
			if x, ok := d.field(v, p, f); ok {
				*dst = &x
			}
		})
		out[metric] = t
	})
	return out
}

// models decodes the matrix's model list.
func (d *decoder) models(n *yaml.Node, path string) []string {
	var out []string
	ok := d.sequence(n, path, "a list of model names", func(i int, e *yaml.Node, p string) {
		s, ok := d.str(e, p)
		if !ok {
			return
		}
		if err := checkModel(s); err != nil {
			d.errorf(e, p, "%v", err)
			return
		}
		if containsString(out, s) {
			d.errorf(e, p, "model %q listed twice", s)
			return
		}
		out = append(out, s)
	})
	if ok && len(resolve(n).Content) == 0 {
		d.errorf(n, path, "empty list: want at least one model")
	}
	return out
}

// hardware decodes the matrix's hardware list.
func (d *decoder) hardware(n *yaml.Node, path string) []string {
	var out []string
	ok := d.sequence(n, path, "a list of hardware types", func(i int, e *yaml.Node, p string) {
		s, ok := d.str(e, p)
		if !ok {
			return
		}
		if err := checkHardware(s); err != nil {
			d.errorf(e, p, "%v", err)
			return
		}
		if containsString(out, s) {
			d.errorf(e, p, "hardware %q listed twice", s)
			return
		}
		out = append(out, s)
	})
	if ok && len(resolve(n).Content) == 0 {
		d.errorf(n, path, "empty list: want at least one hardware type")
	}
	return out
}

// batchSizes decodes the matrix's batch-size list.
func (d *decoder) batchSizes(n *yaml.Node, path string) []int {
	var out []int
	ok := d.sequence(n, path, "a list of positive integers", func(i int, e *yaml.Node, p string) {
		b, ok := d.integer(e, p)
		if !ok {
			return
		}
		if err := checkBatchSize(b); err != nil {
			d.errorf(e, p, "%v", err)
			return
		}
		for _, x := range out {
			if x == b {
				d.errorf(e, p, "batch size %d listed twice", b)
				return
			}
		}
		out = append(out, b)
	})
	if ok && len(resolve(n).Content) == 0 {
		d.errorf(n, path, "empty list: want at least one batch size")
	}
	return out
}

// containsString reports whether xs holds s.
func containsString(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// mapping walks mapping n, calling f for each key in allowed (any key when
// allowed is nil) with the key's path. It reports non-mappings, non-string
// keys, duplicate and unknown keys, and follows aliases and "<<" merge keys
// (an explicit key wins over a merged one). It returns false when n is not a
// mapping.
func (d *decoder) mapping(n *yaml.Node, path string, allowed []string, f func(key string, v *yaml.Node, path string)) bool {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		d.errorf(n, path, "want a mapping, got %s", describe(n))
		return false
	}
	type pair struct{ k, v *yaml.Node }
	var own, merged []pair
	var collect func(m *yaml.Node, into *[]pair, depth int)
	collect = func(m *yaml.Node, into *[]pair, depth int) {
		for i := 0; i+1 < len(m.Content); i += 2 {
			k, v := m.Content[i], m.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
				src := resolve(v)
				srcs := []*yaml.Node{src}
				if src.Kind == yaml.SequenceNode {
					srcs = src.Content
				}
				for _, s := range srcs {
					s = resolve(s)
					if s.Kind != yaml.MappingNode {
						d.errorf(s, path, "merge key <<: want a mapping or a list of mappings, got %s", describe(s))
						continue
					}
					d.merged += len(s.Content) / 2
					if d.merged > maxMerged || depth > 8 {
						d.errorf(s, path, "merge key <<: too many merged keys (more than %d, or merges nested deeper than 8)", maxMerged)
						return
					}
					collect(s, &merged, depth+1)
				}
				continue
			}
			*into = append(*into, pair{k, v})
		}
	}
	collect(n, &own, 0)
	seen := map[string]bool{}
	for _, p := range own {
		k := resolve(p.k)
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, path, "want a string key, got %s", describe(k))
			continue
		}
		key := k.Value
		kp := joinPath(path, key)
		if seen[key] {
			d.errorf(k, kp, "duplicate key")
			continue
		}
		seen[key] = true
		if allowed != nil && !containsString(allowed, key) {
			d.errorf(k, kp, "unknown key (allowed: %s)", strings.Join(allowed, ", "))
			continue
		}
		f(key, p.v, kp)
	}
	for _, p := range merged {
		k := resolve(p.k)
		if k.Kind != yaml.ScalarNode || seen[k.Value] {
			continue
		}
		seen[k.Value] = true
		kp := joinPath(path, k.Value)
		if allowed != nil && !containsString(allowed, k.Value) {
			d.errorf(k, kp, "unknown key (allowed: %s)", strings.Join(allowed, ", "))
			continue
		}
		f(k.Value, p.v, kp)
	}
	return true
}

// sequence walks list n, calling f with each element and its path; it
// reports a non-list as "want <want>, got <kind>" and returns false.
func (d *decoder) sequence(n *yaml.Node, path, want string, f func(i int, e *yaml.Node, path string)) bool {
	n = resolve(n)
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, path, "want %s, got %s", want, describe(n))
		return false
	}
	for i, e := range n.Content {
		f(i, e, fmt.Sprintf("%s[%d]", path, i))
	}
	return true
}

// joinPath appends key to a dotted key path.
func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// resolve follows aliases.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// describe names the YAML type of n for "got …" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!str":
			return "string"
		case "!!int":
			return "integer"
		case "!!float":
			return "number"
		case "!!bool":
			return "boolean"
		case "!!null":
			return "null"
		case "!!timestamp":
			return "timestamp"
		}
		return n.ShortTag()
	case 0:
		return "nothing"
	}
	return "alias"
}

// str decodes a string scalar.
func (d *decoder) str(n *yaml.Node, path string) (string, bool) {
	n = resolve(n)
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		d.errorf(n, path, "want a string, got %s", describe(n))
		return "", false
	}
	return n.Value, true
}

// scalar decodes any non-null scalar as the string it was written as (argv
// elements and env values: "sleep 1" and KEY: 1 both mean text).
func (d *decoder) scalar(n *yaml.Node, path string) (string, bool) {
	n = resolve(n)
	if n.Kind != yaml.ScalarNode || n.ShortTag() == "!!null" {
		d.errorf(n, path, "want a string, got %s", describe(n))
		return "", false
	}
	return n.Value, true
}

// integer decodes an integer scalar.
func (d *decoder) integer(n *yaml.Node, path string) (int, bool) {
	n = resolve(n)
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
		d.errorf(n, path, "want an integer, got %s", describe(n))
		return 0, false
	}
	var i int
	if err := n.Decode(&i); err != nil {
		d.errorf(n, path, "invalid integer %q", n.Value)
		return 0, false
	}
	return i, true
}

// boolean decodes a boolean scalar.
func (d *decoder) boolean(n *yaml.Node, path string) (bool, bool) {
	n = resolve(n)
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
		d.errorf(n, path, "want true or false, got %s", describe(n))
		return false, false
	}
	var b bool
	if err := n.Decode(&b); err != nil {
		d.errorf(n, path, "invalid boolean %q", n.Value)
		return false, false
	}
	return b, true
}

// maxTimeout bounds timeouts so that seconds never overflow a Duration.
const maxTimeout = 7 * 24 * time.Hour

// duration decodes a positive duration: a Go duration string ("90s",
// "10m") or a number of seconds.
func (d *decoder) duration(n *yaml.Node, path string) (time.Duration, bool) {
	n = resolve(n)
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, path, "want a duration (e.g. 600s, 10m or integer seconds), got %s", describe(n))
		return 0, false
	}
	var t time.Duration
	switch n.ShortTag() {
	case "!!int", "!!float":
		sec, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil || math.IsNaN(sec) || sec > maxTimeout.Seconds() {
			d.errorf(n, path, "invalid duration %q (want e.g. 600s, 10m or integer seconds, at most %v)", n.Value, maxTimeout)
			return 0, false
		}
		t = time.Duration(sec * float64(time.Second))
	case "!!str":
		s := strings.TrimSpace(n.Value)
		if sec, err := strconv.Atoi(s); err == nil {
			if sec > int(maxTimeout.Seconds()) {
				d.errorf(n, path, "invalid duration %q (at most %v)", n.Value, maxTimeout)
				return 0, false
			}
			t = time.Duration(sec) * time.Second
		} else {
			var err error
			if t, err = time.ParseDuration(s); err != nil || t > maxTimeout {
				d.errorf(n, path, "invalid duration %q (want e.g. 600s, 10m or integer seconds, at most %v)", n.Value, maxTimeout)
				return 0, false
			}
		}
	default:
		d.errorf(n, path, "want a duration (e.g. 600s, 10m or integer seconds), got %s", describe(n))
		return 0, false
	}
	if t <= 0 {
		d.errorf(n, path, "duration must be positive, got %q", n.Value)
		return 0, false
	}
	return t, true
}

// field decodes a scalar gate setting with f's one parser (so the suite,
// the CLI and the action accept the same values).
func (d *decoder) field(n *yaml.Node, path string, f comparison.Field) (float64, bool) {
	n = resolve(n)
	switch n.ShortTag() {
	case "!!int", "!!float", "!!str":
	default:
		d.errorf(n, path, "want %s, got %s %q", f.Range(), describe(n), n.Value)
		return 0, false
	}
	x, err := f.Parse(n.Value)
	if err != nil {
		d.errorf(n, path, "%v", err)
		return 0, false
	}
	return x, true
}

// gpus decodes "gpus": "all", or a list of device indexes or UUIDs.
func (d *decoder) gpus(v *yaml.Node, path string) []string {
	if v.Kind == yaml.ScalarNode {
		if s, ok := d.str(v, path); ok {
			if s != "all" {
				d.errorf(v, path, `gpus: want "all" or a list of device indexes or UUIDs, got %q`, s)
				return nil
			}
			return []string{"all"}
		}
		return nil
	}
	if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
		d.errorf(v, path, `gpus: want "all" or a non-empty list of device indexes or UUIDs`)
		return nil
	}
	var out []string
	for i, e := range v.Content {
		var s string
		if e.Kind != yaml.ScalarNode || e.Decode(&s) != nil || strings.TrimSpace(s) == "" || strings.Contains(s, ",") {
			d.errorf(e, fmt.Sprintf("%s[%d]", path, i), "want a device index or UUID")
			continue
		}
		out = append(out, s)
	}
	return out
}

// envAllow decodes env-allow: "default", or a non-empty list of variable
// names, each optionally ending in "*" (a prefix), or "default".
func (d *decoder) envAllow(v *yaml.Node, path string) []string {
	const want = `env-allow: want "default" or a non-empty list of variable names (NAME, or PREFIX* for a prefix, or default)`
	if v.Kind == yaml.ScalarNode {
		if s, ok := d.str(v, path); ok {
			if s != "default" {
				d.errorf(v, path, "%s, got %q", want, s)
				return nil
			}
			return []string{"default"}
		}
		return nil
	}
	if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
		d.errorf(v, path, "%s", want)
		return nil
	}
	var out []string
	for i, e := range v.Content {
		var s string
		if e.Kind != yaml.ScalarNode || e.Decode(&s) != nil {
			s = ""
		}
		if name := strings.TrimSuffix(s, "*"); name == "" || strings.ContainsAny(name, "=* \t\n") {
			d.errorf(e, fmt.Sprintf("%s[%d]", path, i), "%s", want)
			continue
		}
		out = append(out, s)
	}
	return out
}

// pickList returns the first non-nil list.
func pickList(a, b []string) []string {
	if a != nil {
		return a
	}
	return b
}
