package site

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/pipeline"
	"github.com/benchgate/benchgate/internal/results"
)

// chromiumPath is Debian's Chromium, which scripts/test.sh installs; a
// missing browser fails the browser tests rather than skipping them.
func chromiumPath(tb testing.TB) string {
	tb.Helper()
	for _, p := range []string{os.Getenv("BENCHGATE_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	tb.Fatal("no Chromium: install Debian's chromium (scripts/test.sh does) or set BENCHGATE_CHROMIUM")
	return ""
}

// artifacts is where screenshots go: $BENCHGATE_ARTIFACTS/<test> when set
// (CI keeps them), else a test directory.
func artifacts(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	if a := os.Getenv("BENCHGATE_ARTIFACTS"); a != "" {
		dir = filepath.Join(a, tb.Name())
		if err := os.MkdirAll(dir, 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// browser is a headless Chromium watching a page for console errors,
// exceptions, dialogs and requests that leave the origin.
type browser struct {
	ctx    context.Context
	origin string

	mu       sync.Mutex
	problems []string
	requests int
}

func (b *browser) problem(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.problems = append(b.problems, fmt.Sprintf(format, args...))
}

// listen records what the page must never do. It runs on chromedp's
// reading goroutine: it only records (a dialog is dismissed from another
// goroutine).
func (b *browser) listen(ev any) {
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range ev.Args {
				args = append(args, strings.TrimSpace(fmt.Sprintf("%s %s", a.Value, a.Description)))
			}
			b.problem("console %s: %s", ev.Type, strings.Join(args, " "))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		desc := ""
		if d.Exception != nil {
			desc = d.Exception.Description
		}
		b.problem("exception at %s:%d: %s %s", d.URL, d.LineNumber, d.Text, desc)
	case *page.EventJavascriptDialogOpening:
		b.problem("a %s dialog opened: %q", ev.Type, ev.Message)
		go func() {
			_ = chromedp.Do(b.ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
				_, err := cdp.Call(ctx, t, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{})
				return err
			}))
		}()
	case *network.EventRequestWillBeSent:
		b.mu.Lock()
		b.requests++
		b.mu.Unlock()
		u, err := url.Parse(ev.Request.URL)
		if err != nil || (u.Scheme != "data" && u.Scheme != "blob" && u.Scheme+"://"+u.Host != b.origin) ||
			(b.origin == "file://" && u.Path != "" && !strings.HasSuffix(u.Path, "/report.html")) {
			b.problem("a request left the origin: %s", ev.Request.URL)
		}
	}
}

// newBrowser starts Chromium with the flags of DESIGN.md and a fresh
// profile; it is stopped at cleanup.
func newBrowser(tb testing.TB, origin string) *browser {
	tb.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(tb)),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	b := &browser{origin: origin}
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(b.listen))
	b.ctx = ctx
	tb.Cleanup(func() { cancel(); cancelAlloc() })
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, runtime.Enable, cdp.Empty{})
		return err
	}))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// do runs actions, failing the test with the step that failed; every step
// is bounded.
func (b *browser) do(tb testing.TB, step string, actions ...chromedp.Action[chromedp.Void]) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 90*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.Fatalf("%s: %v", step, err)
	}
}

// get1 runs one action for its value.
func get1[T any](tb testing.TB, b *browser, step string, a chromedp.Action[T]) T {
	tb.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 90*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		tb.Fatalf("%s: %v", step, err)
	}
	return v
}

// shot saves a screenshot of the page as dir/name.png.
func (b *browser) shot(tb testing.TB, dir, name string) {
	tb.Helper()
	png := get1(tb, b, "screenshot "+name, chromedp.CaptureScreenshot())
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// ready waits for the application to say view has rendered.
func ready(view string) chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(chromedp.CSS(`body[data-ready="` + view + `"]`))
}

// poll waits up to d for expr to be truthy and returns its value.
func poll[T any](expr string, d time.Duration) chromedp.Action[T] {
	return chromedp.Poll[T](expr, chromedp.WithPollingTimeout(d))
}

// browserSite builds the site of a store holding an imported
// github-action-benchmark history and the native fixture (with its change
// point and hostile name), served on loopback by Server.
func browserSite(tb testing.TB) string {
	tb.Helper()
	path, db := fixture(tb, 40)
	gab := filepath.Join("..", "results", "testdata", "gab-data.js", "antlabs__gurl.data.js")
	f, err := os.Open(gab)
	if err != nil {
		tb.Fatal(err)
	}
	h, err := results.ReadGABHistory(f, gab)
	f.Close()
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := pipeline.ImportHistory(context.Background(), db, h, gab, pipeline.ImportOptions{Ref: "refs/heads/main"}); err != nil {
		tb.Fatal(err)
	}
	db.Close()
	srv := &Server{DBPath: path, Opts: Options{Repo: "acme/models", Downloads: true}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	hs := httptest.NewServer(srv)
	tb.Cleanup(func() { hs.Close(); srv.Close() })
	return hs.URL
}

// TestBrowser walks the site as a person would, in Chromium: overview,
// filter to one model, a series page whose chart drew with its change
// point, a hover, the SQL tab, dark mode, the hostile name — with no
// console error, no dialog and no request beyond the site's origin.
func TestBrowser(t *testing.T) {
	origin := browserSite(t)
	shots := artifacts(t)
	b := newBrowser(t, origin)
	defer func() {
		t.Logf("screenshots in %s; %d requests, all to %s", shots, b.requests, origin)
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, p := range b.problems {
			t.Error(p)
		}
	}()

	b.do(t, "overview", chromedp.Navigate(origin+"/#/"), ready("overview"))
	text := get1(t, b, "overview text", chromedp.Text(chromedp.CSS("body")))
	if !strings.Contains(text, "resnet50") || !strings.Contains(strings.ToLower(text), "regress") {
		t.Errorf("the overview names no resnet50 regression:\n%s", text)
	}
	b.shot(t, shots, "1-overview")

	b.do(t, "series list", chromedp.Click(chromedp.CSS(`[data-testid="nav-series"]`)), ready("series"),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="search"]`), "resnet50"))
	rows := get1(t, b, "filter", poll[int](`(() => { const r = document.querySelectorAll('[data-testid="series-row"]');
		return r.length > 0 && [...r].every(e => e.textContent.includes('resnet50')) ? r.length : 0 })()`, 20*time.Second))
	// resnet50: 2 batch sizes × 2 hardware × 3 metrics.
	if rows != 12 {
		t.Errorf("filtered to resnet50: %d rows, want 12", rows)
	}
	b.shot(t, shots, "2-series-filtered")

	slow := SeriesID(results.SeriesKey{Benchmark: "resnet50", Params: "batch_size=8", Metric: "latency", Hardware: "cuda", Device: "H100"})
	b.do(t, "series page", chromedp.Navigate(origin+"/#/s/"+slow), ready("serie"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="chart"] canvas`)))
	marks := get1(t, b, "change points", poll[int](`Number(document.querySelector('[data-testid="chart"]').dataset.changepoints || 0)`, 20*time.Second))
	if marks != 1 {
		t.Errorf("the chart marks %d change points, want 1", marks)
	}
	painted := get1(t, b, "chart pixels", chromedp.Evaluate[int](`(() => { const c = document.querySelector('[data-testid="chart"] canvas');
		const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; const first = d.slice(0, 4).join();
		let n = 0; for (let i = 0; i < d.length; i += 4) if (d.slice(i, i + 4).join() !== first) n++; return n })()`))
	if painted < 500 {
		t.Errorf("the chart's canvas has %d pixels unlike its corner: it looks blank", painted)
	}
	box := get1(t, b, "chart box", chromedp.Evaluate[[]float64](`(() => { const r = document.querySelector('[data-testid="chart"] canvas').getBoundingClientRect();
		return [r.left, r.top, r.width, r.height] })()`))
	b.do(t, "hover", chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, box[0]+box[2]*0.6, box[1]+box[3]*0.5),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, box[0]+box[2]*0.62, box[1]+box[3]*0.5))
	tip := get1(t, b, "tooltip", poll[string](`(() => { const t = document.querySelector('[data-testid="tooltip"]');
		return t && t.offsetParent !== null && t.textContent.trim() ? t.textContent : '' })()`, 10*time.Second))
	if !strings.ContainsAny(tip, "0123456789") || !strings.Contains(tip, "ms") {
		t.Errorf("hover tooltip %q: want a value in ms with its commit", tip)
	}
	raw := get1(t, b, "raw table", chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="raw-table"] tbody tr').length`))
	if raw < 40 {
		t.Errorf("raw data table: %d rows, want the 40 main-branch points", raw)
	}
	b.shot(t, shots, "3-series-page")

	q := "SELECT benchmark, count(*) AS n FROM performance_results GROUP BY 1 ORDER BY 1"
	b.do(t, "sql", chromedp.Navigate(origin+"/#/sql?q="+url.QueryEscape(q)), ready("sql"),
		chromedp.Click(chromedp.CSS(`[data-testid="sql-run"]`)))
	sqlRows := get1(t, b, "sql rows", poll[int](`(() => { const e = document.querySelector('[data-testid="sql-error"]');
		if (e && e.textContent.trim()) return -1;
		return Number(document.querySelector('[data-testid="sql-result"]')?.dataset.rows || 0) })()`, 60*time.Second))
	if sqlRows < 4 { // resnet50, bert-base, the hostile name and gurl's benchmarks
		e := get1(t, b, "sql error", chromedp.Evaluate[string](`document.querySelector('[data-testid="sql-error"]')?.textContent || ''`))
		t.Errorf("the SQL tab returned %d rows (error %q), want one per benchmark", sqlRows, e)
	}
	b.shot(t, shots, "4-sql")

	bg := `getComputedStyle(document.body).backgroundColor`
	b.do(t, "overview again", chromedp.Navigate(origin+"/#/"), ready("overview"))
	light := get1(t, b, "light background", chromedp.Evaluate[string](bg))
	b.do(t, "dark mode", chromedp.Click(chromedp.CSS(`[data-testid="theme-toggle"]`)))
	dark := get1(t, b, "dark background", poll[string](`(() => { const c = `+bg+`; return c !== `+strconvQuote(light)+` ? c : '' })()`, 10*time.Second))
	if light == dark {
		t.Errorf("the theme toggle left the background %s", light)
	}
	b.shot(t, shots, "5-dark")

	evil := SeriesID(results.SeriesKey{Benchmark: hostile, Params: "batch_size=1", Metric: "latency", Hardware: "cpu", Device: "EPYC 9654"})
	b.do(t, "hostile name", chromedp.Navigate(origin+"/#/s/"+evil), ready("serie"))
	shown := get1(t, b, "hostile text", chromedp.Text(chromedp.CSS("body")))
	injected := get1(t, b, "injected", chromedp.Evaluate[int](`document.querySelectorAll('img[src="x"]').length`))
	if !strings.Contains(shown, hostile) || injected != 0 {
		t.Errorf("the hostile name: shown as text %v, %d injected img elements", strings.Contains(shown, hostile), injected)
	}
	b.shot(t, shots, "6-hostile")
}

// strconvQuote quotes s as a JavaScript string literal.
func strconvQuote(s string) string {
	data, _ := json.Marshal(s)
	return string(data)
}

// TestBrowserReport opens the single-file HTML report from disk: the
// overview with its verdict and a series chart render from the inlined
// data, with no console error, no dialog and no request at all beyond the
// file itself.
func TestBrowserReport(t *testing.T) {
	_, db := fixture(t, 40)
	cmp := &comparison.Comparison{Base: comparison.Side{Label: "main"}, Head: comparison.Side{Label: "pr"}}
	path := filepath.Join(t.TempDir(), "report.html")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := WriteReport(context.Background(), db, f, Options{Repo: "acme/models", Comparison: cmp, Note: "a note"}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	shots := artifacts(t)
	u := "file://" + path
	b := newBrowser(t, "file://")
	defer func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, p := range b.problems {
			t.Error(p)
		}
	}()
	b.do(t, "report overview", chromedp.Navigate(u+"#/"), ready("overview"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="comparison"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="note"]`)))
	nav := get1(t, b, "nav", chromedp.Evaluate[string](`[...document.querySelectorAll('.nav a')].map(a => a.dataset.nav).join(',')`))
	if strings.Contains(nav, "sql") || strings.Contains(nav, "downloads") {
		t.Errorf("the report offers %s: a file has no SQL tables or downloads", nav)
	}
	b.shot(t, shots, "report-overview")
	slow := SeriesID(results.SeriesKey{Benchmark: "resnet50", Params: "batch_size=8", Metric: "latency", Hardware: "cuda", Device: "H100"})
	b.do(t, "report series", chromedp.Navigate(u+"#/s/"+slow), ready("serie"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="chart"] canvas`)))
	if marks := get1(t, b, "change points", poll[int](`Number(document.querySelector('[data-testid="chart"]').dataset.changepoints || 0)`, 20*time.Second)); marks != 1 {
		t.Errorf("the report's chart marks %d change points, want 1", marks)
	}
	b.shot(t, shots, "report-series")
}
