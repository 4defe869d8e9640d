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
	// analysis no longer finds (see VanishedNote); SaveAnalysis ignores the
	// value it is given.
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
	detectionStatuses   = []string{"provisional", "confirmed"}
)

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
	// insert and update, after the identity columns.
	values []string
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
		onInsert: []string{"created_at"},
	}
	regressionTable = analysisTable{
		name: "performance_regressions",
		values: []string{"unit", "previous_commit_hash", "relative_change", "change_low", "change_high",
			"value_before", "value_after", "p_value", "regression_type", "severity_level", "status", "environment_change",
			"regression_percent", "affected_metrics", "resolved_at", "resolution_commit_hash", "notes"},
		onInsert: []string{"detection_timestamp", "created_at"},
		onUpdate: []string{"updated_at"},
	}
)

// Positions of status and notes in regressionTable.values.
var (
	regressionStatus = slices.Index(regressionTable.values, "status")
	regressionNotes  = slices.Index(regressionTable.values, "notes")
)

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

// rowKey keys a row of the analysis tables: the series' number in a
// seriesIndex and the commit.
type rowKey struct {
	series int
	commit string
}

// image is one row as SaveAnalysis writes it: its key and the values of
// analysisTable.values, as the driver scans them (nil for NULL).
type image struct {
	key    rowKey
	values []any
}

// storedRow is a row read back for comparison.
type storedRow struct {
	id     int64
	values []any
}

// tableDiff is what a save writes to one table.
type tableDiff struct {
	inserts []image
	updates []storedRow // id and new values
	deletes []int64
}

func (db *DB) saveAnalysis(ctx context.Context, series []results.SeriesKey, ds []Detection, hs []HistoryRow, now time.Time) (st SaveStats, err error) {
	if db.readOnly {
		return st, errors.New("database is open read-only")
	}
	ix := newSeriesIndex()
	for _, k := range series {
		ix.of(k)
	}
	dImages, err := detectionImages(ds, ix)
	if err != nil {
		return st, err
	}
	hImages, err := historyImages(hs, ix)
	if err != nil {
		return st, err
	}
	if len(ix.keys) == 0 {
		return st, nil
	}

	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return st, err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return st, err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback() // Note: the error that caused the rollback matters, not this one.
		}
	}()
	if err := createSeriesTable(ctx, conn, tx, ix.keys); err != nil {
		return st, fmt.Errorf("listing the analysed series: %w", err)
	}
	for _, t := range []struct {
		table  analysisTable
		images []image
	}{{regressionTable, dImages}, {historyTable, hImages}} {
		stored, err := loadStored(ctx, tx, t.table)
		if err != nil {
			return st, fmt.Errorf("reading %s: %w", t.table.name, err)
		}
		diff := compare(t.table, stored, t.images, now, &st)
		if err := apply(ctx, conn, tx, t.table, ix, diff, now); err != nil {
			return st, fmt.Errorf("writing %s: %w", t.table.name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DROP TABLE temp.analysis_series`); err != nil {
		return st, err
	}
	if err := tx.Commit(); err != nil {
		return st, fmt.Errorf("committing: %w", err)
	}
	return st, nil
}

// detectionImages checks ds and returns their rows.
func detectionImages(ds []Detection, ix *seriesIndex) ([]image, error) {
	out := make([]image, 0, len(ds))
	seen := make(map[rowKey]bool, len(ds))
	for i := range ds {
		d := &ds[i]
		key := rowKey{ix.of(d.Key), d.Commit}
		k := d.Key.String() + " at " + d.Commit
		switch {
		case d.Commit == "":
			return nil, fmt.Errorf("detection of %s: empty commit", d.Key)
		case seen[key]:
			return nil, fmt.Errorf("detection of %s: given twice", k)
		case !slices.Contains(detectionDirections, d.Direction):
			return nil, fmt.Errorf("detection of %s: direction %q: want one of %s", k, d.Direction, strings.Join(detectionDirections, ", "))
		case !slices.Contains(detectionSeverities, d.Severity):
			return nil, fmt.Errorf("detection of %s: severity %q: want one of %s", k, d.Severity, strings.Join(detectionSeverities, ", "))
		case !slices.Contains(detectionStatuses, d.Status):
			return nil, fmt.Errorf("detection of %s: status %q: want one of %s", k, d.Status, strings.Join(detectionStatuses, ", "))
		}
		seen[key] = true
		metrics, err := json.Marshal([]string{d.Key.Metric})
		if err != nil {
			return nil, fmt.Errorf("detection of %s: %w", k, err)
		}
		var resolved any
		if d.ResolvedAt != nil {
			resolved = storedTime(*d.ResolvedAt)
		}
		out = append(out, image{key: key, values: []any{
			d.Unit, d.PreviousCommit, d.Change, d.Low, d.High, d.Before, d.After, d.P,
			d.Direction, d.Severity, d.Status, nullString(d.EnvironmentChange),
			100 * d.Change, jsonText(metrics), resolved, nullString(d.ResolutionCommit), nil,
		}})
	}
	return out, nil
}

// historyImages checks hs and returns their rows.
func historyImages(hs []HistoryRow, ix *seriesIndex) ([]image, error) {
	out := make([]image, 0, len(hs))
	seen := make(map[rowKey]bool, len(hs))
	for i := range hs {
		h := &hs[i]
		key := rowKey{ix.of(h.Key), h.Commit}
		switch {
		case h.Commit == "":
			return nil, fmt.Errorf("history of %s: point of %s: empty commit", h.Key, h.RunDate.Format(time.RFC3339))
		case seen[key]:
			return nil, fmt.Errorf("history of %s at %s: given twice", h.Key, h.Commit)
		case h.N < 0 || h.N > math.MaxInt32:
			return nil, fmt.Errorf("history of %s at %s: %d samples", h.Key, h.Commit, h.N)
		}
		seen[key] = true
		var percent any
		if h.Change != 0 {
			percent = 100 * h.Change
		}
		latency, throughput, memory := seedColumns(h.Key.Metric, h.Unit, h.Value)
		out = append(out, image{key: key, values: []any{
			h.Unit, storedTime(h.RunDate), int32(h.N), h.Value, h.Low, h.High, h.Regression, nullString(h.Severity),
			h.Change, percent, latency, throughput, memory,
		}})
	}
	return out, nil
}

// seedColumns returns the seed's average_latency_ms,
// throughput_items_per_second and memory_peak_mb of a history point of
// metric with value v in unit: nil (NULL) where the metric does not map.
func seedColumns(metric, unit string, v float64) (latencyMs, throughput, memoryMB any) {
	switch {
	case (metric == metricLatencyMean || metric == metricSecPerOp) && unit == "s":
		latencyMs = v * 1000
	case (metric == metricLatencyMean || metric == metricSecPerOp) && unit == "ms":
		latencyMs = v
	case metric == metricThroughput:
		throughput = v
	case metric == metricMemoryPeak && unit == "B":
		memoryMB = v / bytesPerMB
	}
	return latencyMs, throughput, memoryMB
}

// createSeriesTable fills the temporary table analysis_series with keys.
func createSeriesTable(ctx context.Context, conn *sql.Conn, tx *sql.Tx, keys []results.SeriesKey) error {
	if _, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE analysis_series (idx INTEGER,
		benchmark VARCHAR, params VARCHAR, metric VARCHAR, hardware_type VARCHAR, device_name VARCHAR, runner VARCHAR)`); err != nil {
		return err
	}
	return appendRows(conn, "temp", "analysis_series", append([]string{"idx"}, seriesColumns...), len(keys), func(i int, row []driver.Value) {
		k := keys[i]
		row[0], row[1], row[2], row[3], row[4], row[5], row[6] = int32(i), k.Benchmark, k.Params, k.Metric, k.Hardware, k.Device, k.Runner
	})
}

// loadStored reads the rows of t that belong to the analysed series (those
// of the temporary table analysis_series), keyed by the series' idx there.
func loadStored(ctx context.Context, tx *sql.Tx, t analysisTable) (map[rowKey][]storedRow, error) {
	cols := make([]string, len(t.values))
	for i, c := range t.values {
		cols[i] = "t." + c
		if c == "affected_metrics" {
			cols[i] += "::VARCHAR"
		}
	}
	on := make([]string, len(seriesColumns))
	for i, c := range seriesColumns {
		on[i] = "t." + c + " = s." + c
	}
	rows, err := tx.QueryContext(ctx, `SELECT t.id, s.idx, t.git_commit_hash, `+
		strings.Join(cols, ", ")+` FROM `+t.name+` t JOIN temp.analysis_series s ON `+strings.Join(on, " AND ")+` ORDER BY t.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[rowKey][]storedRow{}
	dest := make([]any, 3+len(t.values))
	var (
		id, series int64
		commit     sql.NullString
	)
	dest[0], dest[1], dest[2] = &id, &series, &commit
	for rows.Next() {
		values := make([]any, len(t.values))
		for i := range values {
			dest[3+i] = &values[i]
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		for i, v := range values {
			values[i] = normalize(v)
			if s, ok := values[i].(string); ok && t.values[i] == "affected_metrics" {
				values[i] = jsonText(s)
			}
		}
		key := rowKey{int(series), commit.String}
		out[key] = append(out[key], storedRow{id: id, values: values})
	}
	return out, rows.Err()
}

// compare returns what turns the stored rows of the analysed series into
// images, and counts it in st.
func compare(t analysisTable, stored map[rowKey][]storedRow, images []image, now time.Time, st *SaveStats) tableDiff {
	var diff tableDiff
	for _, im := range images {
		rs, ok := stored[im.key]
		if !ok {
			diff.inserts = append(diff.inserts, im)
			st.Inserted++
			continue
		}
		delete(stored, im.key)
		if sameValues(rs[0].values, im.values) {
			st.Unchanged++
		} else {
			diff.updates = append(diff.updates, storedRow{id: rs[0].id, values: im.values})
			st.Updated++
		}
		for _, dup := range rs[1:] { // Note: never written by SaveAnalysis; a copy made by hand goes.
			diff.deletes = append(diff.deletes, dup.id)
			st.Deleted++
		}
	}
	for _, rs := range stored {
		for i, r := range rs {
			if i == 0 && t.name == regressionTable.name && r.values[regressionStatus] == statusConfirmed {
				notes, _ := r.values[regressionNotes].(string)
				if strings.HasPrefix(notes, VanishedNote) {
					st.Unchanged++
					continue
				}
				values := append([]any(nil), r.values...)
				values[regressionNotes] = VanishedNote + " (since " + now.Format(time.DateOnly) + ")"
				diff.updates = append(diff.updates, storedRow{id: r.id, values: values})
				st.Updated++
				continue
			}
			diff.deletes = append(diff.deletes, r.id)
			st.Deleted++
		}
	}
	return diff
}

// apply writes diff to t: inserts with DuckDB's appender, updates and
// deletes through temporary tables, so that each is one statement.
func apply(ctx context.Context, conn *sql.Conn, tx *sql.Tx, t analysisTable, ix *seriesIndex, diff tableDiff, now time.Time) error {
	if len(diff.deletes) > 0 {
		if _, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE analysis_deletes (id BIGINT)`); err != nil {
			return err
		}
		err := appendRows(conn, "temp", "analysis_deletes", []string{"id"}, len(diff.deletes), func(i int, row []driver.Value) {
			row[0] = diff.deletes[i]
		})
		if err != nil {
			return fmt.Errorf("deleting %d rows: %w", len(diff.deletes), err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t.name+` WHERE id IN (SELECT id FROM temp.analysis_deletes)`); err != nil {
			return fmt.Errorf("deleting %d rows: %w", len(diff.deletes), err)
		}
		if _, err := tx.ExecContext(ctx, `DROP TABLE temp.analysis_deletes`); err != nil {
			return err
		}
	}
	if len(diff.updates) > 0 {
		if err := update(ctx, conn, tx, t, diff.updates, now); err != nil {
			return fmt.Errorf("updating %d rows: %w", len(diff.updates), err)
		}
	}
	if len(diff.inserts) > 0 {
		cols := append(append(append(append([]string(nil), seriesColumns...), "git_commit_hash"), t.values...), t.onInsert...)
		cols = append(cols, t.onUpdate...)
		nv := len(t.values)
		err := appendRows(conn, "", t.name, cols, len(diff.inserts), func(i int, row []driver.Value) {
			im := diff.inserts[i]
			k := ix.keys[im.key.series]
			row[0], row[1], row[2], row[3], row[4], row[5], row[6] = k.Benchmark, k.Params, k.Metric, k.Hardware, k.Device, k.Runner, im.key.commit
			for j, v := range im.values {
				row[7+j] = v
			}
			for j := 7 + nv; j < len(row); j++ {
				row[j] = now
			}
		})
		if err != nil {
			return fmt.Errorf("inserting %d rows: %w", len(diff.inserts), err)
		}
	}
	return nil
}

// update writes the new values of rows, and now to t.onUpdate, in one
// UPDATE from a temporary table.
func update(ctx context.Context, conn *sql.Conn, tx *sql.Tx, t analysisTable, rows []storedRow, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE analysis_updates AS
		SELECT id, `+strings.Join(t.values, ", ")+` FROM `+t.name+` LIMIT 0`); err != nil {
		return err
	}
	err := appendRows(conn, "temp", "analysis_updates", append([]string{"id"}, t.values...), len(rows), func(i int, row []driver.Value) {
		row[0] = rows[i].id
		for j, v := range rows[i].values {
			row[1+j] = v
		}
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

// normalize returns a scanned value in the types images use.
func normalize(v any) any {
	switch x := v.(type) {
	case int64:
		return int32(x)
	case int16:
		return int32(x)
	case int8:
		return int32(x)
	case time.Time:
		return x.UTC()
	case []byte:
		return string(x)
	}
	return v
}

// sameValues reports whether two rows of values are equal; NaN equals NaN.
func sameValues(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		switch x := a[i].(type) {
		case float64:
			y, ok := b[i].(float64)
			if !ok || (x != y && !(math.IsNaN(x) && math.IsNaN(y))) {
				return false
			}
		case time.Time:
			y, ok := b[i].(time.Time)
			if !ok || !x.Equal(y) {
				return false
			}
		default:
			if a[i] != b[i] {
				return false
			}
		}
	}
	return true
}

// jsonText is the text of a JSON column. The appender marshals what it is
// given for a JSON column; jsonText marshals to itself.
type jsonText string

// MarshalJSON returns the text.
func (j jsonText) MarshalJSON() ([]byte, error) { return []byte(j), nil }

// storedTime returns t as DuckDB's TIMESTAMP keeps it: UTC, microseconds.
func storedTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// nullString returns nil (NULL) for "", else s.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
