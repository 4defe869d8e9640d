package results

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// ID returns the short, stable identity of the series: 12 hex digits of a
// hash of its key. Issue markers record it and the reports site names its
// pages by it, so it never changes for a given key.
func (k SeriesKey) ID() string {
	sum := sha256.Sum256([]byte(strings.Join([]string{k.Benchmark, k.Params, k.Metric, k.Hardware, k.Device, k.Runner}, "\x00")))
	return hex.EncodeToString(sum[:6])
}
