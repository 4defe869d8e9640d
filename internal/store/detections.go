package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/benchgate/benchgate/internal/results"
)

// Detection is one change point of one series on the main branch's history,
// as stored in performance_regressions.
type Detection struct {
	Key               results.SeriesKey
	Unit              string
	Commit            string  // full id of the first commit after the change (first bad)
	PreviousCommit    string  // full id of the last commit before it (last good)
	Change            float64 // relative change of the series centre, e.g. 0.12 = +12 %
	Low, High         float64 // its 95 % interval
	Before, After     float64 // centres around the change, in Unit
	P                 float64
	Direction         string // "regression" or "improvement"
	Severity          string // "minor", "major", "critical" or "improvement"
	Status            string // "provisional" or "confirmed"
	EnvironmentChange string // "" or e.g. "driver 535.104 → 550.54"
	// DetectedAt is the first time this (series, commit) was saved; kept on
	// later saves. SaveAnalysis ignores the value it is given.
	DetectedAt time.Time
	// ResolvedAt is set when a later change brought the series back.
	ResolvedAt       *time.Time
	ResolutionCommit string
	// Notes is set by SaveAnalysis on a confirmed detection that the latest
	// analysis no longer finds (see VanishedNote), and by Accept; SaveAnalysis
	// ignores the value it is given except on an accepted detection.
	Notes string
}

// VanishedNote starts the notes of a confirmed detection that the latest
// analysis no longer finds; the date of the first such analysis follows.
const VanishedNote = "the latest analysis no longer finds this change point"

// HistoryRow is one point of one series' history as stored in
// performance_history.
type HistoryRow struct {
	Key        results.SeriesKey
	Unit       string
	Commit     string
	RunDate    time.Time // UTC
	N          int       // samples
	Value      float64   // the point's centre (median), in Unit
	Low, High  float64   // spread shown for the point (e.g. min/max or an interval); may equal Value
	Regression bool      // the point is the first bad commit of a regression
	Severity   string    // "" unless Regression
	Change     float64   // relative change at this point when it is a change point, else 0
}

// SaveStats says what a save changed.
type SaveStats struct{ Inserted, Updated, Deleted, Unchanged int }

// Direction, severity and status values of a Detection.
var (
	detectionDirections = []string{"regression", "improvement"}
	detectionSeverities = []string{"minor", "major", "critical", "improvement"}
	detectionStatuses   = []string{"provisional", "confirmed", StatusAccepted}
)

// StatusAccepted is the status of a regression a maintainer accepted as the
// new baseline (the bot's /benchgate accept; Accept): SaveAnalysis keeps it,
// with its notes, as long as the analysis finds the change — and keeps the
// row when it no longer does.
const StatusAccepted = "accepted"

// statusConfirmed is the status of a detection that SaveAnalysis keeps when
// the analysis no longer finds it.
const statusConfirmed = "confirmed"

// SaveAnalysis replaces the stored analysis of the given series with ds and
// hs in one transaction: rows are keyed by (series, commit); a row equal to
// the stored one is left untouched (its id and DetectedAt kept), a changed
// one is updated (DetectedAt kept from the stored row), a new one inserted
// with DetectedAt = now, and stored rows of those series that ds/hs no
// longer contain are deleted — except confirmed detections, which are kept
// with notes that start with VanishedNote (a confirmed regression stays on
// record). series lists every series analysed (also those with no
// detections) so that their stale rows go; the series of ds and hs count as
// analysed too. Rows of other series are not touched.
//
// Times are stored in UTC with microsecond precision (DuckDB's TIMESTAMP).
// Two rows of ds, or of hs, with the same series and commit are an error,
// as is a detection whose direction, severity or status is not one of the
// documented values; nothing is written then.
//
// Note: a save that changes nothing only reads and compares: the database
// is not written.
func (db *DB) SaveAnalysis(ctx context.Context, series []results.SeriesKey, ds []Detection, hs []HistoryRow, now time.Time) (SaveStats, error) {
	st, err := db.saveAnalysis(ctx, series, ds, hs, storedTime(now))
	if err != nil {
		return SaveStats{}, fmt.Errorf("saving the analysis of %d series to %s: %w", len(series), db.path, err)
	}
	return st, nil
}

// Detections returns the stored detections, ordered by detection order
// (DetectedAt, then key, then commit).
func (db *DB) Detections(ctx context.Context) ([]Detection, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT `+identityColumns+`, unit, previous_commit_hash,
		relative_change, change_low, change_high, value_before, value_after, p_value,
		regression_type, severity_level, status, environment_change, detection_timestamp,
		resolved_at, resolution_commit_hash, notes
		FROM performance_regressions
		WHERE benchmark IS NOT NULL
		ORDER BY detection_timestamp, `+identityColumns+`, id`)
	if err != nil {
		return nil, fmt.Errorf("reading detections from %s: %w", db.path, err)
	}
	defer rows.Close()
	var out []Detection
	for rows.Next() {
		var (
			d                                 Detection
			unit, prev, dir, sev, status, env sql.NullString
			change, low, high, before, after  sql.NullFloat64
			p                                 sql.NullFloat64
			detected, resolved                sql.NullTime
			resolution, notes                 sql.NullString
			k                                 = &d.Key
		)
		if err := rows.Scan(&k.Benchmark, &k.Params, &k.Metric, &k.Hardware, &k.Device, &k.Runner, &d.Commit,
			&unit, &prev, &change, &low, &high, &before, &after, &p, &dir, &sev, &status, &env,
			&detected, &resolved, &resolution, &notes); err != nil {
			return nil, fmt.Errorf("reading detections from %s: %w", db.path, err)
		}
		d.Unit, d.PreviousCommit = unit.String, prev.String
		d.Change, d.Low, d.High, d.Before, d.After, d.P = change.Float64, low.Float64, high.Float64, before.Float64, after.Float64, p.Float64
		d.Direction, d.Severity, d.Status, d.EnvironmentChange = dir.String, sev.String, status.String, env.String
		d.DetectedAt = detected.Time.UTC()
		if resolved.Valid {
			t := resolved.Time.UTC()
			d.ResolvedAt = &t
		}
		d.ResolutionCommit, d.Notes = resolution.String, notes.String
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading detections from %s: %w", db.path, err)
	}
	return out, nil
}

// HistoryRows returns the stored history of one series, oldest first.
func (db *DB) HistoryRows(ctx context.Context, key results.SeriesKey) ([]HistoryRow, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT git_commit_hash, unit, run_date, n, value, low, high,
		regression_detected, regression_severity, relative_change
		FROM performance_history
		WHERE benchmark = ? AND params = ? AND metric = ? AND hardware_type = ? AND device_name = ? AND runner = ?
		ORDER BY run_date, id`,
		key.Benchmark, key.Params, key.Metric, key.Hardware, key.Device, key.Runner)
	if err != nil {
		return nil, fmt.Errorf("reading the stored history of %s from %s: %w", key, db.path, err)
	}
	defer rows.Close()
	var out []HistoryRow
	for rows.Next() {
		var (
			h                        = HistoryRow{Key: key}
			commit, unit, severity   sql.NullString
			date                     sql.NullTime
			n                        sql.NullInt64
			value, low, high, change sql.NullFloat64
			regression               sql.NullBool
		)
		if err := rows.Scan(&commit, &unit, &date, &n, &value, &low, &high, &regression, &severity, &change); err != nil {
			return nil, fmt.Errorf("reading the stored history of %s from %s: %w", key, db.path, err)
		}
		h.Commit, h.Unit, h.RunDate, h.N = commit.String, unit.String, date.Time.UTC(), int(n.Int64)
		h.Value, h.Low, h.High = value.Float64, low.Float64, high.Float64
		h.Regression, h.Severity, h.Change = regression.Bool, severity.String, change.Float64
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the stored history of %s from %s: %w", key, db.path, err)
	}
	return out, nil
}

// identityColumns are the columns that, with the commit, key a row of
// performance_history and performance_regressions.
const identityColumns = `benchmark, params, metric, hardware_type, device_name, runner, git_commit_hash`

// seriesColumns are the series identity columns.
var seriesColumns = []string{"benchmark", "params", "metric", "hardware_type", "device_name", "runner"}

// analysisTable describes how SaveAnalysis compares and writes one table.
type analysisTable struct {
	name string
	// values are the columns compared with the stored row and written on
	// insert and update, after the identity columns; types are their types.
	values []string
	types  []duckdb.Type
	// nullable are the values other than strings that may be NULL.
	nullable []string
	// onInsert are the columns written on insert only, with now.
	onInsert []string
	// onUpdate are the columns written on update (and insert) with now.
	onUpdate []string
}

var (
	historyTable = analysisTable{
		name: "performance_history",
		values: []string{"unit", "run_date", "n", "value", "low", "high", "regression_detected", "regression_severity",
			"relative_change", "regression_percent", "average_latency_ms", "throughput_items_per_second", "memory_peak_mb"},
		types: []duckdb.Type{duckdb.TYPE_VARCHAR, duckdb.TYPE_TIMESTAMP, duckdb.TYPE_INTEGER, duckdb.TYPE_DOUBLE, duckdb.TYPE_DOUBLE, duckdb.TYPE_DOUBLE,
			duckdb.TYPE_BOOLEAN, duckdb.TYPE_VARCHAR, duckdb.TYPE_DOUBLE, duckdb.TYPE_DOUBLE, duckdb.TYPE_DOUBLE, duckdb.TYPE_DOUBLE, duckdb.TYPE_DOUBLE},
		nullable: []string{"regression_percent", "average_latency_ms", "throughput_items_per_second", "memory_peak_mb"},
		onInsert: []string{"created_at"},
	}
	regressionTable = analysisTable{
		name: "performance_regressions",
		values: []string{"unit", "previous_commit_hash", "relative_change", "change_low", "change_high",
			"value_before", "value_after", "p_value", "regression_type", "severity_level", "status", "environment_change",
			"regression_percent", "affected_metrics", "resolved_at", "resolution_commit_hash", "notes"},
		// Note: affected_metrics (JSON) is compared as its text.
		types: []duckdb.Type{duckdb.TYPE_VARCHAR, duckdb.TYPE_VARCHAR, duckdb.TYPE_DOUBLE, duckdb.TYPE_DOUBLE, duckdb.TYPE_DOUBLE,
			duckdb.TYPE_DOUBLE, duckdb.TYPE_DOUBLE, duckdb.TYPE_DOUBLE, duckdb.TYPE_VARCHAR, duckdb.TYPE_VARCHAR, duckdb.TYPE_VARCHAR, duckdb.TYPE_VARCHAR,
			duckdb.TYPE_DOUBLE, duckdb.TYPE_VARCHAR, duckdb.TYPE_TIMESTAMP, duckdb.TYPE_VARCHAR, duckdb.TYPE_VARCHAR},
		nullable: []string{"resolved_at"},
		onInsert: []string{"detection_timestamp", "created_at"},
		onUpdate: []string{"updated_at"},
	}
)

// isNullable reports whether value col of t may be NULL.
func (t analysisTable) isNullable(col int) bool {
	return t.types[col] == duckdb.TYPE_VARCHAR || slices.Contains(t.nullable, t.values[col])
}

// seriesIndex numbers the analysed series.
type seriesIndex struct {
	keys []results.SeriesKey
	idx  map[results.SeriesKey]int
	last int // the series looked up last, -1 before the first
}

func newSeriesIndex() *seriesIndex {
	return &seriesIndex{idx: map[results.SeriesKey]int{}, last: -1}
}

// of returns the number of k, adding it when new.
//
// Note: the rows of a series usually follow each other; comparing with the
// last key is cheaper than hashing six strings.
func (s *seriesIndex) of(k results.SeriesKey) int {
	if s.last >= 0 && s.keys[s.last] == k {
		return s.last
	}
	i, ok := s.idx[k]
	if !ok {
		i = len(s.keys)
		s.keys = append(s.keys, k)
		s.idx[k] = i
	}
	s.last = i
	return i
}

// commitIndex numbers the commits of the rows saved.
type commitIndex struct {
	hashes []string
	idx    map[string]int32
}

func newCommitIndex() *commitIndex {
	return &commitIndex{idx: map[string]int32{}}
}

// of returns the number of the commit hash, adding it when new.
func (c *commitIndex) of(hash string) int32 {
	i, ok := c.idx[hash]
	if !ok {
		i = int32(len(c.hashes))
		c.hashes = append(c.hashes, hash)
		c.idx[hash] = i
	}
	return i
}

// rowKey keys a row of the analysis tables: the numbers of its series in a
// seriesIndex and of its commit in a commitIndex.
type rowKey struct{ series, commit int32 }

// rowSet is what SaveAnalysis writes to one table: the keys of the rows, in
// the order given, and their values.
type rowSet struct {
	keys    []rowKey
	strings *stringIndex // the strings of the values, numbered
	// write writes the values of row i (those of analysisTable.values) to w.
	write func(i int, w valueWriter)
}

// valueWriter takes the values of one row; col is the position in
// analysisTable.values.
//
// Note: typed, so that the values of the given rows reach DuckDB's vectors
// without an allocation each (see givenRows).
type valueWriter interface {
	null(col int)
	text(col int, s string)
	double(col int, x float64)
	integer(col int, n int32)
	boolean(col int, b bool)
	timestamp(col int, t time.Time)
	value(col int, v driver.Value) // one of the types above, a jsonText, or nil for NULL
}

// rowValues is a valueWriter that fills a row for the appender.
type rowValues []driver.Value

func (r rowValues) null(col int)                   { r[col] = nil }
func (r rowValues) text(col int, s string)         { r[col] = s }
func (r rowValues) double(col int, x float64)      { r[col] = x }
func (r rowValues) integer(col int, n int32)       { r[col] = n }
func (r rowValues) boolean(col int, b bool)        { r[col] = b }
func (r rowValues) timestamp(col int, t time.Time) { r[col] = t }
func (r rowValues) value(col int, v driver.Value)  { r[col] = v }

func (db *DB) saveAnalysis(ctx context.Context, series []results.SeriesKey, ds []Detection, hs []HistoryRow, now time.Time) (st SaveStats, err error) {
	if db.readOnly {
		return st, errors.New("database is open read-only")
	}
	ix := newSeriesIndex()
	for _, k := range series {
		ix.of(k)
	}
	// Note: the history first, so that its commits are numbered in its
	// order (see historyRows); an error in ds is reported first all the same.
	cx := newCommitIndex()
	hRows, hErr := historyRows(hs, ix, cx)
	dRows, err := detectionRows(ds, ix, cx)
	if err != nil {
		return st, err
	}
	if hErr != nil {
		return st, hErr
	}
	if len(ix.keys) == 0 {
		return st, nil
	}

	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return st, err
	}
	defer conn.Close()
	if err := db.registerGivenRows(conn); err != nil {
		return st, err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return st, err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback() // Note: the error that caused the rollback matters, not this one.
		}
	}()
	if err := createKeyTables(ctx, conn, tx, ix.keys, cx.hashes); err != nil {
		return st, fmt.Errorf("listing the analysed series and commits: %w", err)
	}
	for _, t := range []struct {
		table analysisTable
		rows  rowSet
	}{{regressionTable, dRows}, {historyTable, hRows}} {
		if err := saveTable(ctx, conn, tx, t.table, ix, cx, t.rows, now, &st); err != nil {
			return st, fmt.Errorf("writing %s: %w", t.table.name, err)
		}
	}
	for _, temp := range []string{"analysis_series", "analysis_commits"} {
		if _, err := tx.ExecContext(ctx, `DROP TABLE temp.`+temp); err != nil {
			return st, err
		}
	}
	if err := tx.Commit(); err != nil {
		return st, fmt.Errorf("committing: %w", err)
	}
	return st, nil
}

// detectionRows checks ds and returns their rows.
func detectionRows(ds []Detection, ix *seriesIndex, cx *commitIndex) (rowSet, error) {
	rs := rowSet{keys: make([]rowKey, len(ds)), strings: newStringIndex(len(regressionTable.values))}
	seen := make(map[rowKey]bool, len(ds))
	images := make([][]driver.Value, len(ds))
	for i := range ds {
		d := &ds[i]
		key := rowKey{int32(ix.of(d.Key)), cx.of(d.Commit)}
		k := d.Key.String() + " at " + d.Commit
		switch {
		case d.Commit == "":
			return rowSet{}, fmt.Errorf("detection of %s: empty commit", d.Key)
		case seen[key]:
			return rowSet{}, fmt.Errorf("detection of %s: given twice", k)
		case !slices.Contains(detectionDirections, d.Direction):
			return rowSet{}, fmt.Errorf("detection of %s: direction %q: want one of %s", k, d.Direction, strings.Join(detectionDirections, ", "))
		case !slices.Contains(detectionSeverities, d.Severity):
			return rowSet{}, fmt.Errorf("detection of %s: severity %q: want one of %s", k, d.Severity, strings.Join(detectionSeverities, ", "))
		case !slices.Contains(detectionStatuses, d.Status):
			return rowSet{}, fmt.Errorf("detection of %s: status %q: want one of %s", k, d.Status, strings.Join(detectionStatuses, ", "))
		}
		seen[key], rs.keys[i] = true, key
		metrics, err := json.Marshal([]string{d.Key.Metric})
		if err != nil {
			return rowSet{}, fmt.Errorf("detection of %s: %w", k, err)
		}
		var resolved driver.Value
		if d.ResolvedAt != nil {
			resolved = storedTime(*d.ResolvedAt)
		}
		images[i] = []driver.Value{
			d.Unit, d.PreviousCommit, d.Change, d.Low, d.High, d.Before, d.After, d.P,
			d.Direction, d.Severity, d.Status, nullString(d.EnvironmentChange),
			100 * d.Change, jsonText(metrics), resolved, nullString(d.ResolutionCommit), nil,
		}
		if d.Status == StatusAccepted {
			images[i][len(images[i])-1] = nullString(d.Notes)
		}
	}
	rs.write = func(i int, w valueWriter) {
		for col, v := range images[i] {
			w.value(col, v)
		}
	}
	c := stringCollector{rs.strings}
	for i := range images {
		rs.write(i, c)
	}
	return rs, nil
}

// historyRows checks hs and returns their rows.
//
// Note: the values are written from hs when needed, not kept for each row:
// a year of history is some 200,000 rows.
func historyRows(hs []HistoryRow, ix *seriesIndex, cx *commitIndex) (rowSet, error) {
	rs := rowSet{keys: make([]rowKey, len(hs)), strings: newStringIndex(len(historyTable.values))}
	// Note: where the rows of each series follow each other, with commits
	// numbered in increasing order (a history in date order, commits
	// numbered as first seen), no key can repeat; only otherwise are the
	// keys put in a map.
	var (
		unique      = true
		last        = rowKey{-1, -1}
		seenSeries  = map[int32]bool{}
		dupsChecked = false
	)
	for i := range hs {
		h := &hs[i]
		key := rowKey{int32(ix.of(h.Key)), cx.of(h.Commit)}
		if key.series != last.series {
			unique = unique && !seenSeries[key.series]
			seenSeries[key.series] = true
		} else {
			unique = unique && key.commit > last.commit
		}
		last = key
		if !unique && !dupsChecked {
			if err := checkHistoryKeys(hs, ix, cx); err != nil {
				return rowSet{}, err
			}
			dupsChecked = true
		}
		switch {
		case h.Commit == "":
			return rowSet{}, fmt.Errorf("history of %s: point of %s: empty commit", h.Key, h.RunDate.Format(time.RFC3339))
		case h.N < 0 || h.N > math.MaxInt32:
			return rowSet{}, fmt.Errorf("history of %s at %s: %d samples", h.Key, h.Commit, h.N)
		}
		rs.keys[i] = key
		rs.strings.add(0, h.Unit)
		if h.Severity != "" {
			rs.strings.add(7, h.Severity)
		}
	}
	rs.write = func(i int, w valueWriter) { writeHistory(&hs[i], w) }
	return rs, nil
}

// checkHistoryKeys checks hs in order as historyRows does, and that no
// (series, commit) repeats; it returns the first error.
func checkHistoryKeys(hs []HistoryRow, ix *seriesIndex, cx *commitIndex) error {
	seen := make(map[rowKey]bool, len(hs))
	for i := range hs {
		h := &hs[i]
		key := rowKey{int32(ix.of(h.Key)), cx.of(h.Commit)}
		switch {
		case h.Commit == "":
			return fmt.Errorf("history of %s: point of %s: empty commit", h.Key, h.RunDate.Format(time.RFC3339))
		case seen[key]:
			return fmt.Errorf("history of %s at %s: given twice", h.Key, h.Commit)
		case h.N < 0 || h.N > math.MaxInt32:
			return fmt.Errorf("history of %s at %s: %d samples", h.Key, h.Commit, h.N)
		}
		seen[key] = true
	}
	return nil
}

// writeHistory writes the values of h, those of historyTable.values, to w.
func writeHistory(h *HistoryRow, w valueWriter) {
	w.text(0, h.Unit)
	w.timestamp(1, storedTime(h.RunDate))
	w.integer(2, int32(h.N))
	w.double(3, h.Value)
	w.double(4, h.Low)
	w.double(5, h.High)
	w.boolean(6, h.Regression)
	if h.Severity == "" {
		w.null(7)
	} else {
		w.text(7, h.Severity)
	}
	w.double(8, h.Change)
	if h.Change != 0 {
		w.double(9, 100*h.Change)
	} else {
		w.null(9)
	}
	seed, v := seedColumn(h.Key.Metric, h.Unit, h.Value)
	for j := range 3 {
		if j == seed {
			w.double(10+j, v)
		} else {
			w.null(10 + j)
		}
	}
}

// Seed columns of a history point, in the order of historyTable.values.
const (
	seedLatencyMs = iota
	seedThroughput
	seedMemoryMB
)

// seedColumn returns which of the seed's average_latency_ms,
// throughput_items_per_second and memory_peak_mb a history point of metric
// with value v in unit fills, and with what; -1 where the metric does not
// map (the three are NULL then).
func seedColumn(metric, unit string, v float64) (int, float64) {
	switch {
	case (metric == metricLatencyMean || metric == metricSecPerOp) && unit == "s":
		return seedLatencyMs, v * 1000
	case (metric == metricLatencyMean || metric == metricSecPerOp) && unit == "ms":
		return seedLatencyMs, v
	case metric == metricThroughput:
		return seedThroughput, v
	case metric == metricMemoryPeak && unit == "B":
		return seedMemoryMB, v / bytesPerMB
	}
	return -1, 0
}

// createKeyTables fills the temporary tables analysis_series with the
// series keys and analysis_commits with the commit hashes, numbered by
// their index.
func createKeyTables(ctx context.Context, conn *sql.Conn, tx *sql.Tx, keys []results.SeriesKey, hashes []string) error {
	if _, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE analysis_series (idx INTEGER,
		benchmark VARCHAR, params VARCHAR, metric VARCHAR, hardware_type VARCHAR, device_name VARCHAR, runner VARCHAR)`); err != nil {
		return err
	}
	err := appendRows(conn, "temp", "analysis_series", append([]string{"idx"}, seriesColumns...), len(keys), func(i int, row []driver.Value) {
		k := keys[i]
		row[0], row[1], row[2], row[3], row[4], row[5], row[6] = int32(i), k.Benchmark, k.Params, k.Metric, k.Hardware, k.Device, k.Runner
	})
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE analysis_commits (idx INTEGER, hash VARCHAR)`); err != nil {
		return err
	}
	return appendRows(conn, "temp", "analysis_commits", []string{"idx", "hash"}, len(hashes), func(i int, row []driver.Value) {
		row[0], row[1] = int32(i), hashes[i]
	})
}

// seriesJoin joins a table t with the temporary table analysis_series s.
var seriesJoin = func() string {
	on := make([]string, len(seriesColumns))
	for i, c := range seriesColumns {
		on[i] = "t." + c + " = s." + c
	}
	return strings.Join(on, " AND ")
}()

// Actions of the rows of the temporary table analysis_diff.
const (
	actionInsert = "insert" // a given row with no stored one
	actionSame   = "same"   // a vanished confirmed detection already noted
	actionUpdate = "update" // a stored row that differs from the given one
	actionNote   = "note"   // a vanished confirmed detection to note
	actionDelete = "delete" // a stored row not given, or a second stored row of a key
)

// saveTable writes rs to t, counting what it does in st: it compares rs with
// the stored rows of the analysed series in SQL, and writes only the
// difference.
//
// Note: a save reads back only counts and the positions of the rows to
// insert or update; reading every stored row into Go, or appending every
// given row to a temporary table, cost more than the rest of a save.
func saveTable(ctx context.Context, conn *sql.Conn, tx *sql.Tx, t analysisTable, ix *seriesIndex, cx *commitIndex, rs rowSet, now time.Time, st *SaveStats) error {
	// Note: the distinct count of a hash of the key is cheaper than that of
	// the key; a collision only makes diffTable rank the rows needlessly.
	var stored, keys int
	if err := tx.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT hash(s.idx, coalesce(t.git_commit_hash, '')))
		FROM `+t.name+` t JOIN temp.analysis_series s ON `+seriesJoin).Scan(&stored, &keys); err != nil {
		return fmt.Errorf("counting the stored rows: %w", err)
	}
	if stored == 0 { // e.g. the first save: every row is new.
		if err := insertRows(conn, t, ix, cx, rs, nil, now); err != nil {
			return fmt.Errorf("inserting %d rows: %w", len(rs.keys), err)
		}
		st.Inserted += len(rs.keys)
		return nil
	}

	g := &givenRows{t: t, rs: rs}
	if _, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE analysis_strings (idx INTEGER, s VARCHAR)`); err != nil {
		return err
	}
	err := appendRows(conn, "temp", "analysis_strings", []string{"idx", "s"}, len(rs.strings.list), func(i int, row []driver.Value) {
		row[0], row[1] = int32(i), rs.strings.list[i]
	})
	if err != nil {
		return fmt.Errorf("listing the strings of the rows given: %w", err)
	}
	if err := diffTable(context.WithValue(ctx, givenRowsKey{}, g), tx, t, keys < stored); err != nil {
		return fmt.Errorf("comparing with the stored rows: %w", err)
	}
	counts, err := countActions(ctx, tx)
	if err != nil {
		return fmt.Errorf("comparing with the stored rows: %w", err)
	}
	st.Inserted += counts[actionInsert]
	st.Updated += counts[actionUpdate] + counts[actionNote]
	st.Deleted += counts[actionDelete]
	st.Unchanged += counts[actionSame] + len(rs.keys) - counts[actionInsert] - counts[actionUpdate]

	// Note: a statement is run only where there is something to write, so
	// that a save that changes nothing does not write the database.
	if n := counts[actionDelete]; n > 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t.name+` WHERE id IN (SELECT id FROM temp.analysis_diff WHERE action = `+sqlText(actionDelete)+`)`); err != nil {
			return fmt.Errorf("deleting %d rows: %w", n, err)
		}
	}
	if n := counts[actionUpdate]; n > 0 {
		if err := updateRows(ctx, conn, tx, t, rs, now); err != nil {
			return fmt.Errorf("updating %d rows: %w", n, err)
		}
	}
	if n := counts[actionNote]; n > 0 {
		set := []string{"notes = ?"}
		args := []any{VanishedNote + " (since " + now.Format(time.DateOnly) + ")"}
		for _, c := range t.onUpdate {
			set = append(set, c+" = ?")
			args = append(args, now)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE `+t.name+` SET `+strings.Join(set, ", ")+`
			WHERE id IN (SELECT id FROM temp.analysis_diff WHERE action = `+sqlText(actionNote)+`)`, args...); err != nil {
			return fmt.Errorf("noting %d vanished detections: %w", n, err)
		}
	}
	if n := counts[actionInsert]; n > 0 {
		pos, err := positions(ctx, tx, actionInsert, n)
		if err != nil {
			return fmt.Errorf("listing the new rows: %w", err)
		}
		if err := insertRows(conn, t, ix, cx, rs, pos, now); err != nil {
			return fmt.Errorf("inserting %d rows: %w", n, err)
		}
	}
	for _, temp := range []string{"analysis_strings", "analysis_diff"} {
		if _, err := tx.ExecContext(ctx, `DROP TABLE temp.`+temp); err != nil {
			return err
		}
	}
	return nil
}

// diffTable fills the temporary table analysis_diff with what turns the
// stored rows of t of the analysed series into the given rows (those of the
// table function givenRowsFunction): a row (action, id of the stored row,
// pos of the given row) for each given row that is new or changed and each
// stored row not given; given rows equal to the stored ones are left out.
//
// Rows are keyed by (series, commit). Where a key has more than one stored
// row (never written by SaveAnalysis; a copy made by hand; ranked says there
// may be), the first by id is compared and the others go. A stored row is
// equal to the given one when DuckDB's hash of the values is: NULL-safe,
// NaN equal to NaN and -0 to 0, as before. A stored row not given goes,
// except a confirmed detection, which is noted (unless it is already).
func diffTable(ctx context.Context, tx *sql.Tx, t analysisTable, ranked bool) error {
	storedValues := make([]string, len(t.values))
	givenValues := make([]string, len(t.values))
	for i, c := range t.values {
		typ := typeName(t.types[i])
		storedValues[i] = "t." + c + "::" + typ
		switch {
		case t.types[i] == duckdb.TYPE_VARCHAR:
			givenValues[i] = "d.strings[g." + c + " + 1]" // Note: DuckDB's lists count from 1; [0] is NULL.
		case t.isNullable(i):
			givenValues[i] = fmt.Sprintf("CASE WHEN g.nulls & %d = 0 THEN g.%s END::%s", int64(1)<<i, c, typ)
		default:
			givenValues[i] = "g." + c + "::" + typ
		}
	}
	vanished, extra := sqlText(actionDelete), ""
	if t.name == regressionTable.name {
		vanished = `CASE WHEN k.status = ` + sqlText(StatusAccepted) + ` THEN ` + sqlText(actionSame) +
			` WHEN k.status IS DISTINCT FROM ` + sqlText(statusConfirmed) + ` THEN ` + sqlText(actionDelete) +
			` WHEN starts_with(k.notes, ` + sqlText(VanishedNote) + `) THEN ` + sqlText(actionSame) + ` ELSE ` + sqlText(actionNote) + ` END`
		extra = ", t.status, t.notes"
	}
	rank, dups := "1", ""
	if ranked {
		rank = "row_number() OVER (PARTITION BY s.idx, coalesce(t.git_commit_hash, '') ORDER BY t.id)"
		dups = ` UNION ALL SELECT ` + sqlText(actionDelete) + `, id, NULL FROM stored WHERE rank > 1`
	}
	_, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE analysis_diff AS
		WITH stored AS (
			SELECT t.id, s.idx AS series_idx, c.idx AS commit_idx, hash(`+strings.Join(storedValues, ", ")+`) AS h`+extra+`,
				`+rank+` AS rank
			FROM `+t.name+` t JOIN temp.analysis_series s ON `+seriesJoin+`
			LEFT JOIN temp.analysis_commits c ON c.hash = t.git_commit_hash
		)
		SELECT * FROM (
			SELECT CASE
					WHEN k.id IS NULL THEN `+sqlText(actionInsert)+`
					WHEN g.pos IS NULL THEN `+vanished+`
					WHEN k.h = g.h THEN `+sqlText(actionSame)+`
					ELSE `+sqlText(actionUpdate)+` END AS action,
				k.id, g.pos
			FROM (SELECT * FROM stored WHERE rank = 1) k
			FULL JOIN (SELECT g.pos, g.series_idx, g.commit_idx, hash(`+strings.Join(givenValues, ", ")+`) AS h
				FROM `+givenRowsFunction+`() g, (SELECT list(s ORDER BY idx) AS strings FROM temp.analysis_strings) d) g
				ON g.series_idx = k.series_idx AND g.commit_idx = k.commit_idx`+dups+`
		) WHERE action <> `+sqlText(actionSame)+` OR pos IS NULL`)
	return err
}

// typeName returns the SQL name of a column type of analysisTable.types.
func typeName(t duckdb.Type) string {
	switch t {
	case duckdb.TYPE_VARCHAR:
		return "VARCHAR"
	case duckdb.TYPE_TIMESTAMP:
		return "TIMESTAMP"
	case duckdb.TYPE_INTEGER:
		return "INTEGER"
	case duckdb.TYPE_BOOLEAN:
		return "BOOLEAN"
	}
	return "DOUBLE"
}

// countActions returns the number of rows of each action in the temporary
// table analysis_diff.
func countActions(ctx context.Context, tx *sql.Tx) (map[string]int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT action, count(*) FROM temp.analysis_diff GROUP BY action`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var (
			action string
			n      int
		)
		if err := rows.Scan(&action, &n); err != nil {
			return nil, err
		}
		counts[action] = n
	}
	return counts, rows.Err()
}

// positions returns the positions of the n given rows of action in the
// temporary table analysis_diff, in order.
func positions(ctx context.Context, tx *sql.Tx, action string, n int) ([]int32, error) {
	rows, err := tx.QueryContext(ctx, `SELECT pos FROM temp.analysis_diff WHERE action = `+sqlText(action)+` ORDER BY pos`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	pos := make([]int32, 0, n)
	for rows.Next() {
		var p int32
		if err := rows.Scan(&p); err != nil {
			return nil, err
		}
		pos = append(pos, p)
	}
	return pos, rows.Err()
}

// insertRows appends the rows of rs at pos (all when pos is nil), in that
// order, to t with DuckDB's appender.
func insertRows(conn *sql.Conn, t analysisTable, ix *seriesIndex, cx *commitIndex, rs rowSet, pos []int32, now time.Time) error {
	n := len(rs.keys)
	if pos != nil {
		n = len(pos)
	}
	if n == 0 {
		return nil
	}
	cols := append(append(append(append([]string(nil), seriesColumns...), "git_commit_hash"), t.values...), t.onInsert...)
	cols = append(cols, t.onUpdate...)
	nv := len(t.values)
	return appendRows(conn, "", t.name, cols, n, func(i int, row []driver.Value) {
		if pos != nil {
			i = int(pos[i])
		}
		key := rs.keys[i]
		k := ix.keys[key.series]
		row[0], row[1], row[2], row[3], row[4], row[5], row[6] = k.Benchmark, k.Params, k.Metric, k.Hardware, k.Device, k.Runner, cx.hashes[key.commit]
		rs.write(i, rowValues(row[7:7+nv]))
		for j := 7 + nv; j < len(row); j++ {
			row[j] = now
		}
	})
}

// updateRows writes the given rows of the updates of the temporary table
// analysis_diff over their stored rows, and now to t.onUpdate, in one
// UPDATE from a temporary table.
func updateRows(ctx context.Context, conn *sql.Conn, tx *sql.Tx, t analysisTable, rs rowSet, now time.Time) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, pos FROM temp.analysis_diff WHERE action = `+sqlText(actionUpdate)+` ORDER BY pos`)
	if err != nil {
		return err
	}
	var ids []int64
	var pos []int32
	for rows.Next() {
		var (
			id int64
			p  int32
		)
		if err := rows.Scan(&id, &p); err != nil {
			rows.Close()
			return err
		}
		ids, pos = append(ids, id), append(pos, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE analysis_updates AS
		SELECT id, `+strings.Join(t.values, ", ")+` FROM `+t.name+` LIMIT 0`); err != nil {
		return err
	}
	nv := len(t.values)
	err = appendRows(conn, "temp", "analysis_updates", append([]string{"id"}, t.values...), len(ids), func(i int, row []driver.Value) {
		row[0] = ids[i]
		rs.write(int(pos[i]), rowValues(row[1:1+nv]))
	})
	if err != nil {
		return err
	}
	set := make([]string, 0, len(t.values)+len(t.onUpdate))
	for _, c := range t.values {
		set = append(set, c+" = u."+c)
	}
	args := []any{}
	for _, c := range t.onUpdate {
		set = append(set, c+" = ?")
		args = append(args, now)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE `+t.name+` AS t SET `+strings.Join(set, ", ")+
		` FROM temp.analysis_updates AS u WHERE t.id = u.id`, args...); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `DROP TABLE temp.analysis_updates`)
	return err
}

// givenRowsFunction is the table function that streams the given rows of
// the table being saved (the givenRows in the query's context) to DuckDB:
// pos (the position in the rowSet), series_idx, commit_idx, nulls (bit i set
// where value i is NULL) and the values, named as in analysisTable.values;
// a VARCHAR value comes as the number of the string in givenRows.strings
// (-1 for NULL).
//
// Note: a table function writes typed values straight to DuckDB's vectors,
// where the appender takes each value as an interface (an allocation each);
// a NULL or a string written to a vector costs a cgo call each. Appending
// every given row to a temporary table was the largest cost of a save that
// changes little.
const givenRowsFunction = "benchgate_analysis_given_rows"

// givenValuesColumn is the column of the first value in givenRowsFunction.
const givenValuesColumn = 4

// givenRowsKey is the context key of the givenRows of a query.
type givenRowsKey struct{}

// givenRows are the rows of one table that a save compares.
type givenRows struct {
	t  analysisTable
	rs rowSet
}

// registerGivenRows registers givenRowsFunction with the database of db
// (through conn) once; a failed registration is retried by the next save.
//
// Note: DuckDB keeps a function registered on one connection for all the
// connections of its database.
func (db *DB) registerGivenRows(conn *sql.Conn) error {
	db.udfMu.Lock()
	defer db.udfMu.Unlock()
	if db.udfRegistered {
		return nil
	}
	err := duckdb.RegisterTableUDF(conn, givenRowsFunction, duckdb.ParallelChunkTableFunction{
		BindArgumentsContext: func(ctx context.Context, _ map[string]any, _ ...any) (duckdb.ParallelChunkTableSource, error) {
			g, ok := ctx.Value(givenRowsKey{}).(*givenRows)
			if !ok {
				return nil, errors.New(givenRowsFunction + ": no rows given")
			}
			return &givenRowsSource{givenRows: g}, nil
		},
	})
	if err != nil {
		return fmt.Errorf("registering %s: %w", givenRowsFunction, err)
	}
	db.udfRegistered = true
	return nil
}

// givenRowsSource is one scan of givenRows, by chunks that DuckDB's
// threads claim in turn.
type givenRowsSource struct {
	*givenRows
	next atomic.Int64 // the first row not claimed
}

// ColumnInfos returns the columns (see givenRowsFunction).
func (g *givenRowsSource) ColumnInfos() []duckdb.ColumnInfo {
	typeInfo := func(t duckdb.Type) duckdb.TypeInfo {
		ti, err := duckdb.NewTypeInfo(t)
		if err != nil {
			panic(err) // Note: the types of analysisTable.types are all primitive.
		}
		return ti
	}
	integer := typeInfo(duckdb.TYPE_INTEGER)
	cols := []duckdb.ColumnInfo{{Name: "pos", T: integer}, {Name: "series_idx", T: integer}, {Name: "commit_idx", T: integer},
		{Name: "nulls", T: typeInfo(duckdb.TYPE_BIGINT)}}
	for i, c := range g.t.values {
		t := g.t.types[i]
		if t == duckdb.TYPE_VARCHAR {
			t = duckdb.TYPE_INTEGER
		}
		cols = append(cols, duckdb.ColumnInfo{Name: c, T: typeInfo(t)})
	}
	return cols
}

// Cardinality returns the number of rows.
func (g *givenRowsSource) Cardinality() *duckdb.CardinalityInfo {
	return &duckdb.CardinalityInfo{Cardinality: uint(len(g.rs.keys)), Exact: true}
}

// Init lets DuckDB choose the number of threads.
func (g *givenRowsSource) Init() duckdb.ParallelTableSourceInfo {
	return duckdb.ParallelTableSourceInfo{}
}

// NewLocalState returns the strings looked up last by a thread.
func (g *givenRowsSource) NewLocalState() any {
	return make([]stringNumber, len(g.t.values))
}

// FillChunk writes the next rows not claimed to c.
func (g *givenRowsSource) FillChunk(local any, c duckdb.DataChunk) error {
	capacity := duckdb.GetDataChunkCapacity()
	first := int(g.next.Add(int64(capacity))) - capacity
	n := max(0, min(capacity, len(g.rs.keys)-first))
	w := &chunkValues{t: g.t, chunk: c, strings: g.rs.strings, last: local.([]stringNumber)}
	for r := range n {
		i := first + r
		k := g.rs.keys[i]
		w.row, w.nulls = r, 0
		w.keep(duckdb.SetChunkValue(c, 0, r, int32(i)))
		w.keep(duckdb.SetChunkValue(c, 1, r, k.series))
		w.keep(duckdb.SetChunkValue(c, 2, r, k.commit))
		g.rs.write(i, w)
		w.keep(duckdb.SetChunkValue(c, 3, r, w.nulls))
		if w.err != nil {
			return fmt.Errorf("%s: row %d: %w", givenRowsFunction, i, w.err)
		}
	}
	return c.SetSize(n)
}

// chunkValues is a valueWriter to one row of a chunk of givenRowsFunction;
// it keeps the first error.
//
// Note: a NULL other than a string's is only a bit in nulls; the vector
// keeps what it holds there.
type chunkValues struct {
	t       analysisTable
	chunk   duckdb.DataChunk
	strings *stringIndex
	last    []stringNumber // see stringIndex.lookup
	row     int
	nulls   int64
	err     error
}

func (w *chunkValues) null(col int) {
	switch {
	case w.t.types[col] == duckdb.TYPE_VARCHAR:
		w.keep(duckdb.SetChunkValue(w.chunk, givenValuesColumn+col, w.row, int32(-1)))
	case w.t.isNullable(col):
		w.nulls |= 1 << col
	default:
		w.keep(fmt.Errorf("value %s: NULL", w.t.values[col]))
	}
}

func (w *chunkValues) text(col int, s string) {
	i, ok := w.strings.lookup(w.last, col, s)
	if !ok {
		w.keep(fmt.Errorf("string %q not numbered", s))
		return
	}
	w.keep(duckdb.SetChunkValue(w.chunk, givenValuesColumn+col, w.row, i))
}

func (w *chunkValues) double(col int, x float64) {
	w.keep(duckdb.SetChunkValue(w.chunk, givenValuesColumn+col, w.row, x))
}

func (w *chunkValues) integer(col int, n int32) {
	w.keep(duckdb.SetChunkValue(w.chunk, givenValuesColumn+col, w.row, n))
}

func (w *chunkValues) boolean(col int, b bool) {
	w.keep(duckdb.SetChunkValue(w.chunk, givenValuesColumn+col, w.row, b))
}

func (w *chunkValues) timestamp(col int, t time.Time) {
	w.keep(duckdb.SetChunkValue(w.chunk, givenValuesColumn+col, w.row, t))
}

func (w *chunkValues) value(col int, v driver.Value) {
	switch x := v.(type) {
	case nil:
		w.null(col)
	case string:
		w.text(col, x)
	case jsonText:
		w.text(col, string(x))
	case float64:
		w.double(col, x)
	case int32:
		w.integer(col, x)
	case bool:
		w.boolean(col, x)
	case time.Time:
		w.timestamp(col, x)
	default:
		w.keep(fmt.Errorf("value %d: unexpected %T", col, v))
	}
}

func (w *chunkValues) keep(err error) {
	if err != nil && w.err == nil {
		w.err = err
	}
}

// stringIndex numbers the strings of the given rows.
type stringIndex struct {
	list []string
	idx  map[string]int32
	last []stringNumber // by column, the string added last
}

// stringNumber is a string and its number.
type stringNumber struct {
	s  string
	i  int32
	ok bool
}

func newStringIndex(columns int) *stringIndex {
	return &stringIndex{idx: map[string]int32{}, last: make([]stringNumber, columns)}
}

// lookup returns the number of s, a value of column col; last holds the
// string looked up last in each column, and is updated.
//
// Note: a column usually holds the same string row after row (a unit);
// comparing with the last one is cheaper than hashing. lookup does not
// change x: threads may look up at once, each with its own last.
func (x *stringIndex) lookup(last []stringNumber, col int, s string) (int32, bool) {
	if l := last[col]; l.ok && l.s == s {
		return l.i, true
	}
	i, ok := x.idx[s]
	if ok {
		last[col] = stringNumber{s, i, true}
	}
	return i, ok
}

// add numbers s, a value of column col, when new.
func (x *stringIndex) add(col int, s string) {
	if _, ok := x.lookup(x.last, col, s); ok {
		return
	}
	i := int32(len(x.list))
	x.list = append(x.list, s)
	x.idx[s] = i
	x.last[col] = stringNumber{s, i, true}
}

// stringCollector is a valueWriter that numbers the strings written.
type stringCollector struct{ strings *stringIndex }

func (stringCollector) null(int)                 {}
func (c stringCollector) text(col int, s string) { c.strings.add(col, s) }
func (stringCollector) double(int, float64)      {}
func (stringCollector) integer(int, int32)       {}
func (stringCollector) boolean(int, bool)        {}
func (stringCollector) timestamp(int, time.Time) {}
func (c stringCollector) value(col int, v driver.Value) {
	switch x := v.(type) {
	case string:
		c.strings.add(col, x)
	case jsonText:
		c.strings.add(col, string(x))
	}
}

// appendRows appends n rows to catalog.main.table (columns cols) with
// DuckDB's appender on conn, inside its open transaction; fill sets row i.
func appendRows(conn *sql.Conn, catalog, table string, cols []string, n int, fill func(i int, row []driver.Value)) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("appending to %s: not a database/sql driver connection", table)
		}
		a, err := duckdb.NewAppenderWithColumns(c, catalog, "main", table, cols)
		if err != nil {
			return fmt.Errorf("appending to %s: %w", table, err)
		}
		row := make([]driver.Value, len(cols))
		for i := range n {
			fill(i, row)
			if err := a.AppendRow(row...); err != nil {
				_ = a.Close() // Note: the append error matters, not this one.
				return fmt.Errorf("appending to %s: %w", table, err)
			}
		}
		if err := a.Close(); err != nil {
			return fmt.Errorf("appending to %s: %w", table, err)
		}
		return nil
	})
}

// jsonText is the text of a JSON column. The appender marshals what it is
// given for a JSON column; jsonText marshals to itself.
type jsonText string

// MarshalJSON returns the text.
func (j jsonText) MarshalJSON() ([]byte, error) { return []byte(j), nil }

// storedTime returns t as DuckDB's TIMESTAMP keeps it: UTC, microseconds.
func storedTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// sqlText returns s as an SQL string literal.
func sqlText(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// nullString returns nil (NULL) for "", else s.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Accept marks the regressions whose first bad commit is commit as accepted
// (StatusAccepted) with notes (e.g. "accepted in #12: the new encoder is
// slower by design"), and returns how many it marked; later SaveAnalysis
// keeps them so.
func (db *DB) Accept(ctx context.Context, commit, notes string, now time.Time) (int, error) {
	res, err := db.sql.ExecContext(ctx, `UPDATE performance_regressions SET status = ?, notes = ?, updated_at = ?
		WHERE git_commit_hash = ? AND regression_type = 'regression' AND status IS DISTINCT FROM ?`,
		StatusAccepted, notes, storedTime(now), commit, StatusAccepted)
	if err != nil {
		return 0, fmt.Errorf("accepting the regressions at %s in %s: %w", commit, db.path, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}
