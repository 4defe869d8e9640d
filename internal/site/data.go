package site

import (
	"encoding/json"
	"math"
	"strconv"
	"time"

	"github.com/benchgate/benchgate/internal/results"
)

// Format is the version of the data files' layout (docs/site-data.md).
const Format = 1

// SeriesID is the id of a series' page on the site: "s" and the key's ID,
// the same in every build, so that a link to a series page keeps working
// as the data grows.
func SeriesID(k results.SeriesKey) string { return "s" + k.ID() }

// SeriesPath is the path of a series page relative to the site's root: a
// hash route of the application.
func SeriesPath(k results.SeriesKey) string { return "#/s/" + SeriesID(k) }

// value is a float64 written with 6 significant digits, and null when it
// is not a number (JSON has no NaN).
type value float64

// MarshalJSON implements json.Marshaler.
func (v value) MarshalJSON() ([]byte, error) { return v.append(nil), nil }

// append appends v's JSON to b.
func (v value) append(b []byte) []byte {
	f := float64(v)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	return strconv.AppendFloat(b, f, 'g', 6, 64)
}

// stamp is a time written as RFC 3339 in UTC, and "" when zero.
type stamp time.Time

// MarshalJSON implements json.Marshaler.
func (t stamp) MarshalJSON() ([]byte, error) {
	if time.Time(t).IsZero() {
		return []byte(`""`), nil
	}
	return json.Marshal(time.Time(t).UTC().Format(time.RFC3339))
}

func (t stamp) unix() int64 { return time.Time(t).Unix() }

// manifest is data/manifest.json.
type manifest struct {
	Format      int            `json:"format"`
	Generated   stamp          `json:"generated"`
	Title       string         `json:"title"`
	Note        string         `json:"note,omitempty"` // e.g. what a report's window leaves out
	Repo        string         `json:"repo"`
	CommitURL   string         `json:"commitUrl"`
	CompareURL  string         `json:"compareUrl"`
	MainBranch  string         `json:"mainBranch"`
	Branches    []branchInfo   `json:"branches"`
	Counts      counts         `json:"counts"`
	Latest      latest         `json:"latest"`
	Suites      []suiteInfo    `json:"suites"`
	Regressions []regression   `json:"regressions"`
	Changes     []change       `json:"changes"`
	Heatmaps    []heatmap      `json:"heatmaps"`
	Hardware    []hardwareInfo `json:"hardware"`
	Errors      []errorGroup   `json:"errors"`
	Downloads   []download     `json:"downloads"`
	SQL         sqlInfo        `json:"sql"`
	// Comparison is set in a report of two sides (benchgate report --base
	// --head).
	Comparison *comparisonInfo `json:"comparison,omitempty"`
}

// hardwareInfo is a platform as the runs recorded it (not the machine
// that built the site).
type hardwareInfo struct {
	Name         string `json:"name"` // e.g. "cuda (H100)"
	Type         string `json:"type"`
	Device       string `json:"device"`
	Driver       string `json:"driver"`
	MemoryMB     value  `json:"memoryMB"`
	ComputeUnits int    `json:"computeUnits"`
	Results      int    `json:"results"`
	Runs         int    `json:"runs"`
	LastRun      stamp  `json:"lastRun"`
}

// comparisonInfo is the verdict of a candidate against its baseline.
type comparisonInfo struct {
	Headline string          `json:"headline"`
	Base     sideInfo        `json:"base"`
	Head     sideInfo        `json:"head"`
	Rows     []comparisonRow `json:"rows"`
	Missing  []missingInfo   `json:"missing"`
	Failed   []failedInfo    `json:"failed"`
}

type sideInfo struct {
	Label  string `json:"label"`
	Commit string `json:"commit"`
	Ref    string `json:"ref"`
}

type comparisonRow struct {
	Series   string `json:"series"`
	Name     string `json:"name"`
	Metric   string `json:"metric"`
	Unit     string `json:"unit"`
	Better   string `json:"better"`
	Base     value  `json:"base"`
	Head     value  `json:"head"`
	NBase    int    `json:"nBase"`
	NHead    int    `json:"nHead"`
	Change   value  `json:"change"`
	Low      value  `json:"low"`
	High     value  `json:"high"`
	P        value  `json:"p"`
	Severity string `json:"severity"`
	Verdict  string `json:"verdict"`
	Reason   string `json:"reason"`
}

type missingInfo struct {
	Name   string `json:"name"`
	OnlyIn string `json:"onlyIn"`
}

type failedInfo struct {
	Benchmark string `json:"benchmark"`
	Type      string `json:"type"`
	Message   string `json:"message"`
}

type branchInfo struct {
	Name   string `json:"name"`
	Runs   int    `json:"runs"`
	Series int    `json:"series"`
}

type counts struct {
	Series  int `json:"series"`
	Runs    int `json:"runs"`
	Results int `json:"results"`
	Commits int `json:"commits"`
	Errors  int `json:"errors"`
}

type latest struct {
	Commit    string `json:"commit"`
	Time      stamp  `json:"time"`
	Regressed int    `json:"regressed"`
	Improved  int    `json:"improved"`
	Series    int    `json:"series"`
}

type suiteInfo struct {
	Name       string `json:"name"`
	Runs       int    `json:"runs"`
	LastRun    stamp  `json:"lastRun"`
	LastCommit string `json:"lastCommit"`
	Failed     int    `json:"failed"`
}

type regression struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Direction   string   `json:"direction"`
	Severity    string   `json:"severity"`
	Status      string   `json:"status"`
	Open        bool     `json:"open"`
	From        string   `json:"from"`
	To          string   `json:"to"`
	Time        stamp    `json:"time"`
	Change      value    `json:"change"`
	Low         value    `json:"low"`
	High        value    `json:"high"`
	Series      []string `json:"series"`
	Names       []string `json:"names"` // of Series, for display
	Environment string   `json:"environment"`
	ResolvedBy  string   `json:"resolvedBy"`
	Issue       string   `json:"issue"`
	Note        string   `json:"note,omitempty"` // e.g. "accepted in #12"
}

type change struct {
	Series     string `json:"series,omitempty"`
	Name       string `json:"name,omitempty"` // of Series, for display
	Commit     string `json:"commit"`
	Previous   string `json:"previous"`
	Time       stamp  `json:"time"`
	Change     value  `json:"change"`
	Low        value  `json:"low"`
	High       value  `json:"high"`
	Before     *value `json:"before,omitempty"`
	After      *value `json:"after,omitempty"`
	Direction  string `json:"direction"`
	Severity   string `json:"severity"`
	Status     string `json:"status"`
	Regression string `json:"regression,omitempty"`
}

type heatmap struct {
	Kind    string     `json:"kind"`
	Title   string     `json:"title"`
	Metric  string     `json:"metric"`
	Unit    string     `json:"unit"`
	Better  string     `json:"better"`
	Rows    []string   `json:"rows"`
	Columns []string   `json:"columns"`
	Values  [][]*value `json:"values"`
	Series  [][]string `json:"series"`
	Best    []int      `json:"best"`
}

type errorGroup struct {
	Type       string `json:"type"`
	Benchmark  string `json:"benchmark"`
	Hardware   string `json:"hardware"`
	Count      int    `json:"count"`
	Message    string `json:"message"`
	Command    string `json:"command"`
	LastCommit string `json:"lastCommit"`
	LastTime   stamp  `json:"lastTime"`
}

type download struct {
	Name   string `json:"name"`
	Format string `json:"format"`
	Path   string `json:"path"`
	Bytes  int64  `json:"bytes"`
	Rows   int    `json:"rows,omitempty"`
}

type sqlInfo struct {
	Tables   []sqlTable   `json:"tables"`
	Examples []sqlExample `json:"examples"`
}

type sqlTable struct {
	Name string `json:"name"`
	Path string `json:"path"`
}

type sqlExample struct {
	Title string `json:"title"`
	SQL   string `json:"sql"`
}

// catalogue is data/series.json.
type catalogue struct {
	Format int     `json:"format"`
	Series []entry `json:"series"`
}

// entry is one series of the catalogue.
type entry struct {
	ID        string   `json:"id"`
	Benchmark string   `json:"benchmark"`
	Params    string   `json:"params"`
	Hardware  string   `json:"hardware"`
	Runner    string   `json:"runner"`
	Metric    string   `json:"metric"`
	Unit      string   `json:"unit"`
	Better    string   `json:"better"`
	Last      value    `json:"last"`
	LastTime  stamp    `json:"lastTime"`
	Points    int      `json:"points"`
	Branches  []string `json:"branches"`
	Status    string   `json:"status"`
	Change    value    `json:"change"`
}

// commitList is data/commits.json.
type commitList struct {
	Format  int          `json:"format"`
	Commits []commitInfo `json:"commits"`
}

type commitInfo struct {
	ID   string `json:"id"`
	Time stamp  `json:"time"`
	Ref  string `json:"ref"`
}

// columns are the points of one branch of a series, column by column.
type columns struct {
	Commit []int   `json:"commit"`
	Value  []value `json:"value"`
	Low    []value `json:"low"`
	High   []value `json:"high"`
	N      []int   `json:"n"`
}

// MarshalJSON implements json.Marshaler: the object encoding/json makes of
// c's fields, written directly. Through reflection and value.MarshalJSON
// for each number, the series files of a year of 1,560 series took a
// quarter of the site's build.
func (c *columns) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 64+len(c.Commit)*40)
	ints := func(name string, xs []int) {
		b = append(b, `"`+name+`":[`...)
		for i, x := range xs {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(x), 10)
		}
		b = append(b, ']')
	}
	values := func(name string, xs []value) {
		b = append(b, `,"`+name+`":[`...)
		for i, x := range xs {
			if i > 0 {
				b = append(b, ',')
			}
			b = x.append(b)
		}
		b = append(b, ']')
	}
	b = append(b, '{')
	ints("commit", c.Commit)
	values("value", c.Value)
	values("low", c.Low)
	values("high", c.High)
	b = append(b, ',')
	ints("n", c.N)
	return append(b, '}'), nil
}

func (c *columns) add(commit int, v, lo, hi float64, n int) {
	c.Commit = append(c.Commit, commit)
	c.Value = append(c.Value, value(v))
	c.Low = append(c.Low, value(lo))
	c.High = append(c.High, value(hi))
	c.N = append(c.N, n)
}

// slice returns the points [i, j) of c.
func (c *columns) slice(i, j int) *columns {
	return &columns{Commit: c.Commit[i:j], Value: c.Value[i:j], Low: c.Low[i:j], High: c.High[i:j], N: c.N[i:j]}
}

// seriesFile is data/s/<id>.json.
type seriesFile struct {
	Format      int                 `json:"format"`
	ID          string              `json:"id"`
	Benchmark   string              `json:"benchmark"`
	Params      string              `json:"params"`
	Hardware    string              `json:"hardware"`
	Runner      string              `json:"runner"`
	Metric      string              `json:"metric"`
	Unit        string              `json:"unit"`
	Better      string              `json:"better"`
	Exact       bool                `json:"exact"`
	Branches    map[string]*columns `json:"branches"`
	Older       []chunkRef          `json:"older"`
	Changes     []change            `json:"changes"`
	Outliers    []string            `json:"outliers"`
	Environment []envChange         `json:"environment"`
}

// chunkFile is data/s/<id>.<k>.json: older main-branch points.
type chunkFile struct {
	Format int      `json:"format"`
	ID     string   `json:"id"`
	Main   *columns `json:"main"`
}

type chunkRef struct {
	Path   string `json:"path"`
	From   stamp  `json:"from"`
	To     stamp  `json:"to"`
	Points int    `json:"points"`
}

type envChange struct {
	Commit string `json:"commit"`
	Time   stamp  `json:"time"`
	What   string `json:"what"`
}
