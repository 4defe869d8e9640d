package history

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/benchgate/benchgate/gate"
	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/report"
	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

// ErrNoData is wrapped by Analyze's errors when nothing matches: no runs on
// the branch, no series matching the filters, or an unknown metric.
var ErrNoData = errors.New("no data")

// Options selects what Analyze analyses; zero fields select everything.
type Options struct {
	// Benchmark (a glob when it holds one of *?[, else a case-insensitive
	// substring), Metric and Hardware (type or device) select the series
	// (store.SeriesFilter).
	Benchmark, Metric, Hardware string
	// Branch is the ref analysed, exactly or as a branch name ("main");
	// empty, it is the data's main branch (see MainRef).
	Branch string
	// Config holds the thresholds that grade a regression's severity (the
	// suite's and the run-wide ones); zero is the gate's defaults.
	Config comparison.Config
	// ChangePoints tunes the detector; zero is
	// gate.DefaultChangePointOptions.
	ChangePoints gate.ChangePointOptions
	// Since, when set, keeps only the runs created at or after it.
	Since time.Time
}

// Analysis is the change-point analysis of a branch's history.
type Analysis struct {
	// Ref is the ref analysed ("" for runs stored without one) and
	// Defaulted is set when it was chosen from the data, not asked for.
	Ref       string
	Defaulted bool
	// Commits is the branch's commit order: each commit at the position of
	// its first run (created_at), whichever series measured it.
	Commits []store.BranchCommit
	// Series are the selected series, in key order.
	Series []*Series
	// Groups are the change points of all series grouped by suspect commit
	// range, in commit order.
	Groups []Group
}

// Series is one series' history and its change points.
type Series struct {
	Key    results.SeriesKey
	Unit   string
	Better gate.Direction
	Exact  bool
	// Points holds one point per commit measured, in commit order.
	Points []Point
	// Changes are the series' change points, oldest first.
	Changes []*Change
	// Warnings are the detector's (a history it could not analyse).
	Warnings []string
}

// Point is one commit of a series: the samples of every run of the commit
// on the branch, concatenated, as their median and its interval. The
// samples themselves are not kept once the series is analysed: an analysis
// of a year of 1,560 series held 46 MB of them for nothing.
type Point struct {
	Commit   string
	Date     time.Time // the commit's first run on the branch, UTC
	Position int       // index of the commit in Analysis.Commits
	Runs     int       // runs of the commit merged into the point
	N        int       // samples of those runs
	// Median and its 95 % interval [Low, High] of the N samples (see
	// medianInterval).
	Median, Low, High float64
	// Outlier is set when the detector set the point aside (a failed run,
	// a noisy machine): it is neither a change nor hides one.
	Outlier bool
	// Env is the environment of the commit's latest run (shared with the
	// run: do not modify) and Driver its hardware's driver version.
	Env    map[string]string
	Driver string
}

// Name returns the series' display name (untrusted text: sanitise it).
func (s *Series) Name() string {
	n := s.Key.Benchmark
	if p := report.DisplayParams(s.Key.Params); p != "" {
		n += " [" + p + "]"
	}
	return n
}

// Analyze loads the selected series of the branch from st in one query,
// finds and grades their change points, and groups them by commit.
func Analyze(ctx context.Context, st *store.DB, o Options) (*Analysis, error) {
	ref, defaulted, err := chooseRef(ctx, st, o.Branch)
	if err != nil {
		return nil, err
	}
	f := store.SeriesFilter{Benchmark: o.Benchmark, Metric: o.Metric, Hardware: o.Hardware, Ref: ref, NoRef: ref == "", Since: o.Since}
	a := &Analysis{Ref: ref, Defaulted: defaulted}
	if a.Commits, err = st.BranchCommits(ctx, f); err != nil {
		return nil, err
	}
	pos := make(map[string]int, len(a.Commits))
	for i, c := range a.Commits {
		pos[c.Commit] = i
	}
	cpo := o.ChangePoints
	if cpo == (gate.ChangePointOptions{}) {
		cpo = gate.DefaultChangePointOptions()
	}
	policy := o.Config.Policy()
	// The series are independent: analyse them on every CPU as they are
	// read, so that only the histories being analysed are held twice (as
	// the store reads them and as points).
	type job struct {
		s *Series
		h store.SeriesHistory
	}
	var wg sync.WaitGroup
	next := make(chan job)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for j := range next {
				var samples [][]float64
				*j.s, samples = newSeries(j.h, pos)
				j.s.analyse(samples, cpo, policy(j.h.Key), a.Commits)
			}
		})
	}
	err = st.EachSeries(ctx, f, func(h store.SeriesHistory) error {
		s := &Series{}
		a.Series = append(a.Series, s)
		next <- job{s, h}
		return nil
	})
	close(next)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	if len(a.Series) == 0 {
		return nil, noSeries(ctx, st, o, ref)
	}
	a.group()
	return a, nil
}

// RefName is how a ref is shown: "(no ref)" for runs stored without one.
func RefName(ref string) string {
	if ref == "" {
		return "(no ref)"
	}
	return ref
}

// chooseRef returns the ref asked for, or the data's main branch: the ref
// with the most runs among refs/heads/main and refs/heads/master, else the
// ref with the most runs; pull request refs never.
func chooseRef(ctx context.Context, st *store.DB, asked string) (string, bool, error) {
	refs, err := st.Refs(ctx)
	if err != nil {
		return "", false, err
	}
	var names []string
	for _, r := range refs {
		names = append(names, fmt.Sprintf("%s (%d runs)", RefName(r.Ref), r.Runs))
	}
	stored := "none"
	if len(names) > 0 {
		stored = strings.Join(names, ", ")
	}
	if asked != "" {
		for _, r := range refs {
			if r.Ref == asked || r.Ref == "refs/heads/"+asked {
				return r.Ref, false, nil
			}
		}
		return "", false, fmt.Errorf("no runs on branch %q; refs stored: %s: %w", asked, stored, ErrNoData)
	}
	best := -1
	for i, r := range refs { // most runs first
		if strings.HasPrefix(r.Ref, "refs/pull/") {
			continue
		}
		if r.Ref == "refs/heads/main" || r.Ref == "refs/heads/master" {
			return r.Ref, true, nil
		}
		if best < 0 {
			best = i
		}
	}
	if best < 0 {
		return "", false, fmt.Errorf("no runs outside pull requests; refs stored: %s: %w", stored, ErrNoData)
	}
	return refs[best].Ref, true, nil
}

// noSeries explains why no series matched: an unknown metric (listing the
// stored ones) or filters that match nothing on the ref.
func noSeries(ctx context.Context, st *store.DB, o Options, ref string) error {
	if o.Metric != "" {
		ms, err := st.MetricNames(ctx)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(ms, func(m string) bool { return strings.EqualFold(m, o.Metric) }) {
			return fmt.Errorf("unknown metric %q; stored metrics: %s: %w", o.Metric, strings.Join(ms, ", "), ErrNoData)
		}
	}
	var sel []string
	for _, f := range []struct{ name, v string }{{"benchmark", o.Benchmark}, {"metric", o.Metric}, {"hardware", o.Hardware}} {
		if f.v != "" {
			sel = append(sel, fmt.Sprintf("%s %q", f.name, f.v))
		}
	}
	what := "no series"
	if len(sel) > 0 {
		what = "no series match " + strings.Join(sel, ", ")
	}
	return fmt.Errorf("%s on %s: %w", what, RefName(ref), ErrNoData)
}

// newSeries makes one point per commit of h (runs of one commit merged, in
// commit order) and returns the samples of each point. It takes h's
// samples (the store's reading owns them, and nothing else keeps them) and
// shares its Runs' environments.
func newSeries(h store.SeriesHistory, pos map[string]int) (Series, [][]float64) {
	s := Series{Key: h.Key, Unit: h.Unit, Exact: h.Exact, Better: gate.SmallerIsBetter}
	if h.Direction == "bigger" {
		s.Better = gate.BiggerIsBetter
	}
	// A commit's position is that of its first run, so that in position
	// order (stable) the runs of a commit are adjacent, oldest first.
	order := make([]int32, len(h.Points))
	for i := range order {
		order[i] = int32(i)
	}
	at := func(i int32) int { return pos[h.Points[i].Run.Commit] }
	if !slices.IsSortedFunc(order, func(a, b int32) int { return at(a) - at(b) }) {
		slices.SortStableFunc(order, func(a, b int32) int { return at(a) - at(b) })
	}
	s.Points = make([]Point, 0, len(h.Points))
	samples := make([][]float64, 0, len(h.Points))
	for _, i := range order {
		hp := h.Points[i]
		if n := len(s.Points); n > 0 && s.Points[n-1].Commit == hp.Run.Commit {
			p := &s.Points[n-1]
			samples[n-1] = append(samples[n-1], hp.Samples...)
			p.Runs++
			p.Env, p.Driver = hp.Run.Environment, h.Drivers[i] // the latest run's
			continue
		}
		s.Points = append(s.Points, Point{Commit: hp.Run.Commit, Date: hp.Run.CreatedAt, Position: pos[hp.Run.Commit],
			Runs: 1, Env: hp.Run.Environment, Driver: h.Drivers[i]})
		samples = append(samples, hp.Samples)
	}
	s.Points = slices.Clip(s.Points)
	for i := range s.Points {
		p := &s.Points[i]
		p.N = len(samples[i])
		p.Median, p.Low, p.High = medianInterval(samples[i])
	}
	return s, samples
}

// analyse runs the detector over the samples of s's points and grades its
// change points.
func (s *Series) analyse(samples [][]float64, o gate.ChangePointOptions, p gate.Policy, commits []store.BranchCommit) {
	ch := gate.ChangePointsOf(samples, o)
	s.Warnings = ch.Warnings
	for _, i := range ch.Outliers {
		s.Points[i].Outlier = true
	}
	for _, cp := range ch.Points {
		s.Changes = append(s.Changes, s.grade(cp, p, commits))
	}
	resolve(s.Changes, s.Points)
}

// group groups the change points of every series by commit range.
func (a *Analysis) group() {
	in := make([]gate.SeriesChanges, 0, len(a.Series))
	for i, s := range a.Series {
		if len(s.Changes) == 0 {
			continue
		}
		sc := gate.SeriesChanges{Key: fmt.Sprintf("%09d", i), Positions: make([]int, len(s.Points))}
		for k, p := range s.Points {
			sc.Positions[k] = p.Position
		}
		for _, c := range s.Changes {
			sc.Points = append(sc.Points, c.ChangePoint)
		}
		in = append(in, sc)
	}
	for _, g := range gate.GroupChangePoints(in) {
		grp := Group{From: g.From, To: g.To, Confirmed: g.Confirmed,
			PreviousCommit: a.Commits[g.From].Commit, Commit: a.Commits[g.To].Commit, Date: a.Commits[g.To].First}
		for _, c := range a.Commits[g.From+1 : g.To] {
			grp.Between = append(grp.Between, c.Commit)
		}
		for k, key := range g.Keys {
			i, _ := strconv.Atoi(key) // the index Analyze gave it
			s := a.Series[i]
			for _, c := range s.Changes {
				if c.Index == g.Points[k].Index {
					grp.Members = append(grp.Members, Member{Series: s, Change: c})
				}
			}
		}
		a.Groups = append(a.Groups, grp)
	}
}

// Group is the change points of every series whose suspect commit ranges
// overlap: one suspect commit range, one alert.
type Group struct {
	// From and To are positions in Analysis.Commits: the suspect commits
	// are those after From (the last good commit, PreviousCommit) up to To
	// (the first bad one, Commit, first run at Date); Between lists the
	// commits strictly between.
	From, To               int
	PreviousCommit, Commit string
	Date                   time.Time
	Between                []string
	Members                []Member // in series key order
	// Confirmed is set when every member is confirmed.
	Confirmed bool
}

// Member is one series' change point in a group.
type Member struct {
	Series *Series
	Change *Change
}
