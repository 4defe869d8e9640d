package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	gitcmd "github.com/benchgate/benchgate/internal/git"
)

// gabScriptPrefix starts github-action-benchmark's data.js:
// "window.BENCHMARK_DATA = {...}".
const gabScriptPrefix = "window.BENCHMARK_DATA"

// ErrHistory is wrapped by [Read]'s error for a github-action-benchmark
// history, which holds many runs: read it with [ReadGABHistory].
var ErrHistory = errors.New("a github-action-benchmark history holds one run per entry: store it with `benchgate import`")

// GABHistory is a github-action-benchmark history: its data.js on the
// gh-pages branch, or the external JSON file of its external-data-json-path
// input, which holds the same object.
type GABHistory struct {
	RepoURL    string
	LastUpdate time.Time // zero when absent
	// Entries are the runs kept, suite by suite in file order, each suite's
	// entries in file order (oldest first, as the action appends).
	Entries []GABEntry
	// Warnings name each entry or bench skipped, with file, line and path
	// ("entries.Benchmark[3].benches[1].value"); each is a *DataError.
	Warnings []error
	// Records is how many entries the file held; Parsed how many were kept.
	Records, Parsed int
}

// GABEntry is one run of a history: one workflow run of the action at one
// commit.
type GABEntry struct {
	Suite  string // the key under "entries": the action's "name" input
	Index  int    // position in the suite's list, from 0
	Line   int    // line of the entry in the file
	Commit GABCommit
	// Date is when the action stored the entry ("date", milliseconds since
	// the epoch), else the commit's timestamp.
	Date time.Time
	Tool string // "go", "cargo", "pytest", "customSmallerIsBetter", …
	// Results are the entry's benches as [ReadGAB] converts them, with the
	// tool's direction for units it does not know.
	Results []Result
}

// GABCommit is the commit an entry measured, as the action recorded it.
type GABCommit struct {
	ID        string
	Message   string
	URL       string
	Author    string    // author's username, else name
	Timestamp time.Time // zero when absent or not RFC 3339
}

// gabEntryJSON is one entry as stored.
type gabEntryJSON struct {
	Commit *struct {
		ID        *string `json:"id"`
		Message   string  `json:"message"`
		Timestamp string  `json:"timestamp"`
		URL       string  `json:"url"`
		Author    *struct {
			Name     string `json:"name"`
			Username string `json:"username"`
		} `json:"author"`
	} `json:"commit"`
	Date    *float64           `json:"date"`
	Tool    string             `json:"tool"`
	Benches *[]json.RawMessage `json:"benches"`
}

// ReadGABHistory reads a github-action-benchmark history: data.js
// ("window.BENCHMARK_DATA = " then a JSON object) or the same object as
// JSON, {"lastUpdate", "repoUrl", "entries": {"<suite>": [entry, …]}}.
//
// Each entry {"commit", "date", "tool", "benches"} becomes a [GABEntry]:
// its commit id, message, URL, author and timestamp, its date, and its
// benches converted as [ReadGAB] does, with one sample per metric (the
// format keeps no raw samples). For the tool "go" a bench's " - ns/op"
// name suffix is dropped, "N procs" in its extra becomes the "procs"
// parameter and a combined unit ("ns/op\t 880 B/op\t 5 allocs/op") gives
// each of its values, so the names and metrics are those of `ingest
// --format go` (sec/op, B/op, allocs/op).
//
// A missing field is not fatal: an entry without commit, commit.id, benches,
// or both date and commit.timestamp, or whose benches are all bad, is
// skipped; so is a bad bench within an entry. Each skip is a warning naming
// the entry's path, line and commit. Only input that is not JSON (a
// [*ParseError]) or whose top level is not an object (a [*DataError]) is an
// error. A history with no usable entry has no entries and no error.
func ReadGABHistory(r io.Reader, fileName string) (GABHistory, error) {
	var h GABHistory
	data, err := readJSONInput(r, fileName, "a github-action-benchmark data.js or its JSON")
	if err != nil {
		return h, err
	}
	if t := bytes.TrimLeft(data, " \t\r\n"); bytes.HasPrefix(t, []byte(gabScriptPrefix)) {
		start := len(data) - len(t)
		eq := bytes.IndexByte(t, '=')
		if eq < 0 {
			return h, &ParseError{File: fileName, Line: 1, Err: errors.New(`want "window.BENCHMARK_DATA = {...}"`)}
		}
		// Blank the prefix rather than cut it, so that offsets and lines
		// stay those of the file.
		for i := start; i <= start+eq; i++ {
			data[i] = ' '
		}
	}
	d := newDocDecoder(data, fileName)
	tok, err := d.dec.Token()
	if err != nil {
		return h, d.syntaxErr(err)
	}
	if tok != json.Delim('{') {
		return h, d.dataErr("", "want a github-action-benchmark history (a JSON object), got %s", describe(tok))
	}
	for d.dec.More() {
		tok, err := d.token()
		if err != nil {
			return h, err
		}
		switch key, _ := tok.(string); key {
		case "lastUpdate":
			var ms *float64
			if err := d.decode(key, &ms); err != nil {
				return h, err
			}
			if ms != nil && *ms > 0 && *ms < 1e15 {
				h.LastUpdate = unixMilli(*ms)
			}
		case "repoUrl":
			var s *string
			if err := d.decode(key, &s); err != nil {
				return h, err
			}
			if s != nil {
				h.RepoURL = *s
			}
		case "entries":
			if err := d.gabSuites(&h); err != nil {
				return h, err
			}
		default:
			var skip json.RawMessage
			if err := d.decode(key, &skip); err != nil {
				return h, err
			}
		}
	}
	if _, err := d.token(); err != nil { // '}'; what follows (";") is ignored
		return h, err
	}
	return h, nil
}

// decode decodes the next value into v.
func (d *docDecoder) decode(key string, v any) error {
	err := d.dec.Decode(v)
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te):
		return d.dataErr(key, "%s", typeMismatch(te))
	}
	return d.syntaxErr(err)
}

// gabSuites reads "entries": an object of suites, each a list of entries.
func (d *docDecoder) gabSuites(h *GABHistory) error {
	tok, err := d.token()
	if err != nil {
		return err
	}
	if tok != json.Delim('{') {
		return d.dataErr("entries", "want an object of suites, got %s", describe(tok))
	}
	for d.dec.More() {
		tok, err := d.token()
		if err != nil {
			return err
		}
		suite, _ := tok.(string)
		sp := join("entries", suite)
		base := d.dec.InputOffset()
		var raw json.RawMessage
		if err := d.decode(sp, &raw); err != nil {
			return err
		}
		base += int64(max(0, bytes.IndexAny(d.data[base:], "[{\"0123456789-tfn")))
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil {
			h.Warnings = append(h.Warnings, &DataError{File: d.file, Line: d.lineAt(base), Key: sp,
				Err: errors.New("want a list of entries; suite skipped")})
			continue
		}
		// Find each element's line: walk the list again, noting offsets.
		sub := json.NewDecoder(bytes.NewReader(raw))
		_, _ = sub.Token() // '['
		for i := range list {
			off := sub.InputOffset()
			var skip json.RawMessage
			_ = sub.Decode(&skip) // cannot fail: raw was decoded above
			rest := raw[off:]
			off += int64(len(rest) - len(bytes.TrimLeft(rest, " \t\r\n,")))
			h.Records++
			e, ok := d.gabEntry(h, suite, i, d.lineAt(base+off), list[i])
			if ok {
				h.Entries = append(h.Entries, e)
				h.Parsed++
			}
		}
	}
	_, err = d.token() // '}'
	return err
}

// gabEntry converts one entry, warning and reporting false when it is
// skipped.
func (d *docDecoder) gabEntry(h *GABHistory, suite string, i, line int, raw json.RawMessage) (GABEntry, bool) {
	ep := index(join("entries", suite), i)
	e := GABEntry{Suite: suite, Index: i, Line: line}
	skip := func(format string, args ...any) (GABEntry, bool) {
		who := ""
		if e.Commit.ID != "" {
			who = "commit " + gitcmd.Short(e.Commit.ID) + ": "
		}
		h.Warnings = append(h.Warnings, &DataError{File: d.file, Line: line, Key: ep,
			Err: fmt.Errorf("%s%s; entry skipped", who, fmt.Sprintf(format, args...))})
		return GABEntry{}, false
	}
	var j gabEntryJSON
	if err := json.Unmarshal(raw, &j); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return skip("%s: %s", te.Field, typeMismatch(te))
		}
		return skip("%v", strings.TrimPrefix(err.Error(), "json: "))
	}
	if j.Commit == nil {
		return skip("missing commit")
	}
	if j.Commit.ID == nil || *j.Commit.ID == "" {
		return skip("missing commit.id")
	}
	c := j.Commit
	e.Commit = GABCommit{ID: *c.ID, Message: c.Message, URL: c.URL}
	if c.Author != nil {
		e.Commit.Author = c.Author.Username
		if e.Commit.Author == "" {
			e.Commit.Author = c.Author.Name
		}
	}
	if t, err := time.Parse(time.RFC3339, c.Timestamp); err == nil {
		e.Commit.Timestamp = t
	}
	switch {
	case j.Date != nil && *j.Date > 0 && *j.Date < 1e15:
		e.Date = unixMilli(*j.Date)
	case j.Date != nil:
		return skip("date %g is not milliseconds since 1970", *j.Date)
	case !e.Commit.Timestamp.IsZero():
		e.Date = e.Commit.Timestamp.UTC()
	default:
		return skip("missing date and commit.timestamp")
	}
	if j.Tool == "" {
		return skip("missing tool")
	}
	e.Tool = j.Tool
	if j.Benches == nil || len(*j.Benches) == 0 {
		return skip("missing benches")
	}
	g := gabReader{file: d.file, tool: j.Tool}
	e.Results, _, _ = g.results(*j.Benches, ep+".benches", line)
	for _, w := range g.warnings {
		var de *DataError
		if errors.As(w, &de) {
			de.Err = fmt.Errorf("commit %s: %w", gitcmd.Short(e.Commit.ID), de.Err)
		}
		h.Warnings = append(h.Warnings, w)
	}
	if len(e.Results) == 0 {
		return skip("no usable bench")
	}
	return e, true
}

// unixMilli converts milliseconds since the epoch to UTC time.
func unixMilli(ms float64) time.Time {
	return time.UnixMilli(int64(math.Round(ms))).UTC()
}
