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
	order := func(name string) int {
		if i, ok := si[name]; ok {
			return i
		}
		return len(si) // the plateaus, by name
	}
	slices.SortFunc(res.CPD, func(a, b CPDCell) int {
		return cmp.Or(cmp.Compare(order(a.Scenario.Name), order(b.Scenario.Name)), strings.Compare(a.Scenario.Name, b.Scenario.Name), cmp.Compare(hi[a.Noise.Name], hi[b.Noise.Name]))
	})
	slices.SortFunc(res.Flip, func(a, b FlipCell) int { return cmp.Compare(hi[a.Noise.Name], hi[b.Noise.Name]) })
	slices.SortFunc(res.Group, func(a, b GroupCell) int { return cmp.Compare(hi[a.Noise.Name], hi[b.Noise.Name]) })
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

	// Against benchstat at its own default α = 0.05, on the same draws.
	fewer, models, worseAt := 0, 0, "none"
	gap, gapAt := 0.0, "none"
	for _, c := range res.Cells {
		if c.Model.Layout != Interleaved || c.N != 10 {
			continue
		}
		if c.Delta == 0 {
			models++
			if c.Flag[Benchgate].P() <= c.Flag[Benchstat05].P() {
				fewer++
			} else {
				worseAt = c.Model.Name
			}
		}
		if logNormal(c, 0.05) && slices.Contains([]float64{0.05, 0.10}, c.Delta) {
			if g := c.Flag[Benchstat05].P() - c.Flag[Benchgate].P(); g > gap {
				gap, gapAt = g, fmt.Sprintf("%s, n=10, δ=%s", c.Model.Name, sd(c.Delta))
			}
		}
	}
	ts = append(ts, Target{Name: "A/A false alarms at most benchstat α=0.05's", Want: "every model",
		Got: fmt.Sprintf("lower in %d of %d models", fewer, models), Met: fewer == models, Worst: worseAt, Measured: float64(models - fewer)})
	ts = append(ts, Target{Name: "power within 5 points of benchstat α=0.05's (δ +5%, +10%, CV ≤ 5%)", Want: "gap ≤ 5 points",
		Got: fmt.Sprintf("largest gap %s", pc(gap)), Met: gap <= 0.05, Worst: gapAt, Measured: gap})
	return append(ts, res.changePointTargets()...)
}

// changePointTargets evaluates the change-point targets of issue 10.
func (res *Results) changePointTargets() []Target {
	var ts []Target
	type pick func(CPDCell) (float64, bool)
	cpd := func(name, want string, p pick, worse func(a, b float64) bool, ok func(float64) bool, format func(float64) string) {
		val, where := math.NaN(), ""
		for _, c := range res.CPD {
			if v, use := p(c); use && (math.IsNaN(val) || worse(v, val)) {
				val, where = v, c.Scenario.Name+", "+c.Noise.Name
			}
		}
		ts = append(ts, Target{Name: name, Want: want, Got: format(val), Met: ok(val), Worst: where, Measured: val})
	}
	higher := func(a, b float64) bool { return a > b }
	lower := func(a, b float64) bool { return a < b }
	f2 := func(v float64) string { return fmt.Sprintf("%.2f", v) }
	f3 := func(v float64) string { return fmt.Sprintf("%.3f", v) }
	oneSample := func(h HistoryNoise, maxCV float64) bool {
		return !h.repeated() && h.AR == 0 && h.BimodalP == 0 && h.CV <= maxCV+1e-12
	}
	cpd("change points: false alerts per 1,000 commits (A/A, i.i.d. CV ≤ 5% and AR(1) ρ=0.3)", "≤ 1", func(c CPDCell) (float64, bool) {
		return c.Alerts[DetectBenchgate], c.Scenario.Name == "A/A (no change)" && c.Noise.BimodalP == 0
	}, higher, func(v float64) bool { return v <= 1 }, f2)
	cpd("change points: recall of 5% steps, one sample per commit, CV ≤ 2%", "≥ 0.9", func(c CPDCell) (float64, bool) {
		return c.Recall[DetectBenchgate].P(), strings.HasPrefix(c.Scenario.Name, "steps of 5.0%") && oneSample(c.Noise, 0.02)
	}, lower, func(v float64) bool { return v >= 0.9 }, f3)
	cpd("change points: recall of 5% steps, 10 samples per commit, CV 2%", "≥ 0.9", func(c CPDCell) (float64, bool) {
		return c.Recall[DetectBenchgate].P(), strings.HasPrefix(c.Scenario.Name, "steps of 5.0%") && c.Noise.repeated() && c.Noise.CV <= 0.02
	}, lower, func(v float64) bool { return v >= 0.9 }, f3)
	cpd("change points: recall of 10% steps, one sample per commit, CV 2%", "≥ 0.8", func(c CPDCell) (float64, bool) {
		return c.Recall[DetectBenchgate].P(), strings.HasPrefix(c.Scenario.Name, "steps of 10.0%") && !c.Noise.repeated() && c.Noise.CV == 0.02
	}, lower, func(v float64) bool { return v >= 0.8 }, f3)
	cpd("change points: recall of 5% steps beside failed-run pairs, CV ≤ 2%", "≥ 0.9", func(c CPDCell) (float64, bool) {
		return c.Recall[DetectBenchgate].P(), c.Scenario.Name == "steps of 5% beside failed-run pairs" && (oneSample(c.Noise, 0.02) || c.Noise.repeated() && c.Noise.CV <= 0.02)
	}, lower, func(v float64) bool { return v >= 0.9 }, f3)
	cpd("change points: false alerts per 1,000 commits with failed runs (i.i.d. and AR(1))", "≤ 1", func(c CPDCell) (float64, bool) {
		return c.Alerts[DetectBenchgate], strings.HasPrefix(c.Scenario.Name, "failed runs") && c.Noise.BimodalP == 0
	}, higher, func(v float64) bool { return v <= 1 }, f2)
	cpd("change points: recall of 3-commit plateaus at +8σ", "≥ 0.9", func(c CPDCell) (float64, bool) {
		return c.Recall[DetectBenchgate].P(), c.Scenario.Name == "plateau of 3 commits at +8σ"
	}, lower, func(v float64) bool { return v >= 0.9 }, f3)

	var flip Rate
	flipAt, worstFlip := "none", -1.0
	for _, c := range res.Flip {
		flip.K += c.Flipped
		flip.N += c.Confirmed
		if v := c.Share().P(); v > worstFlip {
			worstFlip, flipAt = v, c.Noise.Name
		}
	}
	ts = append(ts, Target{Name: "confirmed changes that flip on re-analysis", Want: "0%", Got: flip.String(), Met: flip.K == 0, Worst: flipAt, Measured: flip.P()})
	together, apart := Rate{}, Rate{}
	for _, c := range res.Group {
		together.K, together.N = together.K+c.Together.K, together.N+c.Together.N
		apart.K, apart.N = apart.K+c.Apart.K, apart.N+c.Apart.N
	}
	ts = append(ts, Target{Name: "grouping by commit: one change at one commit in a late-starting, sparser series is one group", Want: "100%",
		Got: together.String(), Met: together.K == together.N, Worst: "all history models", Measured: together.P()})
	ts = append(ts, Target{Name: "grouping by commit: changes 20 commits apart are two groups", Want: "100%",
		Got: apart.String(), Met: apart.K == apart.N, Worst: "all history models", Measured: apart.P()})

	delay, delayAt := 0, ""
	for _, c := range res.Delay {
		if c.Step == 0.05 && oneSample(c.Noise, 0.02) {
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
	ts = append(ts, Target{Name: "change points: median confirmed delay, 5% step, CV ≤ 2%", Want: "≤ 5 commits", Got: got, Met: delay <= 5, Worst: delayAt, Measured: float64(delay)})
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
	if cfg.Mode == "real" {
		fmt.Fprintf(&b, "# Change points on real histories\n\nGenerated by `%s` (seed %d).\n", command, cfg.Seed)
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
		return RealMarkdown(w, res.Real)
	}
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

	res.changePointMarkdown(&b)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	if len(res.Real) == 0 {
		return nil
	}
	return RealMarkdown(w, res.Real)
}

// changePointMarkdown writes the change-point sections of the report.
func (res *Results) changePointMarkdown(b *strings.Builder) {
	b.WriteString("\n## Change points on main-branch histories\n\n")
	b.WriteString("Recall and precision with ±2 commits tolerance (Otava's convention: the first changed commit); false alerts per 1,000 commits count reports matching no true change; \"at failed runs\" counts those within ±2 commits of a failed run (−97 %). " +
		"benchgate: `gate.ChangePointsOf` with its defaults (outliers set aside, E-divisive and moving-sum candidates, pooled t-test on logs widened for autocorrelation, p < 0.001 corrected for the search, magnitude ≥ 1 %), reading every sample of a commit. " +
		"Otava defaults: E-divisive, window 50, Student's pooled t-test on raw values, p < 0.001 uncorrected, no minimum magnitude, one value (the median) per commit. " +
		"asv-style: Potts fit with γ = 4 ln n / n, steps ≥ 5 %. ratio 200 %: github-action-benchmark's default alert, a commit at least twice the previous one (it sees worsening only). " +
		"σ of a plateau is the commit-level noise.\n\n")
	b.WriteString("| scenario | history noise | recall: benchgate | Otava | asv | ratio 200% | precision: benchgate | Otava | false alerts/1k: benchgate | Otava | asv | ratio 200% | at failed runs: benchgate | Otava |\n|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, c := range res.CPD {
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %s | %.2f | %.2f | %.2f | %.2f | %s | %s |\n", c.Scenario.Name, c.Noise.Name,
			c.Recall[0].Short(), c.Recall[1].Short(), c.Recall[2].Short(), c.Recall[3].Short(),
			c.Precision[0].Short(), c.Precision[1].Short(),
			c.Alerts[0], c.Alerts[1], c.Alerts[2], c.Alerts[3], outlierCount(c, 0), outlierCount(c, 1))
	}
	b.WriteString("\n### Detection delay (single step at commit 200)\n\nMedian points after the step (its commit included) until a detection within ±2 commits, and until a confirmed one: benchgate's own confirmation (5 points after and a re-test at p < 0.0001); for Otava and asv, 8 points after (their convention). \"–\" means fewer than half the histories had one within 30 points.\n\n")
	b.WriteString("| step | history noise | provisional: benchgate | Otava | asv | confirmed: benchgate | Otava | asv | confirmed within 30: benchgate |\n|--:|---|--:|--:|--:|--:|--:|--:|--:|\n")
	dl := func(d int) string {
		if d < 0 {
			return "–"
		}
		return fmt.Sprint(d)
	}
	for _, c := range res.Delay {
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", sd(c.Step), c.Noise.Name,
			dl(c.Provisional[0]), dl(c.Provisional[1]), dl(c.Provisional[2]), dl(c.Confirmed[0]), dl(c.Confirmed[1]), dl(c.Confirmed[2]), c.Found[0].Short())
	}
	b.WriteString("\n### Re-analysis and grouping\n\nRe-analysis: histories of 400 commits with steps +5 % at 100, −5 % at 200, +10 % at 300, analysed as they grow (every 20 commits from 60); a change confirmed at some point flips when the analysis of the whole history no longer confirms a change whose suspect range (the commits the data cannot tell apart as the change's, `ChangePoint.From`–`To`) overlaps its own. " +
		"Grouping: series a measures every commit, b starts at commit 100 and measures every other one; both change +10 % at commit 251 (one group wanted), a alone at 300 and b alone at 320 (two groups wanted).\n\n")
	b.WriteString("| history noise | confirmed | flipped | spurious confirmed | one group at one commit | apart when 20 commits apart |\n|---|--:|--:|--:|--:|--:|\n")
	for i, c := range res.Flip {
		g := GroupCell{}
		if i < len(res.Group) {
			g = res.Group[i]
		}
		fmt.Fprintf(b, "| %s | %d | %s | %d | %s | %s |\n", c.Noise.Name, c.Confirmed, c.Share().Short(), c.Spurious, g.Together.Short(), g.Apart.Short())
	}
}

// outlierCount shows the reports at failed runs of scenarios that have them.
func outlierCount(c CPDCell, d Detector) string {
	if !c.Scenario.Outliers {
		return "–"
	}
	return fmt.Sprint(c.AtOutliers[d])
}
