package site

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"io/fs"
	"maps"
	"slices"
	"strings"

	"github.com/benchgate/benchgate/internal/store"
)

// dataElementID is the id of the element holding a single-file report's
// data files: the application reads them from there instead of fetching.
const dataElementID = "benchgate-data"

// WriteReport writes the site of st as one self-contained HTML file (the
// HTML report, benchgate report --format html): the same application and
// data files as Build's site, with the data inlined as JSON in a
// non-executed script element and the application and its styles inlined
// under a Content Security Policy that allows exactly those two (by hash)
// and nothing else — no fetch, no other host. The SQL tab and the
// downloads need the published site and are absent.
func WriteReport(ctx context.Context, st *store.DB, w io.Writer, o Options) (Stats, error) {
	o = o.withDefaults()
	o.Downloads, o.DBFile = false, ""
	mem := &writer{mem: map[string]json.RawMessage{}}
	b, err := load(ctx, st, o, mem)
	if err != nil {
		return Stats{}, err
	}
	if err := b.write(ctx); err != nil {
		return Stats{}, err
	}
	bundle, err := Bundle()
	if err != nil {
		return Stats{}, err
	}
	js, err := fs.ReadFile(bundle, "assets/app.js")
	if err != nil {
		return Stats{}, fmt.Errorf("the site's application: %w", err)
	}
	css, err := fs.ReadFile(bundle, "assets/app.css")
	if err != nil {
		return Stats{}, fmt.Errorf("the site's application: %w", err)
	}
	// A script element ends at the first "</script" whatever the JavaScript
	// means; "<\/script" is the same string or pattern to JavaScript.
	script := strings.ReplaceAll(string(js), "</script", `<\/script`)
	style := strings.ReplaceAll(string(css), "</style", `<\/style`)
	csp := "default-src 'none'; script-src " + hashSource(script) + "; style-src " + hashSource(style) +
		"; img-src data:; base-uri 'none'; form-action 'none'"
	bw := bufio.NewWriter(w)
	out := &countingWriter{w: bw}
	fmt.Fprintf(out, `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="%s">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light dark">
<link rel="icon" href="data:,">
<title>%s</title>
<style>%s</style>
<script type="application/json" id="%s">`, html.EscapeString(csp), html.EscapeString(o.Title), style, dataElementID)
	writeData(out, mem.mem)
	fmt.Fprintf(out, `</script>
<script type="module">%s</script>
</head>
<body>
<noscript>This report needs JavaScript: its data is in the benchgate-data element of this file.</noscript>
</body>
</html>
`, script)
	if out.err == nil {
		out.err = bw.Flush()
	}
	return Stats{Series: len(b.order), Files: 1, Bytes: out.n}, out.err
}

// writeData writes the data files as one JSON object, path to content, in
// path order, with <, > and & escaped (json.HTMLEscape) so that it cannot
// end its script element: what json.Marshal of the map writes, without a
// second and third copy of the data in memory.
func writeData(w io.Writer, files map[string]json.RawMessage) {
	var buf bytes.Buffer
	io.WriteString(w, "{")
	for i, p := range slices.Sorted(maps.Keys(files)) {
		if i > 0 {
			io.WriteString(w, ",")
		}
		key, _ := json.Marshal(p) // a string: no error
		buf.Reset()
		json.HTMLEscape(&buf, key)
		buf.WriteByte(':')
		json.HTMLEscape(&buf, files[p])
		w.Write(buf.Bytes())
	}
	io.WriteString(w, "}")
}

// countingWriter counts the bytes written to w and keeps the first error,
// after which it writes nothing.
type countingWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countingWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
	return n, err
}

// hashSource is the CSP source allowing exactly the inline element text s.
func hashSource(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}
