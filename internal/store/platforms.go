package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Platform is a detected hardware platform, as RecordHardware stores it in
// hardware_platforms.
type Platform struct {
	Type          string
	DeviceName    string
	DriverVersion string
	ComputeUnits  int
	MemoryMB      float64
	Precisions    []string // stored comma-separated in supported_precisions
}

// RecordHardware stores detected platforms in hardware_platforms, keyed by
// (type, device name, driver version) as Ingest keys them: a new platform
// is inserted, a known one gets its details and detected_at refreshed. It
// returns how many rows it inserted.
func (db *DB) RecordHardware(ctx context.Context, ps []Platform, detectedAt time.Time) (int, error) {
	if db.readOnly {
		return 0, fmt.Errorf("recording hardware in %s: database is open read-only", db.path)
	}
	detectedAt = detectedAt.UTC().Truncate(time.Microsecond)
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("recording hardware in %s: %w", db.path, err)
	}
	defer tx.Rollback() // Note: a no-op after Commit.
	inserted := 0
	for _, p := range ps {
		precisions := nonZero(strings.Join(p.Precisions, ","))
		res, err := tx.ExecContext(ctx, `UPDATE hardware_platforms
			SET compute_units = coalesce(?, compute_units), memory_capacity = coalesce(?, memory_capacity),
			    supported_precisions = coalesce(?, supported_precisions), detected_at = ?
			WHERE hardware_type = ? AND device_name = ? AND driver_version = ?`,
			nonZero(p.ComputeUnits), nonZero(p.MemoryMB), precisions, detectedAt, p.Type, p.DeviceName, p.DriverVersion)
		if err != nil {
			return 0, fmt.Errorf("recording hardware %s %q in %s: %w", p.Type, p.DeviceName, db.path, err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO hardware_platforms
			(hardware_type, device_name, driver_version, compute_units, memory_capacity, supported_precisions, detected_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
			p.Type, p.DeviceName, p.DriverVersion, nonZero(p.ComputeUnits), nonZero(p.MemoryMB), precisions, detectedAt); err != nil {
			return 0, fmt.Errorf("recording hardware %s %q in %s: %w", p.Type, p.DeviceName, db.path, err)
		}
		inserted++
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("recording hardware in %s: committing: %w", db.path, err)
	}
	return inserted, nil
}
