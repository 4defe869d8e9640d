package eval

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/benchgate/benchgate/gate"
)

// sort puts the cells in the order of models(), sizes and deltas.
func (res *Results) sort() {
	mi := map[string]int{}
	for i, m := range models() {
		mi[m.Name] = i
	}
	di := func(d float64) int { return slices.Index(deltas, d) }
	slices.SortFunc(res.Cells, func(a, b Cell) int {
		return cmp.Or(cmp.Compare(mi[a.Model.Name], mi[b.Model.Name]), cmp.Compare(a.N, b.N), cmp.Compare(di(a.Delta), di(b.Delta)))
	})
	slices.SortFunc(res.PR, func(a, b PRCell) int {
		return cmp.Or(cmp.Compare(mi[a.Model.Name], mi[b.Model.Name]), cmp.Compare(a.M, b.M))
	})
	hi, si := map[string]int{}, map[string]int{}
	for i, h := range historyModels() {
		hi[h.Name] = i
	}
	for i, s := range scenarios() {
		si[s.Name] = i
	}
	slices.SortFunc(res.CPD, func(a, b CPDCell) int {
		return cmp.Or(cmp.Compare(si[a.Scenario.Name], si[b.Scenario.Name]), cmp.Compare(hi[a.Noise.Name], hi[b.Noise.Name]))
	})
	slices.SortFunc(res.Delay, func(a, b DelayCell) int {
		return cmp.Or(cmp.Compare(a.Step, b.Step), cmp.Compare(hi[a.Noise.Name], hi[b.Noise.Name]))
	})
}

// Cell returns the PR-gate cell of the named model, n and delta.
func (res *Results) Cell(model string, n int, delta float64) (Cell, bool) {
	for _, c := range res.Cells {
		if c.Model.Name == model && c.N == n && c.Delta == delta {
			return c, true
		}
	}
	return Cell{}, false
}

// Target is one acceptance target of docs/STATISTICS.md §8.5 with the measured
// value.
type Target struct {
	Name     string
	Want     string
	Got      string
	Met      bool
	Worst    string // the cell that decides it
	Measured float64
}

// Targets evaluates the acceptance targets on res.
func (res *Results) Targets() []Target {
	var ts []Target
	worst := func(name, want string, pick func(Cell) (float64, bool), better func(a, b float64) bool, ok func(float64) bool, format func(float64) string) {
		val, where := math.NaN(), ""
		for _, c := range res.Cells {
			v, use := pick(c)
			if !use {
				continue
			}
			if math.IsNaN(val) || better(v, val) {
				val, where = v, fmt.Sprintf("%s, n=%d, δ=%s", c.Model.Name, c.N, sd(c.Delta))
			}
		}
		ts = append(ts, Target{Name: name, Want: want, Got: format(val), Met: ok(val), Worst: where, Measured: val})
	}
	higher := func(a, b float64) bool { return a > b }
	lower := func(a, b float64) bool { return a < b }
	interleavedAA := func(c Cell) bool { return c.Model.Layout == Interleaved && c.N == 10 && c.Delta == 0 }
	worst("A/A false alarm per benchmark, any regression", "≤ 1%",
		func(c Cell) (float64, bool) { return c.Flag[Benchgate].P(), interleavedAA(c) }, higher,
		func(v float64) bool { return v <= 0.01 }, pc)
	worst("A/A false alarm per benchmark, blocking (≥ major)", "≤ 0.1%",
		func(c Cell) (float64, bool) { return c.Block[0].P(), interleavedAA(c) }, higher,
		func(v float64) bool { return v <= 0.001 }, pc)
	logNormal := func(c Cell, maxCV float64) bool {
		return c.Model.Layout == Interleaved && strings.HasPrefix(c.Model.Name, "log-normal") && c.Model.CV <= maxCV+1e-12 && c.N == 10
	}
	powerAt := func(name string, delta, maxCV, want float64) {
		worst(name, "≥ "+pc(want), func(c Cell) (float64, bool) {
			return c.Flag[Benchgate].P(), logNormal(c, maxCV) && c.Delta == delta
		}, lower, func(v float64) bool { return v >= want }, pc)
	}
	powerAt("power at +5%, CV ≤ 2%, n=10", 0.05, 0.02, 0.95)
	powerAt("power at +2%, CV ≤ 1%, n=10", 0.02, 0.01, 0.80)
	powerAt("power at +10%, CV ≤ 5%, n=10", 0.10, 0.05, 0.80)
	worst("+20% classified ≥ major, CV ≤ 5%", "≥ 95%", func(c Cell) (float64, bool) {
		return c.Block[0].P(), logNormal(c, 0.05) && c.Delta == 0.20
	}, lower, func(v float64) bool { return v >= 0.95 }, pc)
	worst("95% interval coverage (log-normal)", "≥ 95%", func(c Cell) (float64, bool) {
		return c.Covered[0].P(), logNormal(c, 0.10)
	}, lower, func(v float64) bool { return v >= 0.95 }, pc)

	// Per-PR blocked rate at m = 50.
	pr, where := math.NaN(), ""
	for _, c := range res.PR {
		if c.M == 50 && (math.IsNaN(pr) || c.Blocked[Benchgate].P() > pr) {
			pr, where = c.Blocked[Benchgate].P(), c.Model.Name
		}
	}
	ts = append(ts, Target{Name: "per-PR blocking false alarm, m=50", Want: "≤ 5%", Got: pc(pr), Met: pr <= 0.05, Worst: where, Measured: pr})

	// Matched false-alarm rate: benchgate against benchstat in every cell.
	losses, cells, gap, gapAt := 0, 0, 0.0, "none"
	for _, c := range res.Cells {
		if c.Delta <= 0 {
			continue
		}
		aa, ok := res.Cell(c.Model.Name, c.N, 0)
		if !ok {
			continue
		}
		cells++
		g := c.matchedPower(aa, 2, 0.01).P() - c.matchedPower(aa, 0, 0.01).P()
		if g > 0 {
			losses++
		}
		if g > gap {
			gap, gapAt = g, fmt.Sprintf("%s, n=%d, δ=%s", c.Model.Name, c.N, sd(c.Delta))
		}
	}
	ts = append(ts, Target{Name: "power ≥ benchstat's at matched FPR 1%", Want: "every cell",
		Got: fmt.Sprintf("lower in %d of %d cells (largest gap %s)", losses, cells, pc(gap)), Met: losses == 0, Worst: gapAt, Measured: float64(losses)})

	// Change points.
	fa, faAt := 0.0, ""
	rec, recAt := math.NaN(), ""
	for _, c := range res.CPD {
		if c.Scenario.Name == "A/A (no change)" && c.Alerts[DetectBenchgate] >= fa {
			fa, faAt = c.Alerts[DetectBenchgate], c.Noise.Name
		}
		if strings.HasPrefix(c.Scenario.Name, "steps of 5.0%") && c.Noise.AR == 0 && c.Noise.BimodalP == 0 && c.Noise.CV <= 0.02 {
			if v := c.Recall[DetectBenchgate].P(); math.IsNaN(rec) || v < rec {
				rec, recAt = v, c.Noise.Name
			}
		}
	}
	ts = append(ts, Target{Name: "change points: false alerts per 1,000 commits (A/A)", Want: "≤ 1", Got: fmt.Sprintf("%.2f", fa), Met: fa <= 1, Worst: faAt, Measured: fa})
	ts = append(ts, Target{Name: "change points: recall of 5% steps, CV ≤ 2%", Want: "≥ 0.9", Got: fmt.Sprintf("%.3f", rec), Met: rec >= 0.9, Worst: recAt, Measured: rec})
	delay, delayAt := 0, ""
	for _, c := range res.Delay {
		if c.Step == 0.05 && c.Noise.AR == 0 && c.Noise.BimodalP == 0 && c.Noise.CV <= 0.02 {
			d := c.Confirmed[DetectBenchgate]
			if d < 0 {
				d = 1 << 20
			}
			if d >= delay {
				delay, delayAt = d, c.Noise.Name
			}
		}
	}
	got := fmt.Sprint(delay)
	if delay == 1<<20 {
		got = fmt.Sprintf("> %d", maxDelay)
	}
	ts = append(ts, Target{Name: "change points: median confirmed delay, 5% step, CV ≤ 2%", Want: "≤ 8 commits", Got: got, Met: delay <= 8, Worst: delayAt, Measured: float64(delay)})
	return ts
}

// sd formats a signed delta.
func sd(d float64) string {
	if d == 0 {
		return "0"
	}
	return fmt.Sprintf("%+g%%", 100*d)
}

// Markdown writes the report. command is the command line that produced it.
func (res *Results) Markdown(w io.Writer, command string) error {
	var b strings.Builder
	cfg := res.Config
	fmt.Fprintf(&b, "# Evaluation of the gate\n\n")
	fmt.Fprintf(&b, "Generated by `%s` (mode %s, seed %d): %d trials per PR-gate cell, %d simulated pull requests per per-PR cell, %d histories per change-point cell. "+
		"Noise library: synthetic models of docs/STATISTICS.md §8.1 (internal/eval, version 1); no replayed runner noise yet. "+
		"Rates are shown with Wilson 95%% intervals where space allows. Policy: `gate.DefaultPolicy` (one-sided α = 0.01, floor 1%%, major 5%%, critical 20%%).\n\n",
		command, cfg.Mode, cfg.Seed, cfg.Trials, cfg.PRTrials, cfg.CPDTrials)

	b.WriteString("## Targets\n\n| target | want | measured | met | deciding cell |\n|---|---|---|---|---|\n")
	for _, t := range res.Targets() {
		met := "yes"
		if !t.Met {
			met = "**no**"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", t.Name, t.Want, t.Got, met, t.Worst)
	}

	b.WriteString("\n## A/A false alarms per benchmark (n = 10 per side, δ = 0)\n\n")
	b.WriteString("\"any\" is any regression (benchgate: minor or worse; benchstat: significant and slower; ratio rule: over the ratio). \"blocking\" is major or critical. \"inconcl.\" is benchgate's inconclusive share (not a failure).\n\n")
	b.WriteString("| noise model | layout | benchgate any | benchgate blocking | inconcl. | paired any | paired blocking | benchstat α=0.05 | benchstat α=0.01 | ratio 110% | ratio 150% | ratio 200% |\n|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, c := range res.Cells {
		if c.N != 10 || c.Delta != 0 {
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", c.Model.Name, c.Model.Layout,
			c.Flag[Benchgate], c.Block[0], c.Inconclusive[0].Short(), c.Flag[BenchgatePaired].Short(), c.Block[1].Short(),
			c.Flag[Benchstat05], c.Flag[Benchstat01].Short(), c.Flag[Ratio110].Short(), c.Flag[Ratio150].Short(), c.Flag[Ratio200].Short())
	}

	b.WriteString("\n## A/A false alarms per pull request (n = 10, nothing changed)\n\n")
	b.WriteString("Share of pull requests with m benchmarks that each rule would fail: benchgate fails on major or worse; benchstat and the ratio rule on any flag.\n\n")
	b.WriteString("| noise model | m | benchgate | benchgate paired | benchstat α=0.05 | benchstat α=0.01 | ratio 110% | ratio 200% |\n|---|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, c := range res.PR {
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s | %s | %s |\n", c.Model.Name, c.M, c.Blocked[Benchgate], c.Blocked[BenchgatePaired].Short(),
			c.Blocked[Benchstat05], c.Blocked[Benchstat01].Short(), c.Blocked[Ratio110].Short(), c.Blocked[Ratio200].Short())
	}

	b.WriteString("\n## Power (n = 10 per side)\n\n")
	b.WriteString("Share of trials flagged as a regression. \"≥ major\" is benchgate's blocking share. The last three columns are the power at a matched A/A false-alarm rate of 1 % (each method's p-value threshold set on the A/A cell of the same noise model).\n\n")
	b.WriteString("| noise model | δ | benchgate | ≥ major | paired | benchstat α=0.05 | benchstat α=0.01 | ratio 110% | ratio 150% | ratio 200% | matched: benchgate | matched: paired | matched: benchstat |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, c := range res.Cells {
		if c.N != 10 || c.Delta <= 0 {
			continue
		}
		aa, _ := res.Cell(c.Model.Name, c.N, 0)
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", c.Model.Name, sd(c.Delta),
			c.Flag[Benchgate], c.Block[0].Short(), c.Flag[BenchgatePaired].Short(), c.Flag[Benchstat05].Short(), c.Flag[Benchstat01].Short(),
			c.Flag[Ratio110].Short(), c.Flag[Ratio150].Short(), c.Flag[Ratio200].Short(),
			c.matchedPower(aa, 0, 0.01).Short(), c.matchedPower(aa, 1, 0.01).Short(), c.matchedPower(aa, 2, 0.01).Short())
	}

	b.WriteString("\n## Sample size (log-normal noise, interleaved)\n\n| noise model | n | A/A any | +2% | +5% | +10% | +20% ≥ major |\n|---|--:|--:|--:|--:|--:|--:|\n")
	for _, c := range res.Cells {
		if c.Delta != 0 || !strings.HasPrefix(c.Model.Name, "log-normal") {
			continue
		}
		row := []string{c.Flag[Benchgate].Short()}
		for _, d := range []float64{0.02, 0.05, 0.10} {
			x, _ := res.Cell(c.Model.Name, c.N, d)
			row = append(row, x.Flag[Benchgate].Short())
		}
		x, _ := res.Cell(c.Model.Name, c.N, 0.20)
		row = append(row, x.Block[0].Short())
		fmt.Fprintf(&b, "| %s | %d | %s |\n", c.Model.Name, c.N, strings.Join(row, " | "))
	}

	b.WriteString("\n## Improvements (sign check, n = 10)\n\n| noise model | δ | benchgate improvement | benchgate regression (sign error) | benchstat α=0.05 regression |\n|---|--:|--:|--:|--:|\n")
	for _, c := range res.Cells {
		if c.N != 10 || c.Delta >= 0 {
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", c.Model.Name, sd(c.Delta), c.Improved.Short(), c.Flag[Benchgate].Short(), c.Flag[Benchstat05].Short())
	}

	b.WriteString("\n## Severity confusion (log-normal CV ≤ 5%, interleaved, n = 10, benchgate)\n\n")
	b.WriteString("True class by δ: 0 → none, +1–2% → minor, +5–10% → major, +20–50% → critical, negative → improvement. Counts of assigned severities.\n\n")
	sevs := []gate.Severity{gate.SeverityNone, gate.SeverityImprovement, gate.SeverityInconclusive, gate.SeverityMinor, gate.SeverityMajor, gate.SeverityCritical}
	b.WriteString("| true δ |")
	for _, s := range sevs {
		fmt.Fprintf(&b, " %s |", s)
	}
	b.WriteString("\n|---|--:|--:|--:|--:|--:|--:|\n")
	for _, d := range deltas {
		var counts [6]int
		for _, c := range res.Cells {
			if c.Delta == d && c.N == 10 && c.Model.Layout == Interleaved && strings.HasPrefix(c.Model.Name, "log-normal") && c.Model.CV <= 0.05 {
				for i := range counts {
					counts[i] += c.Severity[0][i]
				}
			}
		}
		fmt.Fprintf(&b, "| %s |", sd(d))
		for _, s := range sevs {
			fmt.Fprintf(&b, " %d |", counts[s])
		}
		b.WriteString("\n")
	}

	b.WriteString("\n## Interval coverage and bias (n = 10, δ = +5%)\n\nCoverage of the displayed 95% interval of the change; bias of the Hodges–Lehmann estimate (percentage points). Only models where head is base shifted by a constant factor have a true shift to cover; drift, throttling and warm-up under separate jobs add their own bias by design.\n\n")
	b.WriteString("| noise model | coverage | paired coverage | bias |\n|---|--:|--:|--:|\n")
	for _, c := range res.Cells {
		if c.N != 10 || c.Delta != 0.05 {
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %+.2f |\n", c.Model.Name, c.Covered[0], c.Covered[1].Short(), 100*c.Bias)
	}

	b.WriteString("\n## Change points on main-branch histories\n\n")
	b.WriteString("Recall and precision with ±2 commits tolerance (Otava's convention: the first changed commit); false alerts per 1,000 commits count reports matching no true change. benchgate: E-divisive, window 50, p < 0.001, Welch t-test on logs, magnitude ≥ 1%. Otava defaults: the same with a pooled t-test on raw values and no minimum magnitude. asv-style: Potts fit with γ = 4 ln n / n, steps ≥ 5%.\n\n")
	b.WriteString("| scenario | history noise | recall: benchgate | Otava | asv | precision: benchgate | Otava | asv | false alerts/1k: benchgate | Otava | asv |\n|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, c := range res.CPD {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %.2f | %.2f | %.2f |\n", c.Scenario.Name, c.Noise.Name,
			c.Recall[0].Short(), c.Recall[1].Short(), c.Recall[2].Short(),
			c.Precision[0].Short(), c.Precision[1].Short(), c.Precision[2].Short(),
			c.Alerts[0], c.Alerts[1], c.Alerts[2])
	}
	b.WriteString("\n### Detection delay (single step at commit 200)\n\nMedian points after the step (its commit included) until a detection within ±2 commits: provisional from 3 points, confirmed from 8. \"–\" means fewer than half the histories had one within 30 points.\n\n")
	b.WriteString("| step | history noise | provisional: benchgate | Otava | asv | confirmed: benchgate | Otava | asv | confirmed within 30: benchgate |\n|--:|---|--:|--:|--:|--:|--:|--:|--:|\n")
	dl := func(d int) string {
		if d < 0 {
			return "–"
		}
		return fmt.Sprint(d)
	}
	for _, c := range res.Delay {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", sd(c.Step), c.Noise.Name,
			dl(c.Provisional[0]), dl(c.Provisional[1]), dl(c.Provisional[2]), dl(c.Confirmed[0]), dl(c.Confirmed[1]), dl(c.Confirmed[2]), c.Found[0].Short())
	}
	_, err := io.WriteString(w, b.String())
	return err
}
