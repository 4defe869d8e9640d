package eval

import (
	"math"
	"math/rand/v2"
)

// Layout is how base (A) and head (B) runs are scheduled.
type Layout int

const (
	// Interleaved runs A and B in rounds on one job, each round in random
	// order (RMIT): job-level effects are shared by both sides.
	Interleaved Layout = iota
	// Separate runs A's runs, then B's, as two jobs in sequence: each side
	// has its own job offset and warm-up, and drift or throttling that
	// builds up over time reaches B more than A.
	Separate
)

func (l Layout) String() string {
	if l == Separate {
		return "separate jobs"
	}
	return "interleaved"
}

// Noise is a generator of run-level samples (docs/STATISTICS.md §8.1). Every
// effect is multiplicative; the zero value is noiseless.
type Noise struct {
	Name   string
	Layout Layout
	// CV is the within-job spread of one run, as a log-scale σ.
	CV float64
	// T3 draws the within-job noise from Student's t with ν = 3, scaled
	// to the same σ (heavy tails).
	T3 bool
	// AR is the lag-1 autocorrelation of the within-job noise across
	// consecutive runs.
	AR float64
	// BimodalP of runs (or of jobs, with BimodalPerJob) are slower by a
	// factor 1 + BimodalJ.
	BimodalP, BimodalJ float64
	BimodalPerJob      bool
	// JobCV is the σ of a per-job log offset.
	JobCV float64
	// Drift is the total drift over a job (linear, or exponential
	// saturation when DriftExp, as thermal drift).
	Drift    float64
	DriftExp bool
	// OutlierEps of runs are multiplied by OutlierMag (or divided, half the
	// time, unless SlowOnly).
	OutlierEps, OutlierMag float64
	SlowOnly               bool
	// Quantum rounds values (base value 100) to this resolution: ties.
	Quantum float64
	// Throttle slows every run after the middle of a job by this factor
	// (GPU clock throttling).
	Throttle float64
	// Warmup runs at the start of a job are slower by WarmupY.
	Warmup  int
	WarmupY float64
}

// draw returns n base and n head samples, head shifted by the factor
// 1 + delta. In the interleaved layout round i yields base[i] and head[i].
func (m Noise) draw(r *rand.Rand, n int, delta float64) (base, head []float64) {
	base, head = make([]float64, n), make([]float64, n)
	shift := math.Log1p(delta)
	if m.Layout == Separate {
		m.job(r, base, nil, 0, 0, 2*n)
		m.job(r, nil, head, shift, n, 2*n)
		return base, head
	}
	m.job(r, base, head, shift, 0, 2*n)
	return base, head
}

// job simulates one job that starts at time slot t0 of a timeline of total
// slots. With both base and head it runs len(base) rounds of one A and one B
// in random order; with one of them, that side alone.
func (m Noise) job(r *rand.Rand, base, head []float64, shift float64, t0, slots int) {
	offset := m.JobCV * r.NormFloat64()
	slowJob := m.BimodalPerJob && r.Float64() < m.BimodalP
	ar, t, k := 0.0, t0, 0
	emit := func(isHead bool) float64 {
		e := m.innov(r)
		if m.AR != 0 {
			ar = m.AR*ar + math.Sqrt(1-m.AR*m.AR)*e
			e = ar
		}
		x := 4.605170185988092 + e + offset // log(100)
		frac := float64(t) / float64(max(slots-1, 1))
		if m.DriftExp {
			x += m.Drift * (1 - math.Exp(-3*frac)) / (1 - math.Exp(-3))
		} else {
			x += m.Drift * frac
		}
		if m.Throttle != 0 && 2*t >= slots {
			x += math.Log1p(m.Throttle)
		}
		if k < m.Warmup {
			x += math.Log1p(m.WarmupY)
		}
		if isHead {
			x += shift
		}
		if slowJob || !m.BimodalPerJob && m.BimodalP > 0 && r.Float64() < m.BimodalP {
			x += math.Log1p(m.BimodalJ)
		}
		if m.OutlierEps > 0 && r.Float64() < m.OutlierEps {
			if m.SlowOnly || r.Float64() < 0.5 {
				x += math.Log(m.OutlierMag)
			} else {
				x -= math.Log(m.OutlierMag)
			}
		}
		t++
		k++
		v := math.Exp(x)
		if m.Quantum > 0 {
			v = math.Max(m.Quantum, math.Round(v/m.Quantum)*m.Quantum)
		}
		return v
	}
	switch {
	case head == nil:
		for i := range base {
			base[i] = emit(false)
		}
	case base == nil:
		for i := range head {
			head[i] = emit(true)
		}
	default:
		for i := range base {
			if r.IntN(2) == 0 {
				base[i] = emit(false)
				head[i] = emit(true)
			} else {
				head[i] = emit(true)
				base[i] = emit(false)
			}
		}
	}
}

// innov draws one within-job log deviation with σ = CV.
func (m Noise) innov(r *rand.Rand) float64 {
	if !m.T3 {
		return m.CV * r.NormFloat64()
	}
	// Student's t with ν = 3 has variance 3: scale it to σ = CV.
	z := r.NormFloat64()
	c := 0.0
	for range 3 {
		g := r.NormFloat64()
		c += g * g
	}
	return m.CV * z / math.Sqrt(c/3) / math.Sqrt(3)
}

// models returns the noise models of the PR-gate evaluation.
func models() []Noise {
	return []Noise{
		{Name: "log-normal CV 0.5%", CV: 0.005},
		{Name: "log-normal CV 1%", CV: 0.01},
		{Name: "log-normal CV 2%", CV: 0.02},
		{Name: "log-normal CV 5%", CV: 0.05},
		{Name: "log-normal CV 10%", CV: 0.10},
		{Name: "bimodal runs π=0.2 J=15% (CV 1%)", CV: 0.01, BimodalP: 0.2, BimodalJ: 0.15},
		{Name: "bimodal runs π=0.4 J=30% (CV 1%)", CV: 0.01, BimodalP: 0.4, BimodalJ: 0.30},
		{Name: "bimodal jobs π=0.2 J=15% (CV 1%)", CV: 0.01, BimodalP: 0.2, BimodalJ: 0.15, BimodalPerJob: true},
		{Name: "job offset 2×CV (CV 2%)", CV: 0.02, JobCV: 0.04},
		{Name: "linear drift 5% (CV 1%)", CV: 0.01, Drift: 0.05},
		{Name: "thermal drift 3% (CV 1%)", CV: 0.01, Drift: 0.03, DriftExp: true},
		{Name: "outliers 5% ×3 slow-only (CV 1%)", CV: 0.01, OutlierEps: 0.05, OutlierMag: 3, SlowOnly: true},
		{Name: "outliers 2% ×10 (CV 1%)", CV: 0.01, OutlierEps: 0.02, OutlierMag: 10},
		{Name: "heavy tails t₃ (CV 2%)", CV: 0.02, T3: true},
		{Name: "AR(1) ρ=0.6 (CV 2%)", CV: 0.02, AR: 0.6},
		{Name: "quantised to 1% (CV 1%)", CV: 0.01, Quantum: 1},
		{Name: "GPU throttle +5% mid-job (CV 1%)", CV: 0.01, Throttle: 0.05},
		{Name: "warm-up 2 runs +20% (CV 1%)", CV: 0.01, Warmup: 2, WarmupY: 0.20},
		{Name: "separate jobs, job offset 1×CV (CV 2%)", Layout: Separate, CV: 0.02, JobCV: 0.02},
		{Name: "separate jobs, linear drift 5% (CV 1%)", Layout: Separate, CV: 0.01, Drift: 0.05},
		{Name: "separate jobs, GPU throttle +5% (CV 1%)", Layout: Separate, CV: 0.01, Throttle: 0.05},
		{Name: "separate jobs, warm-up 2 runs +20% (CV 1%)", Layout: Separate, CV: 0.01, Warmup: 2, WarmupY: 0.20},
	}
}
