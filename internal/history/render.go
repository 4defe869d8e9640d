package history

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	gitcmd "github.com/benchgate/benchgate/internal/git"
	"github.com/benchgate/benchgate/internal/report"
)

// sparkWidth is the most characters a sparkline takes: longer histories
// are drawn one character per bucket of points (their median).
const sparkWidth = 100

// Marks of the sparkline's marker line.
const (
	markRegression  = '!'
	markImprovement = '+'
	markOutlier     = '×'
)

// sparkBlocks are the sparkline's levels, lowest first.
var sparkBlocks = []rune("▁▂▃▄▅▆▇█")

// shown returns the points of s from position from on, and the index of
// the first.
func (s *Series) shown(from int) ([]Point, int) {
	for i, p := range s.Points {
		if p.Position >= from {
			return s.Points[i:], i
		}
	}
	return nil, len(s.Points)
}

// changeAt returns the change whose first point after it is point i.
func (s *Series) changeAt(i int) *Change {
	for _, c := range s.Changes {
		if c.Index == i {
			return c
		}
	}
	return nil
}

// Sparkline draws the medians of points (the first at index first of s) on
// the eight block levels, with a marker line under it: ! at a regression's
// first point, + at an improvement's, × at an outlier.
func (s *Series) Sparkline(points []Point, first int) (spark, marks string) {
	n := len(points)
	if n == 0 {
		return "", ""
	}
	w := min(n, sparkWidth)
	vals := make([]float64, w)
	mk := make([]rune, w)
	lo, hi := math.Inf(1), math.Inf(-1)
	for b := range w {
		a, z := b*n/w, (b+1)*n/w
		var meds []float64
		mk[b] = ' '
		for i := a; i < z; i++ {
			p := points[i]
			meds = append(meds, p.Median)
			switch c := s.changeAt(first + i); {
			case c != nil && c.Direction == Regression:
				mk[b] = markRegression
			case c != nil && mk[b] != markRegression:
				mk[b] = markImprovement
			case p.Outlier && mk[b] == ' ':
				mk[b] = markOutlier
			}
		}
		vals[b] = medianOf(meds)
		lo, hi = min(lo, vals[b]), max(hi, vals[b])
	}
	var sb strings.Builder
	for _, v := range vals {
		k := 0
		if hi > lo {
			k = int(math.Round((v - lo) / (hi - lo) * float64(len(sparkBlocks)-1)))
		}
		sb.WriteRune(sparkBlocks[k])
	}
	return sb.String(), strings.TrimRight(string(mk), " ")
}

// medianOf returns the median of values, NaN for none.
func medianOf(values []float64) float64 {
	if len(values) == 0 {
		return math.NaN()
	}
	med, _, _ := medianInterval(values)
	return med
}

// seriesLabel is a series' one-line title: name, metric, hardware,
// device and runner, sanitised.
func seriesLabel(s *Series) string {
	l := s.Name() + " " + s.Key.Metric + " on " + s.Key.HardwareName()
	if s.Key.Runner != "" {
		l += " @" + s.Key.Runner
	}
	return report.OneLine(l)
}

// changeText is a change in one line: "+12.0% [+8.1%, +15.9%] regression
// major confirmed".
func changeText(c *Change) string {
	t := fmt.Sprintf("%s [%s, %s] %s", report.FormatChange(c.Magnitude), report.FormatChange(c.Low), report.FormatChange(c.High), c.Direction)
	if c.Direction == Regression {
		t += " " + c.Severity
	}
	t += " " + c.Status
	if c.ResolutionCommit != "" {
		t += ", resolved at " + report.OneLine(gitcmd.Short(c.ResolutionCommit))
	}
	return t
}

// HistoryTable writes each series' history from s on for a person: a
// title, a sparkline with its range and a marker line, then one line per
// commit (commit, date, n, median and interval, scaled units) with the
// change points and outliers marked.
func HistoryTable(w io.Writer, a *Analysis, s Since) error {
	from, err := a.From(s)
	if err != nil {
		return err
	}
	var b strings.Builder
	for k, sr := range a.Series {
		points, first := sr.shown(from)
		if k > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s: %d commits, %s\n", seriesLabel(sr), len(points), changeCount(sr, first))
		if len(points) == 0 {
			continue
		}
		spark, marks := sr.Sparkline(points, first)
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, p := range points {
			lo, hi = min(lo, p.Median), max(hi, p.Median)
		}
		fmt.Fprintf(&b, "  %s  %s … %s (range %s of the lowest; %s is better)\n", spark, report.FormatValue(lo, sr.Unit), report.FormatValue(hi, sr.Unit),
			report.FormatChange(hi/lo-1), sr.Better)
		if marks != "" {
			fmt.Fprintf(&b, "  %s  (! regression, + improvement, × outlier)\n", marks)
		}
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  commit\tdate (UTC)\tn\tmedian\tinterval\t")
		for i, p := range points {
			note := ""
			if c := sr.changeAt(first + i); c != nil {
				note = "◀ " + changeText(c)
				if e := c.EnvText(); e != "" {
					note += "; environment: " + report.OneLine(e)
				}
			} else if p.Outlier {
				note = "× outlier"
			}
			interval := "-"
			if p.Low != p.High {
				interval = report.FormatValue(p.Low, sr.Unit) + " … " + report.FormatValue(p.High, sr.Unit)
			}
			fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\t%s\t%s\n", report.OneLine(gitcmd.Short(p.Commit)), p.Date.Format("2006-01-02 15:04"), p.N,
				report.FormatValue(p.Median, sr.Unit), interval, note)
		}
		tw.Flush()
		for _, wn := range sr.Warnings {
			fmt.Fprintf(&b, "  warning: %s\n", report.OneLine(wn))
		}
	}
	return writeTrimmed(w, b.String())
}

// writeTrimmed writes text with the trailing blanks of its lines (the
// padding of tabwriter's last column) removed.
func writeTrimmed(w io.Writer, text string) error {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	_, err := io.WriteString(w, strings.Join(lines, "\n"))
	return err
}

// changeCount says how many change points the points from index first on
// hold.
func changeCount(s *Series, first int) string {
	n := 0
	for _, c := range s.Changes {
		if c.Index >= first {
			n++
		}
	}
	switch n {
	case 0:
		return "no change points"
	case 1:
		return "1 change point"
	}
	return strconv.Itoa(n) + " change points"
}

// jsonNumber is a float that encodes NaN and ±Inf as null.
type jsonNumber float64

func (f jsonNumber) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
		return []byte("null"), nil
	}
	return json.Marshal(float64(f))
}

// jsonSeriesKey is a series' identity in JSON.
type jsonSeriesKey struct {
	Benchmark string `json:"benchmark"`
	Params    string `json:"params"`
	Metric    string `json:"metric"`
	Unit      string `json:"unit"`
	Better    string `json:"better"`
	Hardware  string `json:"hardware"`
	Device    string `json:"device"`
	Runner    string `json:"runner"`
}

func keyOf(s *Series) jsonSeriesKey {
	return jsonSeriesKey{Benchmark: s.Key.Benchmark, Params: s.Key.Params, Metric: s.Key.Metric, Unit: s.Unit,
		Better: s.Better.String(), Hardware: s.Key.Hardware, Device: s.Key.Device, Runner: s.Key.Runner}
}

type jsonPoint struct {
	Commit  string     `json:"commit"`
	Date    time.Time  `json:"date"`
	N       int        `json:"n"`
	Runs    int        `json:"runs"`
	Median  jsonNumber `json:"median"`
	Low     jsonNumber `json:"low"`
	High    jsonNumber `json:"high"`
	Outlier bool       `json:"outlier"`
	// ChangePoint is set at the first point after a change: its index in
	// the series' change_points.
	ChangePoint *int `json:"change_point"`
}

type jsonHistorySeries struct {
	jsonSeriesKey
	Points       []jsonPoint  `json:"points"`
	ChangePoints []jsonChange `json:"change_points"`
	Warnings     []string     `json:"warnings"`
}

// HistoryJSON writes each series' history from s on as JSON: the ref, and
// per series its identity, its points (commit, date, n, runs, median, low,
// high, outlier, change_point) and its change points (as in ChangesJSON).
func HistoryJSON(w io.Writer, a *Analysis, s Since) error {
	from, err := a.From(s)
	if err != nil {
		return err
	}
	out := struct {
		Ref    string              `json:"ref"`
		Since  string              `json:"since"`
		Series []jsonHistorySeries `json:"series"`
	}{Ref: a.Ref, Since: s.Text, Series: []jsonHistorySeries{}}
	for _, sr := range a.Series {
		points, first := sr.shown(from)
		js := jsonHistorySeries{jsonSeriesKey: keyOf(sr), Points: []jsonPoint{}, ChangePoints: []jsonChange{}, Warnings: sr.Warnings}
		if js.Warnings == nil {
			js.Warnings = []string{}
		}
		for _, c := range sr.Changes {
			if c.Index >= first {
				js.ChangePoints = append(js.ChangePoints, changeJSON(sr, c))
			}
		}
		for _, p := range points {
			jp := jsonPoint{Commit: p.Commit, Date: p.Date, N: p.N, Runs: p.Runs,
				Median: jsonNumber(p.Median), Low: jsonNumber(p.Low), High: jsonNumber(p.High), Outlier: p.Outlier}
			for k, c := range js.ChangePoints {
				if c.Commit == p.Commit {
					jp.ChangePoint = &k
				}
			}
			js.Points = append(js.Points, jp)
		}
		out.Series = append(out.Series, js)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// HistoryCSV writes one line per point from s on: the series' identity,
// the point, and at a change point's first point the change.
func HistoryCSV(w io.Writer, a *Analysis, s Since) error {
	from, err := a.From(s)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write([]string{"benchmark", "params", "metric", "unit", "better", "hardware", "device", "runner",
		"commit", "date", "n", "median", "low", "high", "outlier", "change", "direction", "severity", "status"})
	num := func(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
	for _, sr := range a.Series {
		points, first := sr.shown(from)
		k := keyOf(sr)
		for i, p := range points {
			rec := []string{k.Benchmark, k.Params, k.Metric, k.Unit, k.Better, k.Hardware, k.Device, k.Runner,
				p.Commit, p.Date.Format(time.RFC3339), strconv.Itoa(p.N), num(p.Median), num(p.Low), num(p.High),
				strconv.FormatBool(p.Outlier), "", "", "", ""}
			if c := sr.changeAt(first + i); c != nil {
				rec[15], rec[16], rec[17], rec[18] = num(c.Magnitude), c.Direction, c.Severity, c.Status
			}
			for j := range rec {
				rec[j] = report.CSVSafe(rec[j])
			}
			cw.Write(rec)
		}
	}
	cw.Flush()
	return cw.Error()
}
