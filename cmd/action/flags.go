package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"

	"strings"

	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/config"
	"github.com/benchgate/benchgate/internal/store"
)

// errHelp is returned when -h was asked for: usage was printed, exit 0.
var errHelp = errors.New("help requested")

// newFlags returns a flag set that prints "usage: benchgate name synopsis",
// the description and every flag with its default.
func newFlags(e *env, name, synopsis, description string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: benchgate %s %s\n\n%s\n\nflags:\n", name, synopsis, description)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, turning -h into errHelp (usage to stdout) and
// other problems into usage errors (exit 2).
func parseFlags(e *env, fs *flag.FlagSet, args []string) error {
	// The flag package prints the problem and the usage itself; keep it
	// quiet and print once, to stdout for -h and to stderr for an error.
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(e.stdout)
		fs.Usage()
		return errHelp
	}
	fmt.Fprintln(e.stderr, err)
	fs.SetOutput(e.stderr)
	fs.Usage()
	return &exitCode{code: exitError} // the problem and the usage are printed
}

// dbFlags adds --db and its alias --db-path (the Python original's name).
func dbFlags(fs *flag.FlagSet) *string {
	var db string
	help := "path of the DuckDB database (default: $BENCHMARK_DB_PATH, else " + store.DefaultPath + ")"
	fs.StringVar(&db, "db", "", help)
	fs.StringVar(&db, "db-path", "", "alias of --db")
	return &db
}

// dbPath resolves the database path: flag, then BENCHMARK_DB_PATH, then the default.
func dbPath(e *env, flagValue string) string {
	return store.PathFromEnv(flagValue, e.getenv)
}

// parseList splits a comma list, trimming blanks; "" gives nil.
func parseList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// parseInts parses a comma list of positive integers for flag name.
func parseInts(name, s string) ([]int, error) {
	var out []int
	for _, f := range parseList(s) {
		n, err := strconv.Atoi(f)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("--%s: %q is not a positive integer", name, f)
		}
		out = append(out, n)
	}
	return out, nil
}

// gateFlags are the flags that set the gate's configuration.
type gateFlags struct {
	suite, floor, alpha, failOn string
}

func (g *gateFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&g.suite, "suite", "", "suite file whose per-metric thresholds apply (optional)")
	fs.StringVar(&g.floor, "floor", "", "minimum practical change for every metric, in [0%, 100%), e.g. 5% or 0.05 (default: the suite's, else the gate's 1%)")
	fs.StringVar(&g.alpha, "alpha", "", "one-sided significance level for every metric, in (0, 0.5], e.g. 0.01 (default: the suite's, else the gate's)")
	fs.StringVar(&g.failOn, "fail-on", "major", "least regression severity that exits 1: minor, major, critical or never (never only reports: a failed benchmark does not fail either)")
}

// config is the gate configuration of the flags: the suite's thresholds,
// then --floor, --alpha and --fail-on.
func (g *gateFlags) config() (comparison.Config, error) {
	var c comparison.Config
	if g.suite != "" {
		s, err := config.Load(g.suite)
		if err != nil {
			return c, fmt.Errorf("--suite: %w", err)
		}
		if c.Thresholds, err = s.GateThresholds(); err != nil {
			return c, fmt.Errorf("--suite: %w", err)
		}
	}
	err := c.Apply(comparison.Overrides{Floor: g.floor, Alpha: g.alpha, FailOn: g.failOn}, func(s string) string { return "--" + s })
	return c, err
}

// oneOf checks that flag name's value is one of allowed.
func oneOf(name, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return fmt.Errorf("--%s: %q is not one of %s", name, v, strings.Join(allowed, ", "))
}
