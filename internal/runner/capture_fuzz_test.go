package runner

import (
	"bytes"
	"fmt"
	"testing"
)

// FuzzCapture checks capture against the whole stream: what fits is kept
// whole; otherwise the head, a marker with the right count and the tail.
func FuzzCapture(f *testing.F) {
	f.Add([]byte("hello, world"), uint16(5), uint8(3))
	f.Add([]byte("abc"), uint16(10), uint8(1))
	f.Add(bytes.Repeat([]byte("x"), 1000), uint16(7), uint8(13))
	f.Fuzz(func(t *testing.T, data []byte, max uint16, chunk uint8) {
		if max == 0 || chunk == 0 {
			return
		}
		c := newCapture(int(max))
		for p := data; len(p) > 0; {
			k := min(int(chunk), len(p))
			c.Write(p[:k])
			p = p[k:]
		}
		got := c.bytes()
		if len(data) <= int(max) {
			if !bytes.Equal(got, data) || c.truncated() {
				t.Fatalf("fits: got %q (truncated %v); want %q", got, c.truncated(), data)
			}
			return
		}
		head, tail := int(max)-int(max)/2, int(max)/2
		want := append([]byte(nil), data[:head]...)
		want = fmt.Appendf(want, "\n[... benchgate: %d bytes omitted ...]\n", len(data)-head-tail)
		want = append(want, data[len(data)-tail:]...)
		if !bytes.Equal(got, want) || !c.truncated() {
			t.Fatalf("got %q (truncated %v); want %q", got, c.truncated(), want)
		}
	})
}
