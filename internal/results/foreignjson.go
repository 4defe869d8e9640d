package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
)

// Note: the readers of other tools' JSON decode with encoding/json into
// structs whose required fields are pointers (absent is not zero) and ignore
// keys they do not use: those tools add keys between versions (pytest-
// benchmark's machine_info, Google Benchmark's context), and refusing them
// would refuse real files. The native reader, whose schema benchgate owns,
// is the strict one.

// readJSONInput reads all of r for a JSON format named what: a UTF-8 byte
// order mark is skipped, and an empty input is a *ParseError.
func readJSONInput(r io.Reader, fileName, what string) ([]byte, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", fileName, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &ParseError{File: fileName, Err: fmt.Errorf("empty input: want %s", what)}
	}
	return data, nil
}

// unmarshalJSON decodes data into v. A syntax error or truncation is a
// *ParseError at its line, a value of the wrong type a *DataError naming
// its key.
func unmarshalJSON(data []byte, fileName string, v any) error {
	err := json.Unmarshal(data, v)
	var (
		se *json.SyntaxError
		te *json.UnmarshalTypeError
	)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &se):
		if se.Offset >= int64(len(bytes.TrimRight(data, " \t\r\n"))) {
			return &ParseError{File: fileName, Line: lineAt(data, se.Offset), Err: errors.New("truncated JSON: unexpected end of input")}
		}
		return &ParseError{File: fileName, Line: lineAt(data, se.Offset), Err: fmt.Errorf("invalid JSON: %w", err)}
	case errors.As(err, &te):
		return &DataError{File: fileName, Line: lineAt(data, te.Offset), Key: te.Field,
			Err: fmt.Errorf("want %s, got %s", te.Type, te.Value)}
	}
	return &DataError{File: fileName, Err: err}
}

// lineAt returns the 1-based line holding byte offset off of data.
func lineAt(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return 1 + bytes.Count(data[:off], []byte{'\n'})
}

// checkValue reports a value that is not a finite, non-negative number.
func checkValue(x float64) error {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return fmt.Errorf("value %g is not finite", x)
	case x < 0:
		return fmt.Errorf("value %g is negative", x)
	}
	return nil
}

// jsonText returns a JSON string's text, a number's spelling, or "" for
// anything else: free-form values such as parameters.
func jsonText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return fmt.Sprint(b)
	}
	return ""
}
