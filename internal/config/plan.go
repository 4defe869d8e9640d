package config

import (
	"errors"
	"fmt"
	"strconv"
)

// PlanOptions overrides the matrix's dimensions, as the command-line flags
// --models, --hardware, --batch-sizes and --no-small-models do. Nil fields
// keep the suite file's values.
type PlanOptions struct {
	Models      []string
	Hardware    []string
	BatchSizes  []int
	SmallModels *bool
	// DetectedHardware is the hardware detection found, used when neither
	// Hardware nor the suite file names any; nil falls back to
	// DefaultHardware. It is the hook for the hardware package.
	DetectedHardware []string
}

// Job is one benchmark command to run (each repetition runs it once).
type Job struct {
	// Benchmark is the suite benchmark the job comes from; it points into
	// Suite.Benchmarks and must not be modified.
	Benchmark *Benchmark
	// Name is "model/hardware/bs=N" for a matrix job, the benchmark's name
	// for a plain one.
	Name string
	// Model, Hardware and BatchSize are set for matrix jobs only.
	Model, Hardware string
	BatchSize       int
	// Argv is the command with every placeholder expanded except {output}
	// and {repetition}, and with "{{" escapes still in place: use Expand to
	// get the argv to run. With shell "bash" it is one script.
	Argv []string
}

// Plan returns the jobs to run: the matrix expanded model by model, hardware
// by hardware, batch size by batch size, then one job per plain benchmark.
// Overrides in o are validated; an override with no matrix to apply to is an
// error.
func (s *Suite) Plan(o PlanOptions) ([]Job, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	var m *Benchmark
	for i := range s.Benchmarks {
		if s.Benchmarks[i].Matrix != nil {
			m = &s.Benchmarks[i]
		}
	}
	if m == nil && (o.Models != nil || o.Hardware != nil || o.BatchSizes != nil || o.SmallModels != nil) {
		return nil, fmt.Errorf("suite %s: models, hardware, batch sizes or small models given, but the suite has no matrix", s.File)
	}
	var jobs []Job
	for i := range s.Benchmarks {
		b := &s.Benchmarks[i]
		if b.Matrix == nil {
			jobs = append(jobs, Job{Benchmark: b, Name: b.Name, Argv: expandAll(b, nil)})
			continue
		}
		models := override(o.Models, b.Matrix.Models)
		hardware := override(o.Hardware, b.Matrix.Hardware)
		if hardware == nil {
			hardware = override(o.DetectedHardware, DefaultHardware)
		}
		sizes := override(o.BatchSizes, b.Matrix.BatchSizes)
		small := b.Matrix.SmallModels
		if o.SmallModels != nil {
			small = *o.SmallModels
		}
		for _, model := range models {
			for _, hw := range hardware {
				for _, bs := range sizes {
					vals := map[string]string{
						phModel:       model,
						phHardware:    hw,
						phBatchSize:   strconv.Itoa(bs),
						phSmallModels: strconv.FormatBool(small),
					}
					jobs = append(jobs, Job{
						Benchmark: b,
						Name:      fmt.Sprintf("%s/%s/bs=%d", model, hw, bs),
						Model:     model,
						Hardware:  hw,
						BatchSize: bs,
						Argv:      expandAll(b, vals),
					})
				}
			}
		}
	}
	return jobs, nil
}

// check validates the overrides.
func (o PlanOptions) check() error {
	var errs []error
	if o.Models != nil {
		if err := checkModels(o.Models); err != nil {
			errs = append(errs, fmt.Errorf("models: %w", err))
		}
	}
	if o.Hardware != nil {
		if err := checkHardwareList(o.Hardware); err != nil {
			errs = append(errs, fmt.Errorf("hardware: %w", err))
		}
	}
	if o.DetectedHardware != nil {
		if err := checkHardwareList(o.DetectedHardware); err != nil {
			errs = append(errs, fmt.Errorf("detected hardware: %w", err))
		}
	}
	if o.BatchSizes != nil {
		if err := checkBatchSizes(o.BatchSizes); err != nil {
			errs = append(errs, fmt.Errorf("batch-sizes: %w", err))
		}
	}
	return errors.Join(errs...)
}

// override returns a copy of o when set, else of def.
func override[T any](o, def []T) []T {
	if o != nil {
		return append([]T(nil), o...)
	}
	if def == nil {
		return nil
	}
	return append([]T(nil), def...)
}

// expandAll expands vals into every element of b's command, quoting the
// values for a bash script.
func expandAll(b *Benchmark, vals map[string]string) []string {
	if b.Shell == "bash" {
		for k, v := range vals {
			vals[k] = quoteArg(v)
		}
	}
	out := make([]string, len(b.Command))
	for i, a := range b.Command {
		out[i] = expand(a, vals, false)
	}
	return out
}

// UsesOutput reports whether the command writes its result to {output};
// when it does not, its stdout is the result.
func (j *Job) UsesOutput() bool {
	for _, a := range j.Argv {
		for _, name := range findPlaceholders(a) {
			if name == phOutput {
				return true
			}
		}
	}
	return false
}

// Expand returns the argv to run for one repetition (counted from 1): {output}
// becomes output, {repetition} the number, and "{{" a "{". For shell "bash"
// the values are shell-quoted into the script, so a script must not quote
// placeholders itself. The result is a new slice.
func (j *Job) Expand(output string, repetition int) []string {
	vals := map[string]string{phOutput: output, phRepetition: strconv.Itoa(repetition)}
	if j.Benchmark != nil && j.Benchmark.Shell == "bash" {
		for k, v := range vals {
			vals[k] = quoteArg(v)
		}
	}
	out := make([]string, len(j.Argv))
	for i, a := range j.Argv {
		out[i] = expand(a, vals, true)
	}
	return out
}
