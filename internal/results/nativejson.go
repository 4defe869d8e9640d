package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
)

// docDecoder walks a stream of JSON values token by token, so that every
// error names the key path and the line of its culprit and every unknown key
// is caught.
//
// Note: encoding/json's DisallowUnknownFields reports neither the path nor
// the line of an unknown field, and decoding into structs cannot tell
// "absent" from "zero"; the token walk does both and keeps the whole schema
// in one place (native.go).
type docDecoder struct {
	dec  *json.Decoder
	data []byte // the whole input, to turn byte offsets into lines
	file string
}

func newDocDecoder(data []byte, file string) *docDecoder {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // numbers are parsed here, so that overflow is an error
	return &docDecoder{dec: dec, data: data, file: file}
}

// lineAt returns the 1-based line holding byte offset off.
func (d *docDecoder) lineAt(off int64) int {
	off = min(max(off, 0), int64(len(d.data)))
	return 1 + bytes.Count(d.data[:off], []byte{'\n'})
}

// line returns the line of the end of the last token read.
func (d *docDecoder) line() int { return d.lineAt(d.dec.InputOffset()) }

// dataErr returns a *DataError at the current line.
func (d *docDecoder) dataErr(key, format string, args ...any) error {
	return &DataError{File: d.file, Line: d.line(), Key: key, Err: fmt.Errorf(format, args...)}
}

// syntaxErr turns an error of the JSON decoder into a *ParseError.
func (d *docDecoder) syntaxErr(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		// Note: the Offset of a SyntaxError from inside a literal counts
		// from the literal's start, not the input's; the decoder stays
		// before the offending token, so locate it from there.
		off := d.dec.InputOffset()
		rest := d.data[min(off, int64(len(d.data))):]
		off += int64(len(rest) - len(bytes.TrimLeft(rest, " \t\r\n")))
		return &ParseError{File: d.file, Line: d.lineAt(off), Err: fmt.Errorf("invalid JSON: %w", err)}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &ParseError{File: d.file, Line: d.lineAt(int64(len(d.data))), Err: errors.New("truncated JSON: unexpected end of input")}
	}
	return &ParseError{File: d.file, Line: d.line(), Err: err}
}

// token reads the next token inside a value, where the end of the input is a
// truncation.
func (d *docDecoder) token() (json.Token, error) {
	tok, err := d.dec.Token()
	if err != nil {
		return nil, d.syntaxErr(err)
	}
	return tok, nil
}

// describe names the kind of a token for "want X, got Y" errors.
func describe(tok json.Token) string {
	switch v := tok.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "number " + string(v)
	case string:
		return fmt.Sprintf("string %q", v)
	case json.Delim:
		if v == '{' {
			return "an object"
		}
		return "an array"
	}
	return fmt.Sprintf("%v", tok)
}

// object reads an object, calling f with each key; f must consume the value.
// It reports false for null. Duplicate keys are errors.
func (d *docDecoder) object(path string, f func(key string) error) (bool, error) {
	tok, err := d.token()
	if err != nil {
		return false, err
	}
	switch tok {
	case nil:
		return false, nil
	case json.Delim('{'):
		return true, d.members(path, f)
	}
	return false, d.dataErr(path, "want an object, got %s", describe(tok))
}

// members reads the members of an object whose '{' was read, through its '}'.
func (d *docDecoder) members(path string, f func(key string) error) error {
	seen := map[string]bool{}
	for d.dec.More() {
		tok, err := d.token()
		if err != nil {
			return err
		}
		key, _ := tok.(string) // the decoder only yields string keys here
		if seen[key] {
			return d.dataErr(path, "duplicate key %q", key)
		}
		seen[key] = true
		if err := f(key); err != nil {
			return err
		}
	}
	_, err := d.token() // '}'
	return err
}

// array reads an array, calling f with each index; f must consume the
// element. It reports false for null.
func (d *docDecoder) array(path string, f func(i int) error) (bool, error) {
	tok, err := d.token()
	if err != nil {
		return false, err
	}
	switch tok {
	case nil:
		return false, nil
	case json.Delim('['):
	default:
		return false, d.dataErr(path, "want an array, got %s", describe(tok))
	}
	for i := 0; d.dec.More(); i++ {
		if err := f(i); err != nil {
			return true, err
		}
	}
	_, err = d.token() // ']'
	return true, err
}

// number reads a finite number; it reports false for null.
func (d *docDecoder) number(path string) (float64, bool, error) {
	tok, err := d.token()
	if err != nil {
		return 0, false, err
	}
	switch v := tok.(type) {
	case nil:
		return 0, false, nil
	case json.Number:
		x, err := strconv.ParseFloat(string(v), 64)
		if err != nil || math.IsInf(x, 0) {
			return 0, false, d.dataErr(path, "number %s is out of range", v)
		}
		return x + 0, true, nil // + 0 turns -0 into 0
	}
	return 0, false, d.dataErr(path, "want a number, got %s", describe(tok))
}

// nonNegative reads a number that must be >= 0; it reports false for null.
func (d *docDecoder) nonNegative(path string) (float64, bool, error) {
	x, ok, err := d.number(path)
	if err == nil && x < 0 {
		err = d.dataErr(path, "%g is negative", x)
	}
	return x, ok, err
}

// integer reads a whole number in [lo, 1<<31); it reports false for null.
func (d *docDecoder) integer(path string, lo int) (int, bool, error) {
	x, ok, err := d.number(path)
	if err != nil || !ok {
		return 0, ok, err
	}
	if x != math.Trunc(x) || x < float64(lo) || x >= 1<<31 {
		return 0, false, d.dataErr(path, "want a whole number >= %d, got %g", lo, x)
	}
	return int(x), true, nil
}

// str reads a string; it reports false for null.
func (d *docDecoder) str(path string) (string, bool, error) {
	tok, err := d.token()
	if err != nil {
		return "", false, err
	}
	switch v := tok.(type) {
	case nil:
		return "", false, nil
	case string:
		return v, true, nil
	}
	return "", false, d.dataErr(path, "want a string, got %s", describe(tok))
}

// scalarText reads a string, number or boolean as text: a free-form
// parameter value. Numbers keep their JSON spelling; it reports false for
// null.
func (d *docDecoder) scalarText(path string) (string, bool, error) {
	tok, err := d.token()
	if err != nil {
		return "", false, err
	}
	switch v := tok.(type) {
	case nil:
		return "", false, nil
	case string:
		return v, true, nil
	case json.Number:
		return string(v), true, nil
	case bool:
		return strconv.FormatBool(v), true, nil
	}
	return "", false, d.dataErr(path, "want a string, number or boolean, got %s", describe(tok))
}

// join appends key to a dotted path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// index appends [i] to a path.
func index(path string, i int) string {
	return fmt.Sprintf("%s[%d]", path, i)
}
