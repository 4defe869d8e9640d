package runner

import "fmt"

// capture keeps the head and the tail of a stream within a byte budget: the
// first half of the budget from the start, the second half from the end, so
// that both a program's first output and its final error (a traceback) are
// kept. It reads everything, so that the writer never blocks.
type capture struct {
	headMax, tailMax int
	head             []byte
	tail             []byte // last bytes seen after head filled; trimmed lazily
	total            int64
}

// newCapture returns a capture keeping at most max bytes of content.
func newCapture(max int) *capture {
	return &capture{headMax: max - max/2, tailMax: max / 2}
}

// Write records p; it never fails.
func (c *capture) Write(p []byte) (int, error) {
	c.total += int64(len(p))
	n := len(p)
	if room := c.headMax - len(c.head); room > 0 {
		k := min(room, len(p))
		c.head = append(c.head, p[:k]...)
		p = p[k:]
	}
	if c.tailMax == 0 || len(p) == 0 {
		return n, nil
	}
	c.tail = append(c.tail, p...)
	if len(c.tail) > 2*c.tailMax {
		c.tail = append(c.tail[:0], c.tail[len(c.tail)-c.tailMax:]...)
	}
	return n, nil
}

// truncated reports whether bytes were dropped.
func (c *capture) truncated() bool {
	return c.total > int64(c.headMax+c.tailMax)
}

// bytes returns the kept output: the whole stream when it fit, else head, a
// marker line saying how many bytes were omitted, and tail.
func (c *capture) bytes() []byte {
	tail := c.tail
	if len(tail) > c.tailMax {
		tail = tail[len(tail)-c.tailMax:]
	}
	out := append([]byte(nil), c.head...)
	if c.truncated() {
		omitted := c.total - int64(len(c.head)+len(tail))
		out = fmt.Appendf(out, "\n[... benchgate: %d bytes omitted ...]\n", omitted)
	}
	return append(out, tail...)
}
