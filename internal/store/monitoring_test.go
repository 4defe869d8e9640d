package store

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/results"
)

func f64(x float64) *float64 { return &x }

func TestResourceSamples(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	run := testRun("mon-1", 1, "abc1234", "refs/heads/main", time.Date(2025, 4, 15, 10, 0, 0, 0, time.UTC))
	second := failedResult()
	second.Failure.Message = "second failure"
	mustIngest(t, db, run, append(allResults(), second))

	native := nativeResult()
	series := []ResourceSeries{
		{Benchmark: native.Name, Params: native.ParamString(), HardwareType: "cuda", DeviceName: "NVIDIA H100 80GB HBM3", Samples: []ResourceSample{
			{Time: 0.5, CPUPercent: f64(99.5), MemoryMB: f64(1200), GPUPercent: f64(87), GPUMemoryMB: f64(4096), PowerWatts: f64(310), TemperatureC: f64(61), IOReadMBps: f64(0), IOWriteMBps: f64(1.5)},
			{Time: 0.1, CPUPercent: f64(0), MemoryMB: f64(800)},
		}},
		{Benchmark: "bert-large", Params: "batch_size=32", HardwareType: "cuda", DeviceName: "NVIDIA H100 80GB HBM3", Failed: true, Samples: []ResourceSample{{Time: 1}}},
		{Benchmark: "bert-large", Params: "batch_size=32", HardwareType: "cuda", DeviceName: "NVIDIA H100 80GB HBM3", Failed: true, Samples: []ResourceSample{{Time: 2}, {Time: 3}}},
	}
	n, err := db.AddResourceSamples(ctx, run, series)
	if err != nil || n != 5 {
		t.Fatalf("AddResourceSamples: got %d, %v; want 5 rows", n, err)
	}
	got, err := db.ResourceSamples(ctx, run)
	if err != nil {
		t.Fatalf("ResourceSamples: %v", err)
	}
	want := []ResourceSeries{series[0], series[1], series[2]}
	want[0].Samples = []ResourceSample{series[0].Samples[1], series[0].Samples[0]} // by time
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ResourceSamples:\ngot  %+v\nwant %+v", got, want)
	}
	// The two failures went to the two failed rows, in order.
	var msgs []string
	rows, err := db.sql.QueryContext(ctx, `SELECT pr.error_message FROM resource_monitoring rm JOIN performance_results pr ON pr.id = rm.performance_id
		WHERE pr.status = 'failed' ORDER BY rm."timestamp"`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var m string
		rows.Scan(&m)
		msgs = append(msgs, m)
	}
	rows.Close()
	if wantMsgs := []string{"CUDA out of memory. Tried to allocate 2.20 GiB", "second failure", "second failure"}; !reflect.DeepEqual(msgs, wantMsgs) {
		t.Errorf("failed rows: got %q; want %q", msgs, wantMsgs)
	}

	// Idempotent: a second call writes nothing.
	if n, err := db.AddResourceSamples(ctx, run, series); err != nil || n != 0 {
		t.Errorf("second AddResourceSamples: got %d, %v; want 0, nil", n, err)
	}
}

func TestResourceSamplesErrors(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	run := testRun("mon-2", 1, "abc1234", "main", time.Now())
	mustIngest(t, db, run, allResults())
	tests := []struct {
		name   string
		run    Run
		series []ResourceSeries
		want   string
	}{
		{"unknown run", Run{ID: "nope"}, nil, "storing resource samples of run nope#1 in " + db.path + ": run not found"},
		{"unknown result", run, []ResourceSeries{{Benchmark: "x", HardwareType: "cpu", Samples: []ResourceSample{{Time: 1}}}},
			`no stored result for benchmark "x" [] on cpu "" (failed false)`},
		{"one failed row, two failed series", run, []ResourceSeries{
			{Benchmark: "bert-large", Params: "batch_size=32", HardwareType: "cuda", DeviceName: "NVIDIA H100 80GB HBM3", Failed: true},
			{Benchmark: "bert-large", Params: "batch_size=32", HardwareType: "cuda", DeviceName: "NVIDIA H100 80GB HBM3", Failed: true},
		}, `no stored result for benchmark "bert-large"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.AddResourceSamples(ctx, tt.run, tt.series)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v; want an error containing %q", err, tt.want)
			}
		})
	}
	var n int
	db.sql.QueryRowContext(ctx, `SELECT count(*) FROM resource_monitoring`).Scan(&n)
	if n != 0 {
		t.Errorf("rows after failed calls: got %d; want 0", n)
	}
}

func TestRecordHardware(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	t0 := time.Date(2025, 4, 15, 10, 0, 0, 0, time.UTC)
	ps := []Platform{
		{Type: "cpu", DeviceName: "AMD EPYC 7B13", ComputeUnits: 8, MemoryMB: 24000, Precisions: []string{"fp32", "bf16"}},
		{Type: "cuda", DeviceName: "NVIDIA H100 80GB HBM3", DriverVersion: "550.54.15", ComputeUnits: 1, MemoryMB: 81559, Precisions: []string{"fp32", "fp16"}},
	}
	if n, err := db.RecordHardware(ctx, ps, t0); err != nil || n != 2 {
		t.Fatalf("RecordHardware: got %d, %v; want 2 inserted", n, err)
	}
	ps[0].MemoryMB = 32000
	if n, err := db.RecordHardware(ctx, ps[:1], t0.Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("RecordHardware again: got %d, %v; want 0 inserted", n, err)
	}
	type row struct {
		typ, device, precisions string
		memory                  float64
		detected                time.Time
	}
	var got []row
	rows, err := db.sql.QueryContext(ctx, `SELECT hardware_type, device_name, supported_precisions, memory_capacity, detected_at FROM hardware_platforms ORDER BY hardware_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.typ, &r.device, &r.precisions, &r.memory, &r.detected); err != nil {
			t.Fatal(err)
		}
		r.detected = r.detected.UTC()
		got = append(got, r)
	}
	rows.Close()
	want := []row{
		{"cpu", "AMD EPYC 7B13", "fp32,bf16", 32000, t0.Add(time.Hour)},
		{"cuda", "NVIDIA H100 80GB HBM3", "fp32,fp16", 81559, t0},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("hardware_platforms:\ngot  %+v\nwant %+v", got, want)
	}
	// Ingest shares the row recorded for the same (type, device, driver).
	r := nativeResult()
	mustIngest(t, db, testRun("hw", 1, "c", "r", t0), []results.Result{r})
	if n := tableCounts(t, db)["hardware_platforms"]; n != 2 {
		t.Errorf("hardware_platforms after ingest: got %d rows; want 2 (the recorded cuda row shared)", n)
	}
}
