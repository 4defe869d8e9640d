package site

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/benchgate/benchgate/gate"
	"github.com/benchgate/benchgate/internal/comparison"
	gitcmd "github.com/benchgate/benchgate/internal/git"
	"github.com/benchgate/benchgate/internal/history"
	"github.com/benchgate/benchgate/internal/report"
	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
	"golang.org/x/sync/errgroup"
)

// Options say what Build writes.
type Options struct {
	// Out is the site's directory. It is replaced as a whole once the new
	// site is complete; a directory that is not empty and not a benchgate
	// site is refused.
	Out string
	// Branch is the main branch analysed ("" is the data's main branch,
	// history.Analyze's choice).
	Branch string
	// Repo ("owner/name") and ServerURL (default https://github.com) make
	// commit and compare links; without Repo there are none.
	Repo, ServerURL string
	// Title is the site's title (default "<repo> benchmarks"), and Note a
	// line shown under it (e.g. what a report's window leaves out).
	Title, Note string
	// Issues maps the first bad commit of a suspect range to the URL of
	// its regression issue (the bot's), and Accepted the first bad commit of
	// a range a maintainer accepted as the new baseline to a note ("accepted
	// in #12"): shown accepted, not open.
	Issues, Accepted map[string]string
	// Config grades severities, as in history.Options.
	Config comparison.Config
	// Comparison, when set, is a verdict of a candidate against its
	// baseline shown on the overview (benchgate report --base --head).
	Comparison *comparison.Comparison
	// MaxBranches is how many branches other than the main one are shown
	// (most runs first); default 20.
	MaxBranches int
	// Downloads writes Parquet and CSV files of every table and a copy of
	// the database file (given as DBFile) for download.
	Downloads bool
	DBFile    string
	// Since, when set, keeps only the runs created at or after it.
	Since time.Time
	// Analysis, when set, is the main branch's analysis of the store,
	// history.Analyze's with MainOptions: a caller that has made it (the
	// bot's sync) spares Build making it again, half of a year's build.
	Analysis *history.Analysis
	// Now is the build time (default time.Now).
	Now func() time.Time
	// Log receives progress (default: discarded).
	Log *slog.Logger
}

// Stats say what Build wrote.
type Stats struct {
	Series   int
	Files    int
	Bytes    int64
	Analysis time.Duration // reading the store and finding change points
	Elapsed  time.Duration
}

// chunkPoints is the number of main-branch points of a series file, and
// of each older chunk (a variable for tests).
var chunkPoints = 1000

// maxChanges is the number of recent change points in the manifest.
const maxChanges = 200

// Build writes the static site of the store st into o.Out.
func Build(ctx context.Context, st *store.DB, o Options) (Stats, error) {
	start := time.Now()
	o = o.withDefaults()
	if err := checkOut(o.Out); err != nil {
		return Stats{}, err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(filepath.Clean(o.Out)), ".benchgate-site-*")
	if err != nil {
		return Stats{}, fmt.Errorf("building the site in %s: %w", o.Out, err)
	}
	defer os.RemoveAll(tmp)
	w := &writer{dir: tmp}
	files, bytes, err := copyBundle(tmp, o.Downloads)
	if err != nil {
		return Stats{}, err
	}
	w.files, w.bytes = files, bytes
	if err := w.file(".nojekyll", nil); err != nil { // GitHub Pages: serve the files as they are
		return Stats{}, err
	}
	b, err := load(ctx, st, o, w)
	if err != nil {
		return Stats{}, err
	}
	stats := Stats{Analysis: time.Since(start)}
	o.Log.Info("site: analysed the store", "series", len(b.order), "elapsed", stats.Analysis.Round(time.Millisecond))
	if err := b.write(ctx); err != nil {
		return Stats{}, err
	}
	if err := replaceDir(tmp, o.Out); err != nil {
		return Stats{}, err
	}
	stats.Series, stats.Files, stats.Bytes, stats.Elapsed = len(b.order), w.files, w.bytes, time.Since(start)
	return stats, nil
}

func (o Options) withDefaults() Options {
	if o.ServerURL == "" {
		o.ServerURL = "https://github.com"
	}
	if o.Title == "" {
		o.Title = "benchgate"
		if o.Repo != "" {
			o.Title = o.Repo + " benchmarks"
		}
	}
	if o.MaxBranches == 0 {
		o.MaxBranches = 20
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return o
}

// checkOut refuses an output directory that holds something other than a
// benchgate site.
func checkOut(out string) error {
	if out == "" {
		return errors.New("no output directory: give --out DIR")
	}
	entries, err := os.ReadDir(out)
	if errors.Is(err, os.ErrNotExist) || (err == nil && len(entries) == 0) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("checking the site directory %s: %w", out, err)
	}
	if _, err := os.Stat(filepath.Join(out, "data", "manifest.json")); err != nil {
		return fmt.Errorf("%s is not empty and holds no benchgate site (no data/manifest.json): choose a new or empty directory, it would be replaced", out)
	}
	return nil
}

// replaceDir puts the complete site tmp in place of out.
func replaceDir(tmp, out string) error {
	old := ""
	if _, err := os.Stat(out); err == nil {
		old = tmp + ".old"
		if err := os.Rename(out, old); err != nil {
			return fmt.Errorf("replacing the site in %s: %w", out, err)
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			_ = os.Rename(old, out)
		}
		return fmt.Errorf("replacing the site in %s: %w", out, err)
	}
	if err := os.Chmod(out, 0o755); err != nil {
		return fmt.Errorf("replacing the site in %s: %w", out, err)
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// writer writes the site's files and counts them: into dir, or with dir
// empty into mem (a single-file report). Its methods may be called from
// several goroutines.
type writer struct {
	dir   string
	mu    sync.Mutex // guards mem, files and bytes
	mem   map[string]json.RawMessage
	files int
	bytes int64
}

// json writes v as the file at path p (slash-separated, relative).
func (w *writer) json(p string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding %s: %w", p, err)
	}
	return w.file(p, data)
}

func (w *writer) file(p string, data []byte) error {
	if w.dir != "" {
		dst := filepath.Join(w.dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return fmt.Errorf("writing the site: %w", err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return fmt.Errorf("writing the site: %w", err)
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.dir == "" {
		w.mem[p] = data
	}
	w.files++
	w.bytes += int64(len(data))
	return nil
}

// count counts a file of n bytes written by another means.
func (w *writer) count(n int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.files++
	w.bytes += n
}

// builder holds what Build reads before it writes.
type builder struct {
	st *store.DB
	o  Options
	w  *writer

	main     *history.Analysis
	groupOf  map[*history.Change]string // each main-branch change point's range (groupIDs)
	branches []branchInfo
	ids      map[results.SeriesKey]*seriesFile
	order    []results.SeriesKey
	status   map[results.SeriesKey]entry
	commits  []commitInfo
	commitAt map[string]int
}

// load returns the builder of st's site, written by w, with the main
// branch analysed and the other branches read.
func load(ctx context.Context, st *store.DB, o Options, w *writer) (*builder, error) {
	b := &builder{st: st, o: o, w: w, ids: map[results.SeriesKey]*seriesFile{}, commitAt: map[string]int{}}
	return b, b.load(ctx)
}

// MainOptions are the options of the main branch's analysis that Build
// makes of the store (or is given as Analysis).
func (o Options) MainOptions() history.Options {
	return history.Options{Branch: o.Branch, Config: o.Config, Since: o.Since}
}

func (b *builder) load(ctx context.Context) error {
	var err error
	a := b.o.Analysis
	if a == nil {
		a, err = history.Analyze(ctx, b.st, b.o.MainOptions())
	}
	switch {
	case errors.Is(err, history.ErrNoData) && b.o.Branch == "":
		a = &history.Analysis{} // an empty store: a site that says so
	case err != nil:
		return err
	}
	b.main = a
	b.status = map[results.SeriesKey]entry{}
	mainRef := a.Ref
	for _, c := range a.Commits {
		b.commit(c.Commit, c.First, mainRef)
	}
	b.groupOf = b.groupIDs()
	for _, s := range a.Series {
		f := b.series(s.Key, s.Unit, s.Better, s.Exact)
		b.addPoints(f, history.RefName(mainRef), s.Points)
		b.addChanges(f, s)
	}
	if len(a.Series) > 0 || mainRef != "" {
		b.branches = append(b.branches, branchInfo{Name: history.RefName(mainRef), Series: len(a.Series)})
	}
	refs, err := b.st.Refs(ctx)
	if err != nil {
		return err
	}
	shown := 0
	for _, r := range refs {
		if r.Ref == mainRef {
			b.branches[0].Runs = r.Runs
			continue
		}
		if r.Ref == "" || shown == b.o.MaxBranches {
			continue
		}
		shown++
		ba, err := history.Analyze(ctx, b.st, history.Options{Branch: r.Ref, Config: b.o.Config, Since: b.o.Since})
		if errors.Is(err, history.ErrNoData) {
			continue
		}
		if err != nil {
			return err
		}
		for _, c := range ba.Commits {
			b.commit(c.Commit, c.First, r.Ref)
		}
		for _, s := range ba.Series {
			b.addPoints(b.series(s.Key, s.Unit, s.Better, s.Exact), r.Ref, s.Points)
		}
		b.branches = append(b.branches, branchInfo{Name: r.Ref, Runs: r.Runs, Series: len(ba.Series)})
	}
	slices.SortFunc(b.order, func(x, y results.SeriesKey) int { return cmp.Compare(x.String(), y.String()) })
	return nil
}

// commit returns the index of commit id in commits.json, adding it.
func (b *builder) commit(id string, t time.Time, ref string) int {
	if i, ok := b.commitAt[id]; ok {
		return i
	}
	b.commitAt[id] = len(b.commits)
	b.commits = append(b.commits, commitInfo{ID: id, Time: stamp(t), Ref: ref})
	return len(b.commits) - 1
}

// series returns the file of series k, creating it.
func (b *builder) series(k results.SeriesKey, unit string, better gate.Direction, exact bool) *seriesFile {
	if f, ok := b.ids[k]; ok {
		return f
	}
	f := &seriesFile{Format: Format, ID: SeriesID(k), Benchmark: k.Benchmark, Params: report.DisplayParams(k.Params),
		Hardware: k.HardwareName(), Runner: k.Runner, Metric: k.Metric, Unit: unit, Better: directionName(better),
		Exact: exact, Branches: map[string]*columns{}, Older: []chunkRef{}, Changes: []change{}, Outliers: []string{},
		Environment: []envChange{}}
	b.ids[k] = f
	b.order = append(b.order, k)
	return f
}

func directionName(d gate.Direction) string {
	if d == gate.BiggerIsBetter {
		return "bigger"
	}
	return "smaller"
}

// addPoints adds the points of one branch to f.
func (b *builder) addPoints(f *seriesFile, branch string, ps []history.Point) {
	c := &columns{Commit: []int{}, Value: []value{}, Low: []value{}, High: []value{}, N: []int{}}
	for _, p := range ps {
		c.add(b.commitAt[p.Commit], p.Median, p.Low, p.High, p.N)
		if p.Outlier && branch == history.RefName(b.main.Ref) {
			f.Outliers = append(f.Outliers, p.Commit)
		}
	}
	f.Branches[branch] = c
}

// groupIDs names each suspect range of the main branch "r<k>" and returns
// the name of every change point's group.
func (b *builder) groupIDs() map[*history.Change]string {
	out := map[*history.Change]string{}
	for i, g := range b.main.Groups {
		for _, m := range g.Members {
			out[m.Change] = groupName(i)
		}
	}
	return out
}

// addChanges adds the change points of main-branch series s to f and
// records the series' status.
func (b *builder) addChanges(f *seriesFile, s *history.Series) {
	e := entry{Status: "ok"}
	for _, c := range s.Changes {
		ch := changeOf(c)
		ch.Regression = b.groupOf[c]
		before, after := value(c.Before), value(c.After)
		ch.Before, ch.After = &before, &after
		f.Changes = append(f.Changes, ch)
	}
	for _, ec := range s.EnvChanges() {
		f.Environment = append(f.Environment, envChange{Commit: ec.Point.Commit, Time: stamp(ec.Point.Date), What: history.EnvText(ec.Env)})
	}
	if n := len(s.Changes); n > 0 {
		c := s.Changes[n-1]
		_, accepted := b.o.Accepted[c.Commit]
		switch {
		case c.ResolutionCommit != "" || accepted:
		case c.Status == history.Provisional:
			e.Status, e.Change = "provisional", value(c.Magnitude)
		case c.Direction == history.Regression:
			e.Status, e.Change = "regressed", value(c.Magnitude)
		default:
			e.Status, e.Change = "improved", value(c.Magnitude)
		}
	}
	b.status[s.Key] = e
}

// changeOf is the site's record of change point c.
func changeOf(c *history.Change) change {
	return change{Commit: c.Commit, Previous: c.PreviousCommit, Time: stamp(c.Date), Change: value(c.Magnitude),
		Low: value(c.Low), High: value(c.High), Direction: c.Direction, Severity: c.Severity, Status: c.Status}
}

// seriesWriters is how many series files write encodes and writes at
// once.
//
// Note: creating a file took 0.1 to 0.8 ms here (ext4, a loaded machine);
// four at a time wrote 1,560 series files in less than half the time of
// one.
const seriesWriters = 4

// write writes every data file.
func (b *builder) write(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(seriesWriters)
	var done atomic.Int64
	for _, k := range b.order {
		f := b.ids[k]
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			if err := b.writeSeries(f); err != nil {
				return err
			}
			if n := done.Add(1); n%2000 == 0 {
				b.o.Log.Info("site: writing series", "done", n, "of", len(b.order))
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if err := b.w.json("data/commits.json", commitList{Format: Format, Commits: b.commits}); err != nil {
		return err
	}
	if err := b.w.json("data/series.json", b.catalogue()); err != nil {
		return err
	}
	m, err := b.manifest(ctx)
	if err != nil {
		return err
	}
	return b.w.json("data/manifest.json", m)
}

// writeSeries writes a series' file and its older chunks. It changes f
// alone: the files of different series are written at once.
func (b *builder) writeSeries(f *seriesFile) error {
	main := f.Branches[history.RefName(b.main.Ref)]
	if main != nil && len(main.Commit) > chunkPoints {
		n := len(main.Commit)
		keep := n - chunkPoints
		for k, i := 0, 0; i < keep; k, i = k+1, i+chunkPoints {
			j := min(i+chunkPoints, keep)
			p := fmt.Sprintf("data/s/%s.%d.json", f.ID, k)
			if err := b.w.json(p, chunkFile{Format: Format, ID: f.ID, Main: main.slice(i, j)}); err != nil {
				return err
			}
			f.Older = append(f.Older, chunkRef{Path: p, From: b.commits[main.Commit[i]].Time,
				To: b.commits[main.Commit[j-1]].Time, Points: j - i})
		}
		f.Branches[history.RefName(b.main.Ref)] = main.slice(keep, n)
		defer func() { f.Branches[history.RefName(b.main.Ref)] = main }()
	}
	return b.w.json("data/s/"+f.ID+".json", f)
}

// catalogue is the series list of data/series.json.
func (b *builder) catalogue() catalogue {
	c := catalogue{Format: Format, Series: make([]entry, 0, len(b.order))}
	mainBranch := history.RefName(b.main.Ref)
	for _, k := range b.order {
		f := b.ids[k]
		e := b.status[k]
		if e.Status == "" {
			e.Status = "ok"
		}
		e.ID, e.Benchmark, e.Params, e.Hardware, e.Runner = f.ID, f.Benchmark, f.Params, f.Hardware, f.Runner
		e.Metric, e.Unit, e.Better = f.Metric, f.Unit, f.Better
		for _, br := range b.branches {
			if _, ok := f.Branches[br.Name]; ok {
				e.Branches = append(e.Branches, br.Name)
			}
		}
		last := f.Branches[mainBranch]
		if last == nil && len(e.Branches) > 0 {
			last = f.Branches[e.Branches[0]]
		}
		if last != nil && len(last.Commit) > 0 {
			n := len(last.Commit)
			e.Last, e.LastTime, e.Points = last.Value[n-1], b.commits[last.Commit[n-1]].Time, n+len(f.Older)*chunkPoints
		}
		c.Series = append(c.Series, e)
	}
	return c
}

// commitURL is the link pattern of a commit, "" without a repository.
func (b *builder) commitURL(pattern string) string {
	if b.o.Repo == "" {
		return ""
	}
	return strings.TrimRight(b.o.ServerURL, "/") + "/" + b.o.Repo + pattern
}

// seriesName is how the overview names a series: "resnet50 [batch_size=8]
// latency on cuda (H100)".
func seriesName(s *history.Series) string {
	n := s.Name() + " " + s.Key.Metric + " on " + s.Key.HardwareName()
	if s.Key.Runner != "" {
		n += " @" + s.Key.Runner
	}
	return n
}

// groupTitle is a suspect range's one-line summary by its worst member,
// e.g. "resnet50 [batch_size=8] latency on cuda (H100) +10.0 % at
// 053967c268de", or "… and 1 more series …".
func groupTitle(g history.Group, worst history.Member) string {
	what := seriesName(worst.Series)
	if n := len(g.Members) - 1; n > 0 {
		what += " and " + comparison.Plural(n, "more series", "more series")
	}
	return fmt.Sprintf("%s %+.1f %% at %s", what, 100*worst.Change.Magnitude, gitcmd.Short(g.Commit))
}
