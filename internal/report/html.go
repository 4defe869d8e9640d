package report

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"

	"github.com/benchgate/benchgate/gate"
	"github.com/benchgate/benchgate/internal/comparison"
)

//go:embed templates/report.html.tmpl
var templates embed.FS

var htmlTemplate = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"value":       FormatValue,
	"change":      FormatChange,
	"pvalue":      FormatP,
	"headline":    comparison.Headline,
	"interval":    interval,
	"series":      seriesName,
	"hwname":      hardwareName,
	"side":        sideLabel,
	"ms":          func(f *float64) string { return optFloat(f) },
	"bucket":      heatBucket,
	"num":         func(f float64) string { return fmt.Sprintf("%.2f", f) },
	"spark":       sparkline,
	"last":        func(ps []TrendPoint) TrendPoint { return ps[len(ps)-1] },
	"when":        func(t interface{ Format(string) string }) string { return t.Format("2006-01-02 15:04 MST") },
	"trunc":       truncate,
	"tail":        tail,
	"name":        rowName,
	"status":      rowStatus,
	"category":    Category,
	"isRegressed": func(v gate.Verdict) bool { return v == gate.Regressed },
	"isImproved":  func(v gate.Verdict) bool { return v == gate.Improved },
	"regressedC":  func(c *comparison.Comparison) bool { return c.Regressed() },
	"pq":          pq,
	"note":        note,
	"severity":    severityText,
}).ParseFS(templates, "templates/report.html.tmpl"))

// heatBucket maps a ratio to the best cell (1 = best) to a CSS class h0–h4.
func heatBucket(c HeatCell) string {
	if !c.Valid {
		return "na"
	}
	switch r := c.Ratio; {
	case r < 1.05:
		return "h0"
	case r < 1.25:
		return "h1"
	case r < 1.6:
		return "h2"
	case r < 2.5:
		return "h3"
	}
	return "h4"
}

// sparkline returns the SVG polyline points of a trend in a 160×32 box.
func sparkline(tr Trend) string {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range tr.Points {
		lo, hi = math.Min(lo, p.Value), math.Max(hi, p.Value)
	}
	span := hi - lo
	if span == 0 {
		span = 1
	}
	var b strings.Builder
	n := len(tr.Points)
	for i, p := range tr.Points {
		x := 2 + 156*float64(i)/float64(max(n-1, 1))
		y := 30 - 28*(p.Value-lo)/span
		fmt.Fprintf(&b, "%.1f,%.1f ", x, y)
	}
	return strings.TrimSpace(b.String())
}

type htmlData struct {
	*Timing
	Latest          any
	LatencyHeatmap  Heatmap
	ThroughputHeat  Heatmap
	TrendList       []Trend
	FailureList     any
	ErrByType       map[string]int
	ErrByHardware   map[string]int
	Recommendations []Recommendation
	Categories      []string
}

// HTML writes the timing report as one self-contained HTML page.
func HTML(w io.Writer, t *Timing) error {
	byType, byHW := t.ErrorCounts()
	d := htmlData{
		Timing: t, Latest: t.Latest(), LatencyHeatmap: t.Heatmap("latency"), ThroughputHeat: t.Heatmap("throughput"),
		TrendList: t.Trends(), FailureList: t.Failures(), ErrByType: byType, ErrByHardware: byHW,
		Recommendations: t.Recommendations(), Categories: Categories,
	}
	return htmlTemplate.Execute(w, d)
}
