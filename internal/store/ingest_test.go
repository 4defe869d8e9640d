package store

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/results"
)

func TestIngestIdempotent(t *testing.T) {
	db := openTemp(t)
	run := testRun("42", 1, "abc", "main", time.Now())

	st := mustIngest(t, db, run, allResults())
	if want := (IngestStats{Inserted: true, Results: 3, Failed: 1}); st != want {
		t.Errorf("first Ingest = %+v; want %+v", st, want)
	}
	first := tableCounts(t, db)
	wantFirst := map[string]int{"runs": 1, "models": 3, "hardware_platforms": 2, "performance_results": 3,
		"benchmark_errors": 1, "metric_samples": 11, "iteration_samples": 2}
	if !reflect.DeepEqual(first, wantFirst) {
		t.Errorf("rows after first Ingest: got %v; want %v", first, wantFirst)
	}

	// The same run and attempt again, even with other results, changes nothing.
	st = mustIngest(t, db, run, []results.Result{goBenchResult()})
	if st != (IngestStats{}) {
		t.Errorf("second Ingest = %+v; want zero (Inserted false)", st)
	}
	if got := tableCounts(t, db); !reflect.DeepEqual(got, first) {
		t.Errorf("rows after second Ingest: got %v; want %v", got, first)
	}

	// A new attempt is a new run; models and hardware are shared.
	run.Attempt = 2
	st = mustIngest(t, db, run, allResults())
	if !st.Inserted {
		t.Errorf("attempt 2: Inserted = false; want true")
	}
	got := tableCounts(t, db)
	want := map[string]int{"runs": 2, "models": 3, "hardware_platforms": 2, "performance_results": 6,
		"benchmark_errors": 2, "metric_samples": 22, "iteration_samples": 4}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows after attempt 2: got %v; want %v", got, want)
	}
}

func TestIngestRejectsInvalid(t *testing.T) {
	nan := goBenchResult()
	nan.Metrics[0].Samples[2] = math.NaN()
	noMetrics := nativeResult()
	noMetrics.Metrics = nil
	noDirection := nativeResult()
	noDirection.Metrics[4].Better = 0
	badUTF8 := goBenchResult()
	badUTF8.Params["pkg"] = "bad\xff"
	noType := failedResult()
	noType.Failure.Type = ""
	noHardware := goBenchResult()
	noHardware.Hardware.Type = ""

	for _, tc := range []struct {
		name string
		run  Run
		rs   []results.Result
		want string
	}{
		{"NaN sample", testRun("1", 1, "", "", time.Now()), []results.Result{goBenchResult(), nan}, `result 2: benchmark "BenchmarkSort/n=1000" metric "sec/op": sample 3 is NaN`},
		{"no metrics", testRun("1", 1, "", "", time.Now()), []results.Result{noMetrics}, `benchmark "bert-tiny": no metrics`},
		{"no direction", testRun("1", 1, "", "", time.Now()), []results.Result{noDirection}, `benchmark "bert-tiny" metric "throughput": no direction`},
		{"invalid UTF-8", testRun("1", 1, "", "", time.Now()), []results.Result{badUTF8}, `benchmark "BenchmarkSort/n=1000": "bad\xff" is not valid UTF-8`},
		{"failure without type", testRun("1", 1, "", "", time.Now()), []results.Result{noType}, `benchmark "bert-large": failure has no error type`},
		{"no hardware", testRun("1", 1, "", "", time.Now()), []results.Result{noHardware}, `no hardware type`},
		{"duplicate", testRun("1", 1, "", "", time.Now()), []results.Result{goBenchResult(), goBenchResult()}, `appears twice`},
		{"no run id", testRun("", 1, "", "", time.Now()), allResults(), `run has no id`},
		{"negative attempt", testRun("1", -1, "", "", time.Now()), allResults(), `attempt -1 is negative`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openTemp(t)
			before := tableCounts(t, db)
			_, err := db.Ingest(context.Background(), tc.run, tc.rs)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Ingest: got error %v; want one containing %q", err, tc.want)
			}
			if got := tableCounts(t, db); !reflect.DeepEqual(got, before) {
				t.Errorf("rows: got %v; want %v (nothing written)", got, before)
			}
		})
	}
}

func TestIngestRollsBack(t *testing.T) {
	db := openTemp(t)
	mustIngest(t, db, testRun("1", 1, "abc", "main", time.Now()), []results.Result{goBenchResult()})
	before := tableCounts(t, db)

	// Fail at the very end of the transaction, after every row was written.
	errBoom := errors.New("disk full")
	db.beforeCommit = func() error { return errBoom }
	_, err := db.Ingest(context.Background(), testRun("2", 1, "def", "main", time.Now()), allResults())
	if !errors.Is(err, errBoom) {
		t.Fatalf("Ingest: got %v; want the commit hook's error", err)
	}
	if got := tableCounts(t, db); !reflect.DeepEqual(got, before) {
		t.Errorf("rows after a failed Ingest: got %v; want %v", got, before)
	}

	// Nothing of the failed attempt remains: the same run ingests cleanly.
	db.beforeCommit = nil
	st := mustIngest(t, db, testRun("2", 1, "def", "main", time.Now()), allResults())
	if !st.Inserted || st.Results != 3 {
		t.Errorf("Ingest after rollback = %+v; want 3 results inserted", st)
	}
}

func TestResultsRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	created := time.Date(2025, 4, 10, 15, 30, 0, 123456789, time.FixedZone("CEST", 2*3600))
	run := testRun("1001", 3, "0123456789abcdef0123456789abcdef01234567", "refs/heads/main", created)
	noModel := nativeResult()
	noModel.Name = "resnet-custom"
	noModel.Model = nil
	noModel.Params = nil
	noModel.Iterations = nil
	in := append(allResults(), noModel)
	mustIngest(t, db, run, in)

	got, err := db.Results(ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, in) {
		t.Errorf("Results round trip:\ngot  %+v\nwant %+v", got, in)
	}

	runs, err := db.Runs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantRun := run
	wantRun.CreatedAt = time.Date(2025, 4, 10, 13, 30, 0, 123456000, time.UTC)
	if len(runs) != 1 || !reflect.DeepEqual(runs[0], wantRun) {
		t.Errorf("Runs = %+v; want [%+v]", runs, wantRun)
	}

	_, err = db.Results(ctx, Run{ID: "1001", Attempt: 1})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("Results of a missing attempt: got %v; want ErrNotFound", err)
	}
}

func TestIngestDefaults(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	before := time.Now().UTC().Truncate(time.Microsecond)
	mustIngest(t, db, Run{ID: "local"}, []results.Result{goBenchResult()})
	r, err := db.FindRun(ctx, "local")
	if err != nil {
		t.Fatal(err)
	}
	if r.Attempt != 1 {
		t.Errorf("Attempt = %d; want 1", r.Attempt)
	}
	if r.CreatedAt.Before(before) || r.CreatedAt.After(time.Now()) || r.CreatedAt.Location() != time.UTC {
		t.Errorf("CreatedAt = %v; want now in UTC", r.CreatedAt)
	}
	if r.Environment != nil {
		t.Errorf("Environment = %v; want nil", r.Environment)
	}
}

func TestIngestFailureColumns(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	f := failedResult()
	f.Failure.Stderr = "bad byte \xff here"
	mustIngest(t, db, testRun("1", 1, "abc", "main", time.Now()), []results.Result{f})

	var (
		status, errType, msg, cmd, stdout, stderr string
		exit                                      int
		elapsed                                   float64
		avg                                       *float64
	)
	err := db.sql.QueryRowContext(ctx, `SELECT status, error_type, error_message, command_executed, stdout, stderr, exit_code, execution_time_sec, average_latency_ms
		FROM performance_results`).Scan(&status, &errType, &msg, &cmd, &stdout, &stderr, &exit, &elapsed, &avg)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, got, want string }{
		{"status", status, "failed"},
		{"error_type", errType, "execution_error"},
		{"error_message", msg, f.Failure.Message},
		{"command_executed", cmd, f.Failure.Command},
		{"stdout", stdout, f.Failure.Stdout},
		{"stderr", stderr, "bad byte \uFFFD here"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q; want %q", c.name, c.got, c.want)
		}
	}
	if exit != 1 || elapsed != 12.5 || avg != nil {
		t.Errorf("exit_code, execution_time_sec, average_latency_ms = %d, %g, %v; want 1, 12.5, <nil>", exit, elapsed, avg)
	}

	var eType, eMsg, steps, exitJSON, hwJSON string
	err = db.sql.QueryRowContext(ctx, `SELECT error_type, error_message, reproduction_steps,
		json_extract_string(error_details, '$.exit_code'), json_extract_string(system_info, '$.hardware.type')
		FROM benchmark_errors`).Scan(&eType, &eMsg, &steps, &exitJSON, &hwJSON)
	if err != nil {
		t.Fatal(err)
	}
	if eType != "execution_error" || eMsg != f.Failure.Message || steps != "run: "+f.Failure.Command || exitJSON != "1" || hwJSON != "cuda" {
		t.Errorf("benchmark_errors = %q, %q, %q, exit %q, hardware %q; want execution_error, the message, the command, 1, cuda",
			eType, eMsg, steps, exitJSON, hwJSON)
	}
}

func TestIngestSummaryColumns(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	iterOnly := results.Result{
		Name:       "whisper-tiny",
		Hardware:   results.Hardware{Type: "cpu"},
		Metrics:    []results.Metric{{Name: "throughput", Unit: "items/s", Better: results.BiggerIsBetter, Samples: []float64{10}}},
		Iterations: [][]float64{{0.001, 0.003}, {0.002, 0.004, 0.005}},
	}
	mustIngest(t, db, testRun("1", 1, "abc", "main", time.Now()), []results.Result{goBenchResult(), nativeResult(), iterOnly})

	type cols struct{ Avg, P50, P90, P99, Thr, Mem, Power, Energy *float64 }
	f := func(v float64) *float64 { return &v }
	for _, tc := range []struct {
		bench string
		want  cols
	}{
		// sec/op 0.9, 1.0, 1.1, 1.2, 1.3 ms: mean 1.1 ms, throughput 1/1.1ms.
		{"BenchmarkSort/n=1000", cols{Avg: f(1.1), P50: f(1.1), P90: f(1.26), P99: f(1.296), Thr: f(1 / 0.0011)}},
		// Native: means over repetitions of the harness's metrics; memory max.
		{"bert-tiny", cols{Avg: f(2.1), P50: f(2.0), P90: f(2.6), P99: f(3.2), Thr: f(3800), Mem: f(768), Power: f(305), Energy: f(12.5)}},
		// Pooled iterations 1..5 ms.
		{"whisper-tiny", cols{Avg: f(3), P50: f(3), P90: f(4.6), P99: f(4.96), Thr: f(10)}},
	} {
		t.Run(tc.bench, func(t *testing.T) {
			var got cols
			err := db.sql.QueryRowContext(ctx, `SELECT average_latency_ms, p50_latency_ms, p90_latency_ms, p99_latency_ms,
				throughput_items_per_second, memory_peak_mb, power_watts, energy_efficiency_items_per_joule
				FROM performance_results WHERE benchmark = ?`, tc.bench).
				Scan(&got.Avg, &got.P50, &got.P90, &got.P99, &got.Thr, &got.Mem, &got.Power, &got.Energy)
			if err != nil {
				t.Fatal(err)
			}
			names := []string{"average_latency_ms", "p50", "p90", "p99", "throughput", "memory_peak_mb", "power_watts", "energy_efficiency"}
			gv := []*float64{got.Avg, got.P50, got.P90, got.P99, got.Thr, got.Mem, got.Power, got.Energy}
			wv := []*float64{tc.want.Avg, tc.want.P50, tc.want.P90, tc.want.P99, tc.want.Thr, tc.want.Mem, tc.want.Power, tc.want.Energy}
			for i := range names {
				switch {
				case wv[i] == nil && gv[i] != nil:
					t.Errorf("%s = %g; want NULL", names[i], *gv[i])
				case wv[i] != nil && gv[i] == nil:
					t.Errorf("%s = NULL; want %g", names[i], *wv[i])
				case wv[i] != nil && math.Abs(*gv[i]-*wv[i]) > 1e-9*math.Max(1, math.Abs(*wv[i])):
					t.Errorf("%s = %.12g; want %.12g", names[i], *gv[i], *wv[i])
				}
			}
		})
	}

	var batch, seq int
	var precision string
	if err := db.sql.QueryRowContext(ctx, `SELECT batch_size, sequence_length, precision FROM performance_results WHERE benchmark = 'bert-tiny'`).
		Scan(&batch, &seq, &precision); err != nil {
		t.Fatal(err)
	}
	if batch != 8 || seq != 128 || precision != "fp16" {
		t.Errorf("batch_size, sequence_length, precision = %d, %d, %q; want 8, 128, fp16", batch, seq, precision)
	}
}

func TestIngestManyResults(t *testing.T) {
	// More sample rows than one insert batch holds.
	db := openTemp(t)
	var in []results.Result
	for i := range batchRows/3 + 20 {
		r := goBenchResult()
		r.Name = fmt.Sprintf("BenchmarkSort/n=%d", i)
		in = append(in, r)
	}
	run := testRun("many", 1, "abc", "main", time.Now())
	mustIngest(t, db, run, in)
	got, err := db.Results(context.Background(), run)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, in) {
		t.Errorf("Results of %d results differ from the input", len(in))
	}
	if n := tableCounts(t, db)["metric_samples"]; n != 3*len(in) {
		t.Errorf("metric_samples rows = %d; want %d", n, 3*len(in))
	}
}
