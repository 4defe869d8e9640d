// Package config reads a benchgate suite file (benchgate.yml) and turns it
// into a validated plan: the list of [Job]s the runner executes.
//
// A suite has two forms, both allowed in one file: a matrix (the seed's
// models × hardware × batch sizes, one command template) and a plain list of
// benchmarks (one command each). A defaults section applies to both unless a
// benchmark overrides a key; thresholds and env are merged key by key, a
// benchmark's entry winning.
//
// The pipeline is:
//
//  1. [Parse] decodes the file through a yaml.Node tree, so that every
//     problem is reported as an [*Error] naming file, line and key path
//     ("benchgate.yml:12: benchmarks[0].timeout: invalid duration "abc"").
//     Unknown keys, wrong types and invalid values are all collected and
//     returned together with errors.Join; nothing is silently ignored.
//  2. [Suite.Plan] expands the matrix (after the command-line overrides in
//     [PlanOptions]) into one [Job] per model × hardware × batch size, and
//     each plain benchmark into one job.
//  3. The runner calls [Job.Expand] for each repetition to fill in the
//     placeholders known only at run time, {output} and {repetition}.
//
// Command placeholders are {model}, {hardware}, {batch_size},
// {small_models} (matrix only), {output} and {repetition}. Write {{ for a
// literal "{"; "${name}" is left alone for the shell. Commands are argv
// lists; only "shell: bash" makes the command one string run as bash -c, and
// then every substituted value is shell-quoted. An argv is never built into
// a shell line.
//
// Format names are checked with results.ParseFormat, the one list of input
// formats.
//
// Dependencies: go.yaml.in/yaml/v3, the maintained YAML 1.2 decoder whose
// Node tree keeps line numbers, which error messages need and which decoding
// straight into structs loses.
package config
