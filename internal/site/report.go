package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"io/fs"
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
	data, err := json.Marshal(mem.mem) // Marshal escapes <, > and &: the JSON cannot end its element
	if err != nil {
		return Stats{}, fmt.Errorf("encoding the report's data: %w", err)
	}
	csp := "default-src 'none'; script-src " + hashSource(script) + "; style-src " + hashSource(style) +
		"; img-src data:; base-uri 'none'; form-action 'none'"
	var out bytes.Buffer
	fmt.Fprintf(&out, `<!doctype html>
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
<script type="application/json" id="%s">%s</script>
<script type="module">%s</script>
</head>
<body>
<noscript>This report needs JavaScript: its data is in the benchgate-data element of this file.</noscript>
</body>
</html>
`, html.EscapeString(csp), html.EscapeString(o.Title), style, dataElementID, data, script)
	n, err := w.Write(out.Bytes())
	return Stats{Series: len(b.order), Files: 1, Bytes: int64(n)}, err
}

// hashSource is the CSP source allowing exactly the inline element text s.
func hashSource(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}
