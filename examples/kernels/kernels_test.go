package kernels

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestWordCountSlowMatchesFast(t *testing.T) {
	text := corpus(2000)
	fast := WordCount(text)
	slow := wordCountSlow(text)
	if len(fast) != len(slow) {
		t.Fatalf("got %d distinct words from the slow path; want %d", len(slow), len(fast))
	}
	for w, n := range fast {
		if slow[w] != n {
			t.Errorf("word %q: got %d from the slow path; want %d", w, slow[w], n)
		}
	}
}

func corpus(words int) string {
	vocab := []string{"The", "quick", "brown", "fox", "jumps", "over", "LAZY", "dog", "benchmark", "gate"}
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for i := 0; i < words; i++ {
		b.WriteString(vocab[r.IntN(len(vocab))])
		b.WriteByte(' ')
	}
	return b.String()
}

func BenchmarkSort(b *testing.B) {
	for _, n := range []int{1000} {
		r := rand.New(rand.NewPCG(3, 4))
		xs := make([]int, n)
		for i := range xs {
			xs[i] = r.Int()
		}
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			for b.Loop() {
				SortInts(xs)
			}
		})
	}
}

func BenchmarkSHA256(b *testing.B) {
	buf := make([]byte, 4096)
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		Hash(buf)
	}
}

func BenchmarkEncodeJSON(b *testing.B) {
	rs := make([]Record, 50)
	for i := range rs {
		rs[i] = Record{ID: i, Name: fmt.Sprintf("record-%d", i), Scores: []float64{1.5, 2.5, float64(i)}, Tags: map[string]string{"k": "v"}}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := EncodeRecords(rs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWordCount(b *testing.B) {
	text := corpus(2000)
	b.ReportAllocs()
	for b.Loop() {
		WordCount(text)
	}
}
