// Package kernels holds small, real workloads for benchgate's example suite:
// sorting, hashing, JSON encoding and word counting. They need nothing but Go.
//
// Setting BENCHGATE_DEMO_SLOWDOWN=1 in the environment switches WordCount to a
// deliberately slower implementation (it lower-cases every word through a
// fresh []rune copy and builds each map key with fmt.Sprint). The README's
// demo runs the suite once without and once with it, so that the gate has a
// real regression to catch; every other kernel is unchanged between the two.
package kernels

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"unicode"
)

// slowdown is read once: the demo sets it per process.
var slowdown = os.Getenv("BENCHGATE_DEMO_SLOWDOWN") == "1"

// SortInts sorts a copy of xs and returns it.
func SortInts(xs []int) []int {
	c := slices.Clone(xs)
	slices.Sort(c)
	return c
}

// Hash returns the SHA-256 digest of b.
func Hash(b []byte) [32]byte {
	return sha256.Sum256(b)
}

// Record is what EncodeRecords serialises.
type Record struct {
	ID     int               `json:"id"`
	Name   string            `json:"name"`
	Scores []float64         `json:"scores"`
	Tags   map[string]string `json:"tags"`
}

// EncodeRecords marshals rs as JSON.
func EncodeRecords(rs []Record) ([]byte, error) {
	return json.Marshal(rs)
}

// WordCount counts the case-folded words of text.
func WordCount(text string) map[string]int {
	if slowdown {
		return wordCountSlow(text)
	}
	counts := make(map[string]int)
	for _, w := range strings.Fields(text) {
		counts[strings.ToLower(w)]++
	}
	return counts
}

// wordCountSlow is the deliberate regression of the demo: same result, more
// work and allocations per word.
func wordCountSlow(text string) map[string]int {
	counts := make(map[string]int)
	for _, w := range strings.FieldsFunc(text, unicode.IsSpace) {
		rs := []rune(w)
		for i, r := range rs {
			rs[i] = unicode.ToLower(r)
		}
		counts[fmt.Sprint(string(rs))]++
	}
	return counts
}
