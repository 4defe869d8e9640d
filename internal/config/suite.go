package config

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/benchgate/benchgate/internal/comparison"
)

// Defaults for the keys a suite file may leave out.
const (
	DefaultFormat      = "native"
	DefaultRepetitions = 1
	// DefaultTimeout is the seed's per-run timeout.
	DefaultTimeout = 600 * time.Second
	// DefaultMatrixName names the matrix benchmark when the file does not.
	DefaultMatrixName = "matrix"
	// MaxVersion is the newest suite file version this package reads.
	MaxVersion = 1
)

// Suite is a validated suite file.
type Suite struct {
	// Name is the suite's name: the file's "name", else the file's base name
	// without its extension.
	Name string
	// File is the file name given to Parse or Load.
	File string
	// Benchmarks holds the matrix first, when there is one, then the plain
	// benchmarks in file order. Names are unique.
	Benchmarks []Benchmark
}

// Benchmark is one command to run: a plain benchmark, or the matrix's
// command template (Matrix set). Defaults are already applied.
type Benchmark struct {
	Name string
	// Command is the argv, with placeholders. With Shell "bash" it holds
	// exactly one element, the script run as bash -c.
	Command []string
	// Shell is "" (argv, no shell) or "bash".
	Shell string
	// Format is the canonical result format of the output, as
	// results.ParseFormat names it: "native" (default), "go" or "auto".
	Format      string
	Repetitions int // ≥ 1
	Timeout     time.Duration
	// Dir is the working directory: the suite file's directory joined with
	// "workdir" (absolute when the suite came from Load).
	Dir string
	// Env is extra environment for the command; never nil.
	Env map[string]string
	// EnvAllow, when set (suite key env-allow), lists the only variables
	// of benchgate's environment the command gets (before Env is added):
	// names, prefixes ending in "*", and "default" for
	// runner.DefaultEnvAllow. nil passes every variable that is not a
	// secret (runner.ScrubEnv applies either way).
	EnvAllow []string
	// Thresholds are per metric name; never nil.
	Thresholds map[string]comparison.Threshold
	// Image, when set, runs the command in a sibling container of that
	// image on the local Docker engine, with the working directory's
	// workspace mounted (see runner.ContainerBackend).
	Image string
	// GPUs are requested for containers of jobs on cuda hardware: ["all"]
	// (the default when nil) or device indexes or UUIDs.
	GPUs []string
	// Matrix is nil for a plain benchmark.
	Matrix *MatrixInfo
}

// MatrixInfo is what the file says about the matrix's dimensions.
type MatrixInfo struct {
	Models []string // DefaultModels when the file names none
	// Hardware is nil when the file names none: Plan then uses the command
	// line, detection or DefaultHardware, in that order.
	Hardware    []string
	BatchSizes  []int // DefaultBatchSizes when the file names none
	SmallModels bool  // default true, as in the seed
}

// Load reads and parses the suite file at path. Working directories are
// resolved against the file's absolute directory.
func Load(path string) (*Suite, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading suite file: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("suite file %s: %w", path, err)
	}
	return parse(data, path, filepath.Dir(abs))
}

// Parse parses a suite file's contents; fileName names it in errors, and its
// directory is the base of relative working directories. All problems are
// returned together (errors.Join of [*Error]s).
func Parse(data []byte, fileName string) (*Suite, error) {
	return parse(data, fileName, filepath.Dir(fileName))
}

// GateThresholds are the suite's per-metric thresholds (metric or
// metric@hardware keys) for the gate. Thresholds apply by metric across the
// suite, so two benchmarks that set the same metric differently are an
// error naming both, rather than one silently overriding the other.
func (s *Suite) GateThresholds() (comparison.Thresholds, error) {
	th := comparison.Thresholds{}
	setBy := map[string]string{}
	for _, b := range s.Benchmarks {
		for metric, t := range b.Thresholds {
			if prev, ok := th[metric]; ok && !prev.Same(t) {
				return nil, fmt.Errorf("suite %s: benchmarks %q and %q set different thresholds for metric %q; thresholds apply per metric across the suite (use metric@hardware keys, or one value)",
					s.Name, setBy[metric], b.Name, metric)
			}
			th[metric], setBy[metric] = t, b.Name
		}
	}
	return th, nil
}
