package site

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

// scaleDB returns a database of series series × commits main-branch
// commits (a third of them each latency, throughput and memory of
// series/3 benchmarks on two hardware types), built once at
// $BENCHGATE_SITE_SCALE_DB when that is set (and kept), else in a test
// directory.
func scaleDB(b *testing.B, series, commits int) string {
	b.Helper()
	path := os.Getenv("BENCHGATE_SITE_SCALE_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "scale.duckdb")
	} else if _, err := os.Stat(path); err == nil {
		return path
	}
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rng := rand.New(rand.NewPCG(8, 9))
	benches := series / 3 / 2
	start := time.Now()
	for c := range commits {
		rs := make([]results.Result, 0, 2*benches)
		for k := range benches {
			for _, hw := range []results.Hardware{cpu, h100} {
				base := 1e-3 * float64(1+k%97)
				if hw.Type == "cuda" {
					base /= 8
				}
				if k%50 == 0 && c >= commits*3/4 {
					base *= 1.2 // a regression in one benchmark of 50
				}
				l := results.Metric{Name: "latency", Unit: "s", Better: results.SmallerIsBetter}
				t := results.Metric{Name: "throughput", Unit: "items/s", Better: results.BiggerIsBetter}
				for range 5 {
					x := base * (1 + 0.02*rng.NormFloat64())
					l.Samples, t.Samples = append(l.Samples, x), append(t.Samples, 1/x)
				}
				m := results.Metric{Name: "peak_memory", Unit: "B", Better: results.SmallerIsBetter, Exact: true, Samples: []float64{1e8 * float64(1+k%13)}}
				rs = append(rs, results.Result{Name: fmt.Sprintf("model-%04d", k), Params: map[string]string{"batch_size": "8"},
					Hardware: hw, Metrics: []results.Metric{l, t, m}})
			}
		}
		run := store.Run{ID: "scale-" + strconv.Itoa(c), Commit: commitID(c), Ref: "refs/heads/main", Suite: "scale",
			CreatedAt: t0.Add(time.Duration(c) * time.Hour)}
		if _, err := db.Ingest(ctx, run, rs); err != nil {
			b.Fatal(err)
		}
		if c%10 == 9 {
			b.Logf("scale database: %d of %d commits (%s)", c+1, commits, time.Since(start).Round(time.Second))
		}
	}
	return path
}

// BenchmarkSiteBuild builds the site of 10,000 series × 100 commits
// (BENCHGATE_SITE_SCALE_DB keeps the database between runs: building it
// ingests a million samples) and reports the build's time, files and size.
//
//	go test ./internal/site -run '^$' -bench SiteBuild -benchtime 1x
func BenchmarkSiteBuild(b *testing.B) {
	path := scaleDB(b, 10_000, 100)
	st, err := store.OpenReadOnly(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	out := filepath.Join(b.TempDir(), "site")
	b.ResetTimer()
	var stats Stats
	for b.Loop() {
		if stats, err = Build(context.Background(), st, Options{Out: out, Downloads: true, DBFile: path}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(stats.Series), "series")
	b.ReportMetric(float64(stats.Files), "files")
	b.ReportMetric(float64(stats.Bytes)/(1<<20), "MiB")
	b.ReportMetric(stats.Analysis.Seconds(), "analysis-s")
	for _, f := range []string{"data/manifest.json", "data/series.json", "data/commits.json"} {
		if fi, err := os.Stat(filepath.Join(out, f)); err == nil {
			b.ReportMetric(float64(fi.Size())/1024, filepath.Base(f)+"-KiB")
		}
	}
}

// BenchmarkSitePaint measures, in Chromium, a fresh load of the overview
// and of a series page of the 10,000-series site: the time from navigation
// to the first contentful paint and to the view's data-ready, and the
// bytes a series page loads (and of them, fetches once the application is
// cached).
//
//	go test ./internal/site -run '^$' -bench SitePaint -benchtime 3x
func BenchmarkSitePaint(b *testing.B) {
	path := scaleDB(b, 10_000, 100)
	st, err := store.OpenReadOnly(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(b.TempDir(), "site")
	_, err = Build(context.Background(), st, Options{Out: out})
	st.Close()
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer hs.Close()
	br := newBrowser(b, hs.URL)
	// Record when each view says it is ready, from the page's own clock.
	err = chromedp.Do(br.ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `
			window.__ready = {};
			new MutationObserver(() => { const v = document.body && document.body.dataset.ready;
				if (v && !(v in window.__ready)) window.__ready[v] = performance.now(); })
			.observe(document, {attributes: true, subtree: true, attributeFilter: ['data-ready']});`})
		return err
	}))
	if err != nil {
		b.Fatal(err)
	}
	id := SeriesID(results.SeriesKey{Benchmark: "model-0050", Params: "batch_size=8", Metric: "latency", Hardware: "cuda", Device: "H100"})
	measure := func(url, view string) (fcp, readyAt, bytes, network float64) {
		br.do(b, "load "+view, chromedp.Navigate("about:blank"), chromedp.Navigate(url), ready(view))
		v := get1(b, br, "timing", chromedp.Evaluate[[]float64](`(() => {
			const p = performance.getEntriesByName('first-contentful-paint')[0];
			const all = [...performance.getEntriesByType('resource'), ...performance.getEntriesByType('navigation')];
			return [p ? p.startTime : -1, window.__ready[`+strconvQuote(view)+`] || -1,
				all.reduce((s, e) => s + e.decodedBodySize, 0), all.reduce((s, e) => s + e.transferSize, 0)] })()`))
		return v[0], v[1], v[2], v[3]
	}
	var oFCP, oReady, sFCP, sReady, sBytes, sNet float64
	n := 0
	for b.Loop() {
		f, r, _, _ := measure(hs.URL+"/#/", "overview")
		oFCP, oReady = oFCP+f, oReady+r
		f, r, by, net := measure(hs.URL+"/#/s/"+id, "serie")
		sFCP, sReady, sBytes, sNet = sFCP+f, sReady+r, sBytes+by, sNet+net
		n++
	}
	k := float64(n)
	b.ReportMetric(oFCP/k, "overview-fcp-ms")
	b.ReportMetric(oReady/k, "overview-ready-ms")
	b.ReportMetric(sFCP/k, "series-fcp-ms")
	b.ReportMetric(sReady/k, "series-ready-ms")
	// The bytes the series page loads (application, manifest, commits,
	// the series file), and those it fetched from the network (the
	// application is cached from the overview).
	b.ReportMetric(sBytes/k/1024, "series-KiB")
	b.ReportMetric(sNet/k/1024, "series-net-KiB")
}
