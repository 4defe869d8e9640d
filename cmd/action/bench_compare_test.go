package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// writeGoBench writes a go test -bench file of s benchmarks × 10 samples,
// the runs interleaved as `go test -count 10` prints them; with slow, every
// tenth benchmark is 10 % slower: the shape of scripts/bench-compare.sh's
// files (which generates its own, so as to need no Go test to run).
func writeGoBench(tb testing.TB, path string, s int, slow bool) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(7, 0))
	var b bytes.Buffer
	b.WriteString("goos: linux\ngoarch: amd64\npkg: example.com/bench\ncpu: bench-compare\n")
	for range 10 {
		for i := range s {
			v := float64(1000+i) * (1 + 0.02*(rng.Float64()-0.5))
			if slow && i%10 == 0 {
				v *= 1.1
			}
			fmt.Fprintf(&b, "BenchmarkCase%05d/size=%d-8 \t 1000000\t %.2f ns/op\n", i, i%7, v)
		}
	}
	b.WriteString("PASS\n")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkCompareFiles times `benchgate compare OLD NEW --format json` of
// two go test -bench files of S series × 10 samples (issue 13, item 5;
// scripts/bench-compare.sh runs the binary against benchstat).
//
//	go test -run '^$' -bench CompareFiles -benchmem ./cmd/action
func BenchmarkCompareFiles(b *testing.B) {
	ctx := context.Background()
	noenv := func(string) string { return "" }
	for _, s := range []int{520, 5000} {
		b.Run(fmt.Sprintf("S=%d", s), func(b *testing.B) {
			dir := b.TempDir()
			old, new := filepath.Join(dir, "old.txt"), filepath.Join(dir, "new.txt")
			writeGoBench(b, old, s, false)
			writeGoBench(b, new, s, true)
			for b.Loop() {
				if code := run(ctx, []string{"compare", old, new, "--format", "json"}, noenv, io.Discard, io.Discard); code > 1 {
					b.Fatalf("compare: exit %d", code)
				}
			}
		})
	}
}
