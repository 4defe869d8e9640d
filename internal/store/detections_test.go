package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/results"
)

// seriesKey returns the key of test series i.
func seriesKey(i int) results.SeriesKey {
	return results.SeriesKey{
		Benchmark: fmt.Sprintf("bert-%d", i/4),
		Params:    fmt.Sprintf("batch_size=%d,precision=fp16", 1<<(i%4)),
		Metric:    "latency_mean",
		Hardware:  "cuda",
		Device:    "NVIDIA H100 80GB HBM3",
		Runner:    "gpu-h100",
	}
}

// commitID returns a full commit id for point j.
func commitID(j int) string { return fmt.Sprintf("%040x", 0xc0ffee0000+j) }

// testHistory returns n points of series k, one a day from t0; the point at
// bad is the first bad commit of a regression.
func testHistory(k results.SeriesKey, n, bad int, t0 time.Time) []HistoryRow {
	hs := make([]HistoryRow, n)
	for j := range hs {
		v := 0.002 + float64(j%7)*1e-6
		if j >= bad {
			v *= 1.2
		}
		hs[j] = HistoryRow{
			Key: k, Unit: "s", Commit: commitID(j), RunDate: t0.Add(time.Duration(j) * 24 * time.Hour),
			N: 5, Value: v, Low: v * 0.95, High: v * 1.05,
		}
		if j == bad {
			hs[j].Regression, hs[j].Severity, hs[j].Change = true, "major", 0.2
		}
	}
	return hs
}

// testDetection returns a detection of series k at point j.
func testDetection(k results.SeriesKey, j int, status string) Detection {
	return Detection{
		Key: k, Unit: "s", Commit: commitID(j), PreviousCommit: commitID(j - 1),
		Change: 0.2, Low: 0.15, High: 0.25, Before: 0.002, After: 0.0024, P: 1e-6,
		Direction: "regression", Severity: "major", Status: status,
	}
}

// dump returns every row of the analysis tables, ids and timestamps
// included, as text.
func dump(t *testing.T, db *DB) string {
	t.Helper()
	var b strings.Builder
	for _, table := range []string{"performance_regressions", "performance_history"} {
		var s *string
		if err := db.sql.QueryRow(`SELECT string_agg(t::VARCHAR, chr(10) ORDER BY id) FROM ` + table + ` t`).Scan(&s); err != nil {
			t.Fatalf("dumping %s: %v", table, err)
		}
		b.WriteString(table + ":\n")
		if s != nil {
			b.WriteString(*s + "\n")
		}
	}
	return b.String()
}

// mustSave saves and fails the test on error.
func mustSave(t *testing.T, db *DB, series []results.SeriesKey, ds []Detection, hs []HistoryRow, now time.Time) SaveStats {
	t.Helper()
	st, err := db.SaveAnalysis(context.Background(), series, ds, hs, now)
	if err != nil {
		t.Fatalf("SaveAnalysis: %v", err)
	}
	return st
}

func mustDetections(t *testing.T, db *DB) []Detection {
	t.Helper()
	ds, err := db.Detections(context.Background())
	if err != nil {
		t.Fatalf("Detections: %v", err)
	}
	return ds
}

var (
	t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	t1 = time.Date(2025, 3, 2, 8, 30, 0, 0, time.UTC)
	t2 = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
)

func TestSaveAnalysisInsertsThenChangesNothing(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	a, b := seriesKey(0), seriesKey(1)
	hs := append(testHistory(a, 10, 6, t0), testHistory(b, 10, 20, t0)...)
	ds := []Detection{testDetection(a, 6, "provisional")}
	series := []results.SeriesKey{a, b}

	if got, want := mustSave(t, db, series, ds, hs, t1), (SaveStats{Inserted: 21}); got != want {
		t.Errorf("first save: got %+v; want %+v", got, want)
	}
	got := mustDetections(t, db)
	want := ds[0]
	want.DetectedAt = t1
	if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		t.Errorf("Detections: got %+v; want [%+v]", got, want)
	}
	rows, err := db.HistoryRows(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rows, hs[:10]) {
		t.Errorf("HistoryRows(a): got %+v; want %+v", rows, hs[:10])
	}

	before, files := dump(t, db), fileSizes(t, db)
	if got, want := mustSave(t, db, series, ds, hs, t2), (SaveStats{Unchanged: 21}); got != want {
		t.Errorf("second save: got %+v; want %+v", got, want)
	}
	if after := dump(t, db); after != before {
		t.Errorf("second save changed rows:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if after := fileSizes(t, db); after != files {
		t.Errorf("second save wrote to the database: file and log sizes %v before, %v after", files, after)
	}
}

// fileSizes returns the sizes of the database file and its write-ahead log
// (-1 when there is none).
func fileSizes(t *testing.T, db *DB) [2]int64 {
	t.Helper()
	var out [2]int64
	for i, p := range []string{db.Path(), db.Path() + ".wal"} {
		fi, err := os.Stat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			out[i] = -1
		case err != nil:
			t.Fatal(err)
		default:
			out[i] = fi.Size()
		}
	}
	return out
}

func TestSaveAnalysisFillsSeedColumns(t *testing.T) {
	db := openTemp(t)
	lat := seriesKey(0)
	thr, mem := lat, lat
	thr.Metric, mem.Metric = "throughput", "memory_peak"
	hs := []HistoryRow{
		{Key: lat, Unit: "s", Commit: commitID(1), RunDate: t0, N: 3, Value: 0.002, Low: 0.002, High: 0.002, Regression: true, Severity: "critical", Change: 0.5},
		{Key: thr, Unit: "items/s", Commit: commitID(1), RunDate: t0, N: 3, Value: 4000, Low: 3900, High: 4100},
		{Key: mem, Unit: "B", Commit: commitID(1), RunDate: t0, N: 3, Value: 512 << 20, Low: 512 << 20, High: 512 << 20},
	}
	d := testDetection(lat, 1, "confirmed")
	mustSave(t, db, nil, []Detection{d}, hs, t1)

	var (
		percent              float64
		typ, severity, hash  string
		metrics              string
		detected             time.Time
		performanceID, based *int64
	)
	if err := db.sql.QueryRow(`SELECT regression_percent, regression_type, severity_level, git_commit_hash,
		affected_metrics::VARCHAR, detection_timestamp, performance_id, baseline_id FROM performance_regressions`).Scan(
		&percent, &typ, &severity, &hash, &metrics, &detected, &performanceID, &based); err != nil {
		t.Fatal(err)
	}
	if percent != 20 || typ != "regression" || severity != "major" || hash != commitID(1) || metrics != `["latency_mean"]` ||
		!detected.Equal(t1) || performanceID != nil || based != nil {
		t.Errorf("performance_regressions: got %v %q %q %q %s %v %v %v", percent, typ, severity, hash, metrics, detected, performanceID, based)
	}
	type seed struct {
		metric            string
		latency, thr, mem *float64
		detected          bool
		severity          *string
		percent           *float64
		date              time.Time
	}
	rows, err := db.sql.Query(`SELECT metric, average_latency_ms, throughput_items_per_second, memory_peak_mb,
		regression_detected, regression_severity, regression_percent, run_date FROM performance_history ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []seed
	for rows.Next() {
		var s seed
		if err := rows.Scan(&s.metric, &s.latency, &s.thr, &s.mem, &s.detected, &s.severity, &s.percent, &s.date); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	f := func(v float64) *float64 { return &v }
	critical := "critical"
	want := []seed{
		{metric: "latency_mean", latency: f(2), detected: true, severity: &critical, percent: f(50), date: t0},
		{metric: "throughput", thr: f(4000), date: t0},
		{metric: "memory_peak", mem: f(512), date: t0},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("performance_history seed columns:\ngot  %+v\nwant %+v", got, want)
	}
}

func TestSaveAnalysisUpdateKeepsDetectedAt(t *testing.T) {
	db := openTemp(t)
	k := seriesKey(0)
	hs := testHistory(k, 10, 6, t0)
	d := testDetection(k, 6, "provisional")
	mustSave(t, db, []results.SeriesKey{k}, []Detection{d}, hs, t1)
	var id0 int64
	if err := db.sql.QueryRow(`SELECT id FROM performance_regressions`).Scan(&id0); err != nil {
		t.Fatal(err)
	}

	d.Status = "confirmed"
	d.DetectedAt = t2 // ignored
	if got, want := mustSave(t, db, []results.SeriesKey{k}, []Detection{d}, hs, t2), (SaveStats{Updated: 1, Unchanged: 10}); got != want {
		t.Errorf("save: got %+v; want %+v", got, want)
	}
	got := mustDetections(t, db)
	want := d
	want.DetectedAt = t1
	if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		t.Errorf("Detections: got %+v; want [%+v]", got, want)
	}
	var (
		id      int64
		updated time.Time
	)
	if err := db.sql.QueryRow(`SELECT id, updated_at FROM performance_regressions`).Scan(&id, &updated); err != nil {
		t.Fatal(err)
	}
	if id != id0 || !updated.Equal(t2) {
		t.Errorf("row: id %d, updated_at %v; want id %d, updated_at %v", id, updated, id0, t2)
	}
}

func TestSaveAnalysisVanishedRows(t *testing.T) {
	db := openTemp(t)
	k := seriesKey(0)
	series := []results.SeriesKey{k}
	hs := testHistory(k, 10, 6, t0)
	prov, conf := testDetection(k, 3, "provisional"), testDetection(k, 6, "confirmed")
	mustSave(t, db, series, []Detection{prov, conf}, hs, t1)

	// The next analysis finds neither, and has two points fewer.
	if got, want := mustSave(t, db, series, nil, hs[:8], t2), (SaveStats{Deleted: 3, Updated: 1, Unchanged: 8}); got != want {
		t.Errorf("save: got %+v; want %+v", got, want)
	}
	got := mustDetections(t, db)
	want := conf
	want.DetectedAt, want.Notes = t1, VanishedNote+" (since 2025-03-03)"
	if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		t.Errorf("Detections: got %+v; want [%+v]", got, want)
	}
	rows, err := db.HistoryRows(context.Background(), k)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 8 {
		t.Errorf("HistoryRows: got %d rows; want 8", len(rows))
	}

	before := dump(t, db)
	if got, want := mustSave(t, db, series, nil, hs[:8], t2.Add(24*time.Hour)), (SaveStats{Unchanged: 9}); got != want {
		t.Errorf("repeat save: got %+v; want %+v", got, want)
	}
	if after := dump(t, db); after != before {
		t.Errorf("repeat save changed rows:\nbefore:\n%s\nafter:\n%s", before, after)
	}

	// Found again: the note goes, DetectedAt stays.
	if got, want := mustSave(t, db, series, []Detection{conf}, hs[:8], t2.Add(48*time.Hour)), (SaveStats{Updated: 1, Unchanged: 8}); got != want {
		t.Errorf("save with the detection back: got %+v; want %+v", got, want)
	}
	want.Notes = ""
	if got := mustDetections(t, db); len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		t.Errorf("Detections: got %+v; want [%+v]", got, want)
	}
}

func TestSaveAnalysisResolutionRoundTrips(t *testing.T) {
	db := openTemp(t)
	k := seriesKey(0)
	d := testDetection(k, 6, "confirmed")
	d.EnvironmentChange = "driver 535.104 → 550.54"
	mustSave(t, db, nil, []Detection{d}, nil, t1)

	resolved := time.Date(2025, 3, 5, 10, 0, 0, 123456789, time.FixedZone("CET", 3600))
	d.ResolvedAt, d.ResolutionCommit = &resolved, commitID(9)
	if got, want := mustSave(t, db, nil, []Detection{d}, nil, t2), (SaveStats{Updated: 1}); got != want {
		t.Errorf("save: got %+v; want %+v", got, want)
	}
	got := mustDetections(t, db)
	stored := resolved.UTC().Truncate(time.Microsecond)
	want := d
	want.DetectedAt, want.ResolvedAt = t1, &stored
	if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		t.Fatalf("Detections: got %+v; want [%+v]", got, want)
	}
	// Saving what was read back changes nothing: sub-microsecond parts and
	// zones do not make a difference.
	if got, want := mustSave(t, db, nil, []Detection{d}, nil, t2), (SaveStats{Unchanged: 1}); got != want {
		t.Errorf("repeat save: got %+v; want %+v", got, want)
	}
}

func TestSaveAnalysisLeavesOtherSeries(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	a, b := seriesKey(0), seriesKey(1)
	mustSave(t, db, []results.SeriesKey{a, b},
		[]Detection{testDetection(a, 6, "provisional"), testDetection(b, 4, "provisional")},
		append(testHistory(a, 10, 6, t0), testHistory(b, 10, 4, t0)...), t1)
	bHistory, err := db.HistoryRows(ctx, b)
	if err != nil {
		t.Fatal(err)
	}

	// Only a is analysed again: it has no change point any more.
	if got, want := mustSave(t, db, []results.SeriesKey{a}, nil, testHistory(a, 10, 99, t0), t2), (SaveStats{Deleted: 1, Updated: 4, Unchanged: 6}); got != want {
		t.Errorf("save of a: got %+v; want %+v", got, want)
	}
	ds := mustDetections(t, db)
	if len(ds) != 1 || ds[0].Key != b {
		t.Errorf("Detections: got %+v; want b's only", ds)
	}
	if got, err := db.HistoryRows(ctx, b); err != nil || !reflect.DeepEqual(got, bHistory) {
		t.Errorf("HistoryRows(b): got %+v, %v; want it unchanged", got, err)
	}

	// The series of the rows given count as analysed, listed or not: b's
	// provisional detection and its last point go.
	if got, want := mustSave(t, db, nil, nil, testHistory(b, 9, 99, t0), t2), (SaveStats{Deleted: 2, Updated: 5, Unchanged: 4}); got != want {
		t.Errorf("save of b's history: got %+v; want %+v", got, want)
	}
	if ds := mustDetections(t, db); len(ds) != 0 {
		t.Errorf("Detections: got %+v; want none", ds)
	}
}

func TestSaveAnalysisRefusesBadInput(t *testing.T) {
	db := openTemp(t)
	k := seriesKey(0)
	good := testDetection(k, 6, "provisional")
	bad := func(f func(*Detection)) Detection {
		d := good
		f(&d)
		return d
	}
	mustSave(t, db, nil, []Detection{good}, nil, t1)
	before := dump(t, db)
	for _, tc := range []struct {
		name string
		ds   []Detection
		hs   []HistoryRow
		want string
	}{
		{"duplicate detection", []Detection{good, good}, nil, "given twice"},
		{"duplicate point", nil, append(testHistory(k, 2, 9, t0), testHistory(k, 1, 9, t0)...), "given twice"},
		{"status", []Detection{bad(func(d *Detection) { d.Status = "open" })}, nil, `status "open"`},
		{"severity", []Detection{bad(func(d *Detection) { d.Severity = "huge" })}, nil, `severity "huge"`},
		{"direction", []Detection{bad(func(d *Detection) { d.Direction = "" })}, nil, `direction ""`},
		{"commit", []Detection{bad(func(d *Detection) { d.Commit = "" })}, nil, "empty commit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.SaveAnalysis(context.Background(), []results.SeriesKey{k}, tc.ds, tc.hs, t2)
			if err == nil {
				t.Fatal("got no error")
			}
			for _, want := range []string{tc.want, db.Path(), "bert-0"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
			if after := dump(t, db); after != before {
				t.Errorf("a refused save changed rows")
			}
		})
	}
}

func TestSaveAnalysisReadOnly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bench.duckdb")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if _, err := ro.SaveAnalysis(ctx, []results.SeriesKey{seriesKey(0)}, nil, nil, t1); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("SaveAnalysis on a read-only database: got %v; want a read-only error", err)
	}
	if ds, err := ro.Detections(ctx); err != nil || len(ds) != 0 {
		t.Errorf("Detections: got %v, %v; want none", ds, err)
	}
}

func TestMigrationToVersion2(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bench.duckdb")
	db, err := open(ctx, path, false, migrations[:1:1])
	if err != nil {
		t.Fatal(err)
	}
	mustIngest(t, db, testRun("1", 1, "abc", "main", t0), allResults())
	// A row as the seed would have written it: no series identity.
	if _, err := db.sql.Exec(`INSERT INTO performance_regressions (regression_percent, severity_level, git_commit_hash) VALUES (12.5, 'minor', 'abc')`); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("Open of a version 1 database: %v", err)
	}
	defer db.Close()
	if v, err := db.SchemaVersion(ctx); err != nil || v != len(migrations) {
		t.Fatalf("SchemaVersion: got %d, %v; want %d", v, err, len(migrations))
	}
	if counts := tableCounts(t, db); counts["runs"] != 1 || counts["performance_results"] != 3 {
		t.Errorf("tables after migration: %v", counts)
	}
	k := seriesKey(0)
	if got, want := mustSave(t, db, []results.SeriesKey{k}, []Detection{testDetection(k, 6, "provisional")}, testHistory(k, 10, 6, t0), t1), (SaveStats{Inserted: 11}); got != want {
		t.Errorf("save: got %+v; want %+v", got, want)
	}
	if ds := mustDetections(t, db); len(ds) != 1 || ds[0].Key != k {
		t.Errorf("Detections: got %+v; want the saved one only", ds)
	}
	var seedRows int
	if err := db.sql.QueryRow(`SELECT count(*) FROM performance_regressions WHERE benchmark IS NULL AND regression_percent = 12.5`).Scan(&seedRows); err != nil {
		t.Fatal(err)
	}
	if seedRows != 1 {
		t.Errorf("the seed's row: got %d; want it kept", seedRows)
	}
}

func TestMergeLeavesAnalysis(t *testing.T) {
	ctx := context.Background()
	src, dst := openTemp(t), openTemp(t)
	mustIngest(t, src, testRun("r1", 1, "aaaaaaa1", "refs/heads/main", t0), allResults())
	a, b := seriesKey(0), seriesKey(1)
	mustSave(t, src, nil, []Detection{testDetection(a, 6, "confirmed")}, testHistory(a, 10, 6, t0), t1)
	mustSave(t, dst, nil, []Detection{testDetection(b, 4, "provisional")}, testHistory(b, 10, 4, t0), t1)
	before := dump(t, dst)
	if _, err := dst.Merge(ctx, src); err != nil {
		t.Fatal(err)
	}
	if after := dump(t, dst); after != before {
		t.Errorf("Merge changed the destination's analysis:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

func TestSaveAnalysisIncremental(t *testing.T) {
	db := openTemp(t)
	var (
		series []results.SeriesKey
		ds     []Detection
		hs     []HistoryRow
	)
	for i := range 3 {
		k := seriesKey(i)
		series = append(series, k)
		hs = append(hs, testHistory(k, 10, 6, t0)...)
		ds = append(ds, testDetection(k, 6, "provisional"))
	}
	mustSave(t, db, series, ds, hs, t1)
	before := dumpRows(t, db)

	// The next run: one more point in each series, and one detection
	// confirmed.
	hs = hs[:0]
	for _, k := range series {
		hs = append(hs, testHistory(k, 11, 6, t0)...)
	}
	ds[1].Status = "confirmed"
	if got, want := mustSave(t, db, series, ds, hs, t2), (SaveStats{Inserted: 3, Updated: 1, Unchanged: 32}); got != want {
		t.Errorf("incremental save: got %+v; want %+v", got, want)
	}
	after := dumpRows(t, db)
	changed := 0
	for key, row := range before {
		switch {
		case after[key] == row:
		case strings.HasPrefix(key, "performance_regressions") && strings.Contains(row, ds[1].Key.Params):
			changed++
			if !strings.Contains(after[key], "confirmed") || !strings.Contains(after[key], commitID(6)) {
				t.Errorf("%s: got %s; want the detection at %s confirmed", key, after[key], commitID(6))
			}
		default:
			t.Errorf("%s changed:\nbefore: %s\nafter:  %s", key, row, after[key])
		}
	}
	if changed != 1 {
		t.Errorf("%d detections changed; want 1", changed)
	}
	var added []string
	for key, row := range after {
		if _, ok := before[key]; !ok {
			added = append(added, row)
		}
	}
	if len(added) != 3 {
		t.Errorf("rows added: got %q; want 3", added)
	}
	for _, row := range added {
		if !strings.Contains(row, commitID(10)) {
			t.Errorf("row added: %s; want the point at %s", row, commitID(10))
		}
	}
}

// dumpRows returns every row of the analysis tables, ids and timestamps
// included, as text keyed by table and id.
func dumpRows(t *testing.T, db *DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, table := range []string{"performance_regressions", "performance_history"} {
		rows, err := db.sql.Query(`SELECT id, t::VARCHAR FROM ` + table + ` t`)
		if err != nil {
			t.Fatalf("dumping %s: %v", table, err)
		}
		for rows.Next() {
			var (
				id  int64
				row string
			)
			if err := rows.Scan(&id, &row); err != nil {
				t.Fatalf("dumping %s: %v", table, err)
			}
			out[fmt.Sprintf("%s %d", table, id)] = row
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("dumping %s: %v", table, err)
		}
		rows.Close()
	}
	return out
}

func TestSaveAnalysisStoredCopies(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	k := seriesKey(0)
	series := []results.SeriesKey{k}
	hs := testHistory(k, 4, 2, t0)
	ds := []Detection{testDetection(k, 2, "confirmed"), testDetection(k, 3, "confirmed")}
	mustSave(t, db, series, ds, hs, t1)
	// Copies made by hand: a changed one of a point and an equal one of a
	// detection that the next analysis no longer finds.
	for _, q := range []string{
		`INSERT INTO performance_history BY NAME (SELECT * EXCLUDE (id) REPLACE (n + 1 AS n) FROM performance_history WHERE git_commit_hash = '` + commitID(1) + `')`,
		`INSERT INTO performance_regressions BY NAME (SELECT * EXCLUDE (id) FROM performance_regressions WHERE git_commit_hash = '` + commitID(3) + `')`,
	} {
		if _, err := db.sql.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	before := dumpRows(t, db)
	if got, want := mustSave(t, db, series, ds[:1], hs, t2), (SaveStats{Deleted: 2, Updated: 1, Unchanged: 5}); got != want {
		t.Errorf("save: got %+v; want %+v", got, want)
	}
	after := dumpRows(t, db)
	if len(after) != len(before)-2 {
		t.Errorf("%d rows after the save; want %d", len(after), len(before)-2)
	}
	for key, row := range after {
		if before[key] != row && !strings.Contains(row, VanishedNote) {
			t.Errorf("%s changed:\nbefore: %s\nafter:  %s", key, before[key], row)
		}
	}
	rows, err := db.HistoryRows(ctx, k)
	if err != nil || !reflect.DeepEqual(rows, hs) {
		t.Errorf("HistoryRows: got %+v, %v; want %+v", rows, err, hs)
	}
	got := mustDetections(t, db)
	if len(got) != 2 || got[1].Commit != commitID(3) || !strings.HasPrefix(got[1].Notes, VanishedNote) {
		t.Errorf("Detections: got %+v; want the one at %s noted", got, commitID(3))
	}
}

func TestSaveAnalysisComparesFloatsAsGo(t *testing.T) {
	db := openTemp(t)
	k := seriesKey(0)
	hs := testHistory(k, 3, 9, t0)
	hs[0].Value, hs[0].Low, hs[0].High = math.NaN(), math.Inf(-1), math.Inf(1)
	hs[1].Change = math.Copysign(0, -1)
	mustSave(t, db, nil, nil, hs, t1)
	before := dump(t, db)
	// A NaN of other bits equals NaN; -0 equals 0.
	again := slices.Clone(hs)
	again[0].Value = math.Float64frombits(math.Float64bits(math.NaN()) ^ 0xabc)
	again[1].Change, again[2].Low = 0, math.Copysign(again[2].Low, 1)
	if got, want := mustSave(t, db, nil, nil, again, t2), (SaveStats{Unchanged: 3}); got != want {
		t.Errorf("save: got %+v; want %+v", got, want)
	}
	if after := dump(t, db); after != before {
		t.Errorf("save changed rows:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	again[2].Low = math.Nextafter(again[2].Low, 1)
	if got, want := mustSave(t, db, nil, nil, again, t2), (SaveStats{Updated: 1, Unchanged: 2}); got != want {
		t.Errorf("save of a changed point: got %+v; want %+v", got, want)
	}
}

// BenchmarkSaveAnalysis saves a year of 520 series (189,800 history rows and
// 1,040 detections): first into an empty database, then again unchanged,
// then with every history point changed, then as a new main-branch run
// does: one more point in each series and 20 detections changed.
func BenchmarkSaveAnalysis(b *testing.B) {
	const nSeries, nPoints = 520, 365
	var (
		series []results.SeriesKey
		ds     []Detection
		hs     []HistoryRow
	)
	for i := range nSeries {
		k := seriesKey(i)
		series = append(series, k)
		hs = append(hs, testHistory(k, nPoints, 200, t0)...)
		ds = append(ds, testDetection(k, 200, "confirmed"), testDetection(k, 300, "provisional"))
	}
	ctx := context.Background()
	b.Run("first", func(b *testing.B) {
		var size int64
		for i := range b.N {
			b.StopTimer()
			path := filepath.Join(b.TempDir(), fmt.Sprintf("bench%d.duckdb", i))
			db, err := Open(ctx, path)
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			st, err := db.SaveAnalysis(ctx, series, ds, hs, t1)
			if err != nil || st.Inserted != len(ds)+len(hs) {
				b.Fatalf("SaveAnalysis: %+v, %v", st, err)
			}
			b.StopTimer()
			if err := db.Close(); err != nil {
				b.Fatal(err)
			}
			fi, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			size = fi.Size()
			b.StartTimer()
		}
		b.ReportMetric(float64(len(ds)+len(hs)), "rows/op")
		b.ReportMetric(float64(size)/(1<<20), "file-MiB")
	})
	b.Run("repeat", func(b *testing.B) {
		db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.duckdb"))
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		if _, err := db.SaveAnalysis(ctx, series, ds, hs, t1); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for range b.N {
			st, err := db.SaveAnalysis(ctx, series, ds, hs, t2)
			if err != nil || st.Unchanged != len(ds)+len(hs) {
				b.Fatalf("SaveAnalysis: %+v, %v", st, err)
			}
		}
		b.ReportMetric(float64(len(ds)+len(hs)), "rows/op")
	})
	b.Run("every-point-changed", func(b *testing.B) {
		db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.duckdb"))
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		if _, err := db.SaveAnalysis(ctx, series, ds, hs, t1); err != nil {
			b.Fatal(err)
		}
		changed := slices.Clone(hs)
		b.ResetTimer()
		for i := range b.N {
			for j := range changed {
				changed[j].N = 6 + i
			}
			st, err := db.SaveAnalysis(ctx, series, ds, changed, t2)
			if err != nil || st.Updated != len(hs) {
				b.Fatalf("SaveAnalysis: %+v, %v", st, err)
			}
		}
		b.ReportMetric(float64(len(hs)), "updated/op")
	})
	b.Run("append-one-point", func(b *testing.B) {
		db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.duckdb"))
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		if _, err := db.SaveAnalysis(ctx, series, ds, hs, t1); err != nil {
			b.Fatal(err)
		}
		longer := make([][]HistoryRow, nSeries)
		for i, k := range series {
			longer[i] = testHistory(k, nPoints+b.N, 200, t0)
		}
		changed := slices.Clone(ds)
		b.ResetTimer()
		for i := range b.N {
			b.StopTimer()
			hs := make([]HistoryRow, 0, nSeries*(nPoints+i+1))
			for _, l := range longer {
				hs = append(hs, l[:nPoints+i+1]...)
			}
			for j := 1; j < 40; j += 2 { // the provisional detection of 20 series
				changed[j].Status = detectionStatuses[(i+1)%2]
			}
			b.StartTimer()
			st, err := db.SaveAnalysis(ctx, series, changed, hs, t2)
			if want := (SaveStats{Inserted: nSeries, Updated: 20, Unchanged: len(ds) + len(hs) - nSeries - 20}); err != nil || st != want {
				b.Fatalf("SaveAnalysis: %+v, %v; want %+v", st, err, want)
			}
		}
		b.ReportMetric(nSeries, "inserted/op")
	})
}
