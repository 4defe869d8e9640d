package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strings"
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
		return &DataError{File: fileName, Line: lineAt(data, te.Offset), Key: te.Field, Err: errors.New(typeMismatch(te))}
	}
	return &DataError{File: fileName, Err: err}
}

// typeMismatch says in words what is wrong with a JSON value of the wrong
// type, naming the field by the last element of its path: "value is a JSON
// string, want a number", "num_cpus is a JSON number 1.5, want an
// integer", "value 1e400 is out of range". encoding/json's own message
// names Go types and struct fields ("cannot unmarshal string into Go
// struct field gabBench.value of type float64"), which mean nothing to
// the user. It is the one translation every JSON reader uses.
func typeMismatch(te *json.UnmarshalTypeError) string {
	field := te.Field
	if i := strings.LastIndexByte(field, '.'); i >= 0 {
		field = field[i+1:]
	}
	if field == "" {
		field = "value"
	}
	k := te.Type.Kind()
	if k == reflect.Float32 || k == reflect.Float64 {
		if n, ok := strings.CutPrefix(te.Value, "number "); ok {
			return fmt.Sprintf("%s %s is out of range", field, n)
		}
	}
	return fmt.Sprintf("%s is a JSON %s, want %s", field, te.Value, jsonKind(k))
}

// jsonKind names what a Go kind reads from JSON: "a number", "an
// integer", "a string", …
func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a non-negative integer"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "an object"
}

// decodeError describes an error of json.Unmarshal into one record in
// words: typeMismatch for a value of the wrong type, else the decoder's
// message without its "json: " prefix.
func decodeError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return errors.New(typeMismatch(te))
	}
	return errors.New(strings.TrimPrefix(err.Error(), "json: "))
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
