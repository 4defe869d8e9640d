package actions

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/forge"
	"github.com/benchgate/benchgate/internal/hardware"
	"github.com/benchgate/benchgate/internal/results"
)

// Input describes one action input: its name as in action.yml (kebab-case,
// the CLI flag's and the suite key's name), its default and its meaning.
// action.yml and docs/action.md list the same inputs; a test checks it.
type Input struct {
	Name        string
	Default     string
	Description string
}

// InputSpecs returns benchgate's action inputs, in action.yml's order.
func InputSpecs() []Input {
	return []Input{
		{"suite", "", "Suite file to run (default benchgate.yml when neither command nor results-file is set); with results-file, only its thresholds apply."},
		{"models", "", "Comma list of models for the suite's matrix (overrides the suite's)."},
		{"hardware", "", "Comma list of hardware types for the suite's matrix: " + strings.Join(hardware.Types, ", ") + "."},
		{"batch-sizes", "", "Comma list of batch sizes for the suite's matrix, e.g. 1,8,32."},
		{"command", "", "A benchmark command line to run instead of a suite file (its output read in format)."},
		{"format", "auto", "Format of the results read from command or results-file: " + results.FormatNames() + "."},
		{"results-file", "", "Ingest-only mode: comma list of results files written by earlier steps (the recommended way for GPUs: run the benchmarks on the host, gate in the action)."},
		{"github-token", "${{ github.token }}", "Token for the PR comment and the check run; needs pull-requests: write and checks: write. Removed from the benchmark's environment."},
		{"data-branch", "benchgate-data", "Git branch holding the DuckDB history."},
		{"save-on", "", "Comma list of refs or patterns whose runs may write the data branch, e.g. main,refs/heads/release/* (default the repository's default branch). Pull requests never write."},
		{"compare-mode", "auto", "same-runner (run base and head interleaved on this runner), history (compare with the data branch's baseline) or auto (history when it has a baseline, else same-runner)."},
		{"floor", "", "Minimum practical change for every metric, e.g. 5% or 0.05 (default the suite's, else the gate's)."},
		{"alpha", "", "Significance level for every metric, e.g. 0.05 (default the suite's, else the gate's)."},
		{"fail-on", "major", "Fail the step on regressions of at least this severity: minor, major, critical, or never (report only)."},
		{"comment-on-pr", "always", "always (create or update the PR comment), on-change (only when something changed, but always update an existing one) or never."},
		{"job-summary", "true", "Write the report to the job summary: true or false."},
	}
}

// Inputs are the validated action inputs.
type Inputs struct {
	Suite       string
	Models      []string
	Hardware    []string
	BatchSizes  []int
	Command     string
	Format      results.Format
	ResultsFile []string
	GitHubToken forge.Token
	DataBranch  string
	SaveOn      []string
	CompareMode string // same-runner, history or auto
	// Gate holds floor, alpha and fail-on, parsed by the gate
	// configuration's own parsers (the suite's thresholds are added later).
	Gate        comparison.Config
	CommentOnPR string // always, on-change or never
	JobSummary  bool
	// Unknown lists INPUT_* variables that are not benchgate inputs (a
	// misspelt `with:` key); callers warn about them.
	Unknown []string
}

// InputError is a malformed input; Error names it.
type InputError struct {
	Name  string
	Value string
	Msg   string
	// Err, when set, is the parser's error (it quotes the value itself).
	Err error
}

func (e *InputError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("input %s: %v", e.Name, e.Err)
	}
	return fmt.Sprintf("input %s: %q: %s", e.Name, e.Value, e.Msg)
}

func (e *InputError) Unwrap() error { return e.Err }

// ReadInputs reads and validates every input from the runner's INPUT_*
// variables (upper-cased, hyphens kept: INPUT_BATCH-SIZES). environ lists
// the process environment ("NAME=value") to find unknown inputs; values
// are read through getenv and trimmed. An absent input takes its default
// from InputSpecs (the runner merges action.yml's defaults, but the CLI
// and tests may not). All malformed inputs are reported, joined.
func ReadInputs(getenv func(string) string, environ []string) (*Inputs, error) {
	specs := InputSpecs()
	get := func(name string) string {
		v := strings.TrimSpace(getenv(envName(name)))
		if v == "" {
			for _, s := range specs {
				if s.Name == name && !strings.HasPrefix(s.Default, "${{") {
					return s.Default
				}
			}
		}
		return v
	}
	in := &Inputs{}
	var errs []error
	bad := func(name, value, format string, args ...any) {
		errs = append(errs, &InputError{Name: name, Value: value, Msg: fmt.Sprintf(format, args...)})
	}
	in.Suite = get("suite")
	if in.Suite != "" && !cleanPath(in.Suite) {
		bad("suite", in.Suite, "want a file path")
	}
	in.Models = list(get("models"))
	for _, m := range in.Models {
		if !nameLike(m) {
			bad("models", m, "want letters, digits and . _ / - only")
		}
	}
	in.Hardware = list(get("hardware"))
	for _, h := range in.Hardware {
		if !slices.Contains(hardware.Types, h) {
			bad("hardware", h, "want one of %s", strings.Join(hardware.Types, ", "))
		}
	}
	for _, b := range list(get("batch-sizes")) {
		n, err := strconv.Atoi(b)
		if err != nil || n < 1 {
			bad("batch-sizes", b, "want a positive integer")
			continue
		}
		in.BatchSizes = append(in.BatchSizes, n)
	}
	in.Command = get("command")
	if strings.ContainsRune(in.Command, 0) {
		bad("command", in.Command, "contains a NUL byte")
	}
	f, err := results.ParseFormat(get("format"))
	if err != nil {
		bad("format", get("format"), "want one of %s", results.FormatNames())
	}
	in.Format = f
	in.ResultsFile = list(get("results-file"))
	for _, p := range in.ResultsFile {
		if !cleanPath(p) {
			bad("results-file", p, "want a file path")
		}
	}
	if in.Command != "" && len(in.ResultsFile) > 0 {
		bad("command", in.Command, "command and results-file exclude each other: run the benchmark, or ingest its results")
	}
	if in.Suite == "" && in.Command == "" && len(in.ResultsFile) == 0 {
		in.Suite = "benchgate.yml"
	}
	in.GitHubToken = forge.Token(get("github-token"))
	in.DataBranch = get("data-branch")
	if !branchName(in.DataBranch) {
		bad("data-branch", in.DataBranch, "want a valid git branch name")
	}
	in.SaveOn = list(get("save-on"))
	for _, r := range in.SaveOn {
		if _, err := path.Match(r, ""); err != nil || strings.ContainsAny(r, " \t~^:\\") {
			bad("save-on", r, "want a ref or a ref pattern such as main or refs/heads/release/*")
		}
	}
	in.CompareMode = oneOf(get("compare-mode"), "compare-mode", bad, "same-runner", "history", "auto")
	// Note: the gate configuration's own parsers, so that an input accepts
	// exactly what the suite file and the CLI flag accept.
	for _, f := range []comparison.Field{comparison.FloorField, comparison.AlphaField} {
		v := get(f.Name)
		if v == "" {
			continue
		}
		x, err := f.Parse(v)
		if err != nil {
			errs = append(errs, &InputError{Name: f.Name, Value: v, Err: err})
			continue
		}
		if f.Name == comparison.FloorField.Name {
			in.Gate.Floor = &x
		} else {
			in.Gate.Alpha = &x
		}
	}
	if fo, err := comparison.ParseFailOn(get("fail-on")); err != nil {
		errs = append(errs, &InputError{Name: "fail-on", Value: get("fail-on"), Err: err})
	} else {
		in.Gate.FailOn = fo
	}
	in.CommentOnPR = oneOf(get("comment-on-pr"), "comment-on-pr", bad, "always", "on-change", "never")
	switch v := get("job-summary"); strings.ToLower(v) {
	case "true":
		in.JobSummary = true
	case "false":
	default:
		bad("job-summary", v, "want true or false")
	}
	in.Unknown = unknownInputs(environ, specs)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return in, nil
}

// envName is the variable the runner sets for input name: INPUT_ and the
// name upper-cased with spaces as '_' (hyphens stay).
func envName(name string) string {
	return "INPUT_" + strings.ToUpper(strings.ReplaceAll(name, " ", "_"))
}

func unknownInputs(environ []string, specs []Input) []string {
	var out []string
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(k, "INPUT_") {
			continue
		}
		known := false
		for _, s := range specs {
			if envName(s.Name) == k {
				known = true
				break
			}
		}
		if !known {
			out = append(out, strings.ToLower(strings.TrimPrefix(k, "INPUT_")))
		}
	}
	slices.Sort(out)
	return out
}

func list(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func oneOf(v, name string, bad func(string, string, string, ...any), allowed ...string) string {
	if !slices.Contains(allowed, v) {
		bad(name, v, "want one of %s", strings.Join(allowed, ", "))
	}
	return v
}

func nameLike(s string) bool {
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("._/-", r)) {
			return false
		}
	}
	return s != ""
}

// cleanPath accepts relative or absolute paths without NUL or newlines.
func cleanPath(p string) bool { return p != "" && !strings.ContainsAny(p, "\x00\n\r") }

// branchName applies git check-ref-format's rules for a branch name.
func branchName(b string) bool {
	if b == "" || b == "@" || strings.HasPrefix(b, "-") || strings.HasPrefix(b, "/") || strings.HasSuffix(b, "/") ||
		strings.HasSuffix(b, ".") || strings.HasSuffix(b, ".lock") || strings.Contains(b, "..") ||
		strings.Contains(b, "//") || strings.Contains(b, "@{") || strings.Contains(b, "/.") || strings.HasPrefix(b, ".") {
		return false
	}
	for _, r := range b {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(" ~^:?*[\\", r) {
			return false
		}
	}
	return true
}
