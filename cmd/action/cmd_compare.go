package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/report"
	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

// compareArgs are compare's flag values.
type compareArgs struct {
	base, head, format, output, inFormat, db string
	gate                                     gateFlags
	ab                                       *baselineFlags
}

func cmdCompare(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "compare", "[flags] OLD NEW   (or --base OLD --head NEW)",
		"Compare the candidate (NEW, --head) with the baseline (OLD, --base), series by\n"+
			"series, and print the verdict, as `benchstat old.txt new.txt` does. Each side is a\n"+
			"results file, or a stored run named by its id (ID or ID#ATTEMPT), a commit (full or\n"+
			"≥ 7 characters), a ref, \"latest\" or \"latest~N\".\n"+
			"Exit 1 when a series' severity reaches --fail-on (major by default) or a candidate\n"+
			"benchmark failed, 0 otherwise (always 0 with --fail-on never).")
	var a compareArgs
	fs.StringVar(&a.base, "base", "", "the baseline: run id, commit, ref or results file (required)")
	fs.StringVar(&a.head, "head", "", "the candidate: run id, commit, ref or results file (required)")
	fs.StringVar(&a.format, "format", "table", "output format: table, markdown or json (docs/schema/verdict.schema.json)")
	fs.StringVar(&a.output, "output", "", "write the verdict to this file instead of stdout")
	fs.StringVar(&a.inFormat, "input-format", "auto", "format of results files given as --base/--head: "+results.FormatNames())
	db := dbFlags(fs)
	a.gate.add(fs)
	a.ab = addBaselineFlags(fs)
	pos, err := parseInterleaved(e, fs, args)
	if err != nil {
		return err
	}
	if err := a.positional(pos); err != nil {
		return err
	}
	a.db = *db
	if err := oneOf("format", a.format, "table", "markdown", "json"); err != nil {
		return err
	}
	cfg, err := a.gate.config()
	if err != nil {
		return err
	}
	var c *comparison.Comparison
	var note string
	if a.ab.active() {
		c, note, err = a.ab.compare(ctx, e, a, cfg)
	} else {
		ls := &lazyStore{path: dbPath(e, a.db)}
		defer ls.close()
		c, err = compareSides(ctx, e, a.base, a.head, a.inFormat, ls.open(ctx), cfg)
	}
	if err != nil {
		return err
	}
	if len(c.Rows) == 0 && len(c.Failed) == 0 {
		return fmt.Errorf("no series in common between the baseline and the candidate")
	}
	o := comparison.OutcomeOf(c)
	if err := writeOutput(e, a.output, func(w io.Writer) error { return writeVerdict(w, a.format, note, o) }); err != nil {
		return err
	}
	return outcomeErr(o)
}

// parseInterleaved parses args like parseFlags, but lets positional
// arguments stand between flags (`compare old.txt new.txt --format json`),
// as the flag package alone stops at the first one. It returns the
// positional arguments in order; everything after "--" is positional.
func parseInterleaved(e *env, fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(e, fs, args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// positional takes OLD NEW as --base and --head.
func (a *compareArgs) positional(pos []string) error {
	switch {
	case len(pos) == 0:
		return nil
	case len(pos) != 2:
		return fmt.Errorf("want two arguments, OLD NEW (the baseline and the candidate); got %d: %s", len(pos), strings.Join(pos, " "))
	case a.base != "" || a.head != "":
		return errors.New("give the baseline and the candidate either as OLD NEW or as --base and --head, not both")
	}
	a.base, a.head = pos[0], pos[1]
	return nil
}

// writeVerdict writes o in format, with note (which baseline) above it.
func writeVerdict(w io.Writer, format, note string, o comparison.Outcome) error {
	switch format {
	case "markdown":
		if note != "" {
			fmt.Fprintf(w, "> %s\n\n", report.EscapeMarkdown(note))
		}
		return report.Markdown(w, o.Comparison)
	case "json":
		return report.JSON(w, o)
	}
	if note != "" {
		fmt.Fprintf(w, "%s\n\n", report.OneLine(note))
	}
	return report.Table(w, o.Comparison)
}

// writeOutput calls write with stdout, or with the file path ("" is
// stdout), reporting a failed close.
func writeOutput(e *env, path string, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(e.stdout)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("--output: %w", err)
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("--output: %w", err)
	}
	return nil
}

// loadSide resolves a compare side: an existing file is read as results;
// a name that looks like a file (results.LooksLikeFile) but is missing is
// an error that says so; anything else is a stored-run selector.
func loadSide(ctx context.Context, e *env, sel, format string, open func() (*store.DB, error)) ([]results.Result, comparison.Side, error) {
	fi, err := os.Stat(sel)
	switch {
	case err == nil && !fi.IsDir():
		rs, _, err := results.ReadFile(sel, format, e.log)
		return rs, comparison.Side{Label: sel}, err
	case errors.Is(err, fs.ErrNotExist) && results.LooksLikeFile(sel):
		return nil, comparison.Side{}, &results.MissingFileError{Path: sel}
	}
	st, err := open()
	if err != nil {
		return nil, comparison.Side{}, err
	}
	run, err := st.FindRun(ctx, sel)
	if err != nil {
		return nil, comparison.Side{}, err
	}
	rs, err := st.Results(ctx, run)
	if err != nil {
		return nil, comparison.Side{}, err
	}
	return rs, comparison.Side{Label: sel, RunID: fmt.Sprintf("%s#%d", run.ID, run.Attempt), Commit: run.Commit, Ref: run.Ref}, nil
}

// lazyStore opens the database at path read-only on first use.
type lazyStore struct {
	path string
	st   *store.DB
}

func (l *lazyStore) open(ctx context.Context) func() (*store.DB, error) {
	return func() (*store.DB, error) {
		if l.st == nil {
			st, err := store.OpenReadOnly(ctx, l.path)
			if err != nil {
				return nil, err
			}
			l.st = st
		}
		return l.st, nil
	}
}

func (l *lazyStore) close() {
	if l.st != nil {
		l.st.Close()
	}
}

// compareSides loads the baseline and the candidate (results files or
// stored runs of open's database, see loadSide) and compares them under cfg.
func compareSides(ctx context.Context, e *env, base, head, inFormat string, open func() (*store.DB, error), cfg comparison.Config) (*comparison.Comparison, error) {
	if base == "" || head == "" {
		return nil, errors.New("both the baseline and the candidate are required: OLD NEW, or --base and --head")
	}
	bRes, bSide, err := loadSide(ctx, e, base, inFormat, open)
	if err != nil {
		return nil, fmt.Errorf("--base: %w", err)
	}
	hRes, hSide, err := loadSide(ctx, e, head, inFormat, open)
	if err != nil {
		return nil, fmt.Errorf("--head: %w", err)
	}
	return cfg.Compare(bRes, hRes, bSide, hSide), nil
}
