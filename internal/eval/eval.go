package eval

import (
	"math/rand/v2"
	"runtime"
	"sync"
)

// Config sizes a run of the evaluation.
type Config struct {
	Mode   string // "short" or "full", recorded in the report
	Seed   uint64
	Trials int // draws per PR-gate cell (≥ 2,000 in full mode)
	// PRTrials is the number of simulated pull requests per (model, m).
	PRTrials int
	// CPDTrials is the number of histories per change-point cell and per
	// delay cell.
	CPDTrials int
	// Workers bounds the parallelism; 0 means GOMAXPROCS. The results do
	// not depend on it.
	Workers int
}

// Short is the configuration of the short mode, run by go test: a few
// hundred trials per cell, seconds on two cores.
func Short(seed uint64) Config {
	return Config{Mode: "short", Seed: seed, Trials: 300, PRTrials: 100, CPDTrials: 40}
}

// Full is the configuration of the full mode behind docs/evaluation.md.
func Full(seed uint64) Config {
	return Config{Mode: "full", Seed: seed, Trials: 2000, PRTrials: 2000, CPDTrials: 500}
}

// Deltas are the true changes of the PR-gate cells: A/A, regressions and
// improvements.
var deltas = []float64{0, 0.01, 0.02, 0.05, 0.10, 0.20, 0.50, -0.05, -0.10}

// Sizes are the samples per side; sizes other than 10 run on the log-normal
// models only.
var sizes = []int{5, 10, 20}

// prSizes are the numbers of benchmarks per simulated pull request.
var prSizes = []int{10, 50, 200}

// Results holds every cell of a run.
type Results struct {
	Config Config
	Cells  []Cell    // PR gate: model × n × delta
	PR     []PRCell  // per-PR false alarms
	CPD    []CPDCell // change points: noise × scenario
	Delay  []DelayCell
	Flip   []FlipCell  // confirmed changes on re-analysis, per noise
	Group  []GroupCell // grouping by commit, per noise
	Real   []RealCell  // steps injected into real histories, when given
}

// PRCell is the share of simulated pull requests, each of M benchmarks none
// of which changed, that each method would have failed.
type PRCell struct {
	Model   Noise
	M       int
	Blocked [numMethods]Rate // benchgate and paired: ≥ major; others: any flag
}

// Run runs the evaluation. Every cell has its own generator, seeded from
// cfg.Seed and the cell's number, so the results depend on the seed only.
func Run(cfg Config) Results {
	res := Results{Config: cfg}
	var jobs []func(r *rand.Rand)
	var mu sync.Mutex
	add := func(f func(r *rand.Rand)) { jobs = append(jobs, f) }

	ms := models()
	for mi, m := range ms {
		for _, n := range sizes {
			if n != 10 && !(m.Layout == Interleaved && mi < 5) {
				continue
			}
			for _, d := range deltas {
				add(func(r *rand.Rand) {
					c := runCell(r, m, n, d, cfg.Trials)
					mu.Lock()
					res.Cells = append(res.Cells, c)
					mu.Unlock()
				})
			}
		}
	}
	for _, m := range prModels() {
		for _, k := range prSizes {
			add(func(r *rand.Rand) {
				c := runPR(r, m, k, cfg.PRTrials)
				mu.Lock()
				res.PR = append(res.PR, c)
				mu.Unlock()
			})
		}
	}
	for _, h := range historyModels() {
		for _, sc := range scenarios() {
			add(func(r *rand.Rand) {
				c := runCPD(r, h, sc, cfg.CPDTrials)
				mu.Lock()
				res.CPD = append(res.CPD, c)
				mu.Unlock()
			})
		}
		for _, k := range []int{3, 5} {
			sc := plateauScenario(h, k)
			add(func(r *rand.Rand) {
				c := runCPD(r, h, sc, cfg.CPDTrials)
				mu.Lock()
				res.CPD = append(res.CPD, c)
				mu.Unlock()
			})
		}
		add(func(r *rand.Rand) {
			c := runFlip(r, h, cfg.CPDTrials)
			mu.Lock()
			res.Flip = append(res.Flip, c)
			mu.Unlock()
		})
		add(func(r *rand.Rand) {
			c := runGroup(r, h, cfg.CPDTrials)
			mu.Lock()
			res.Group = append(res.Group, c)
			mu.Unlock()
		})
		for _, step := range []float64{0.02, 0.05, 0.10} {
			add(func(r *rand.Rand) {
				c := runDelay(r, h, step, cfg.CPDTrials)
				mu.Lock()
				res.Delay = append(res.Delay, c)
				mu.Unlock()
			})
		}
	}

	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				jobs[i](rand.New(rand.NewPCG(cfg.Seed, uint64(i))))
			}
		})
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	res.sort()
	return res
}

// prModels are the noise models of the per-PR simulation.
func prModels() []Noise {
	all := models()
	return []Noise{all[2], all[3], all[5], all[11]}
}

// runPR simulates trials pull requests of m unchanged benchmarks.
func runPR(r *rand.Rand, model Noise, m, trials int) PRCell {
	c := PRCell{Model: model, M: m}
	for range trials {
		var any [numMethods]bool
		for range m {
			base, head := model.draw(r, 10, 0)
			t := judge(base, head, 0)
			for k := range numMethods {
				switch k {
				case Benchgate, BenchgatePaired:
					any[k] = any[k] || t.block[k]
				default:
					any[k] = any[k] || t.flag[k]
				}
			}
		}
		for k := range numMethods {
			c.Blocked[k].add(any[k])
		}
	}
	return c
}
