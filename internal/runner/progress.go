package runner

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/benchgate/benchgate/internal/config"
)

// Progress is told what Run is doing: how many runs there are, and each
// run's start and end. Run calls it from one goroutine.
type Progress interface {
	Start(total int)
	Begin(job config.Job, repetition int)
	End(o Outcome)
	Finish()
}

// Bar is a live progress bar with the current benchmark, the count and an
// ETA, for a terminal. Log lines must go through LogWriter so that they do
// not tear the bar.
type Bar struct {
	mu  sync.Mutex
	w   io.Writer
	bar *progressbar.ProgressBar
}

// NewBar returns a progress bar drawing on w (a terminal).
func NewBar(w io.Writer) *Bar { return &Bar{w: w} }

// Start draws an empty bar for total runs.
func (b *Bar) Start(total int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.bar = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(b.w),
		progressbar.OptionSetWidth(30),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetDescription("benchmarks"),
		progressbar.OptionFullWidth(),
	)
	_ = b.bar.RenderBlank() // Note: a terminal write error only loses the drawing.
}

// Begin shows the benchmark being run.
func (b *Bar) Begin(j config.Job, rep int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bar != nil {
		b.bar.Describe(fmt.Sprintf("%s #%d", j.Name, rep))
	}
}

// End advances the bar by one run.
func (b *Bar) End(Outcome) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bar != nil {
		_ = b.bar.Add(1)
	}
}

// Finish completes the bar and ends its line.
func (b *Bar) Finish() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bar != nil {
		_ = b.bar.Finish()
		fmt.Fprintln(b.w)
		b.bar = nil
	}
}

// LogWriter returns a writer for log lines that clears the bar before each
// write and redraws it after.
func (b *Bar) LogWriter() io.Writer { return barLog{b} }

type barLog struct{ b *Bar }

func (l barLog) Write(p []byte) (int, error) {
	l.b.mu.Lock()
	defer l.b.mu.Unlock()
	if l.b.bar == nil {
		return l.b.w.Write(p)
	}
	_ = l.b.bar.Clear()
	n, err := l.b.w.Write(p)
	_ = l.b.bar.RenderBlank()
	return n, err
}

// Groups writes GitHub Actions log groups: each run's log lines are folded
// under "::group::<job> (repetition r)", closed by "::endgroup::". w must
// be the stream the logs go to, so that the markers and the lines keep
// their order.
type Groups struct {
	w     io.Writer
	total int
	n     int
}

// NewGroups returns a Progress writing workflow commands to w.
func NewGroups(w io.Writer) *Groups { return &Groups{w: w} }

// Start remembers the total for the group titles.
func (g *Groups) Start(total int) { g.total = total }

// Begin opens the run's group.
func (g *Groups) Begin(j config.Job, rep int) {
	g.n++
	fmt.Fprintf(g.w, "::group::%s\n", escapeData(fmt.Sprintf("[%d/%d] %s (repetition %d)", g.n, g.total, j.Name, rep)))
}

// End closes the run's group and, for a failure, leaves its error outside
// the fold.
func (g *Groups) End(o Outcome) {
	fmt.Fprintln(g.w, "::endgroup::")
	if o.Failure != nil {
		fmt.Fprintf(g.w, "::error title=%s::%s\n", escapeProperty("benchmark "+o.Job.Name+" failed"),
			escapeData(string(o.Failure.Type)+": "+o.Failure.Message))
	}
}

// Finish does nothing: every group is closed.
func (g *Groups) Finish() {}

// escapeData escapes a workflow command's message (as the Actions toolkit
// does): %, CR and LF.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value: also : and ,.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
