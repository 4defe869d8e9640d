// Command benchgate gates pull requests on benchmark regressions. Built from
// cmd/action it is both the GitHub container action's entrypoint and, outside
// GitHub, the local command-line tool:
// `benchgate -h` lists its commands; every command documents its flags
// with -h. The product lives in internal/: these commands only parse
// flags, print, and map an outcome to an exit code.
//
// Exit codes: 0 pass; 1 regression (compare, or a failed benchmark in the
// candidate); 2 usage or infrastructure error; 3 one or more benchmarks of
// `run` failed (their failures are stored).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/benchgate/benchgate/internal/pipeline"
	"github.com/benchgate/benchgate/internal/report"
	"github.com/benchgate/benchgate/internal/store"
)

// Exit codes of benchgate.
const (
	exitPass       = 0
	exitRegression = 1
	exitError      = 2
	exitFailed     = 3
)

// exitError carries an exit code other than exitError up to main.
type exitCode struct {
	code int
	err  error
}

func (e *exitCode) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitCode) Unwrap() error { return e.err }

// env is how commands see the process: arguments, environment, streams.
type env struct {
	getenv func(string) string
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"run", "execute a suite and store its results", cmdRun},
		{"ingest", "store results produced elsewhere (native JSON, go test -bench text)", cmdIngest},
		{"import", "store a github-action-benchmark history (data.js), one run per commit", cmdImport},
		{"compare", "compare two runs, refs or files; exit 1 on a regression", cmdCompare},
		{"query", "print the raw timing table: every stored result with its status and metrics", cmdQuery},
		{"history", "print series' main-branch history with change points marked", cmdHistory},
		{"changes", "list the main branch's change points, grouped by suspect commit range", cmdChanges},
		{"report", "write the timing report as html, markdown or json", cmdReport},
		{"site", "write (and publish) the reports site: heatmaps, series charts, SQL", cmdSite},
		{"serve", "serve the reports site of a local database (the interactive dashboard)", cmdServe},
		{"hardware", "list hardware platforms and whether they are available", cmdHardware},
		{"eval", "measure the gate's false alarms and power on synthetic data", cmdEval},
		{"save", "merge the local runs into the data branch of a git remote", cmdSave},
		{"fetch", "bring the data branch's database down from a git remote", cmdFetch},
		{"export", "write the database's tables as Parquet, CSV or JSON", cmdExport},
		{"prune", "drop raw samples outside the retention window", cmdPrune},
		{"action", "run as the GitHub container action (the default in GitHub Actions)", cmdAction},
		{"comment", "post a fork PR's comment and check from its results file (workflow_run)", cmdComment},
		{"version", "print the version", cmdVersion},
	}
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "usage: benchgate <command> [flags]\n\ncommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'benchgate <command> -h' for the flags of a command.\n"+
		"benchgate --version (or -v) prints the version.\n"+
		"Exit codes: 0 pass, 1 regression, 2 usage or infrastructure error, 3 benchmarks failed during run.\n")
}

// run is main without os.Exit: it returns the process exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	e := &env{getenv: getenv, stdout: stdout, stderr: stderr,
		log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: pipeline.LogLevel(getenv, slog.LevelInfo)}))}
	if len(args) == 0 && getenv("GITHUB_ACTIONS") == "true" {
		args = []string{"action"} // the container action's entrypoint without arguments
	}
	if len(args) == 0 {
		usage(stderr)
		return exitError
	}
	name := args[0]
	if name == "--version" || name == "-version" || name == "-v" {
		name = "version"
	}
	if name == "-h" || name == "--help" || name == "help" {
		usage(stdout)
		return exitPass
	}
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		err := c.run(store.WithLog(ctx, e.log), e, args[1:])
		var ec *exitCode
		switch {
		case err == nil:
			return exitPass
		case errors.As(err, &ec):
			if ec.err != nil {
				fmt.Fprintf(stderr, "benchgate %s: %s\n", name, report.OneLine(ec.err.Error()))
			}
			return ec.code
		case errors.Is(err, errHelp):
			return exitPass
		}
		fmt.Fprintf(stderr, "benchgate %s: %s\n", name, report.OneLine(err.Error()))
		return exitError
	}
	fmt.Fprintf(stderr, "benchgate: unknown command %q\n\n", name)
	usage(stderr)
	return exitError
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
