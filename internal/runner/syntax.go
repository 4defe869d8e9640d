package runner

import (
	"encoding/json"
	"errors"

	"github.com/benchgate/benchgate/internal/results"
)

// syntaxError is implemented by parse errors that mean "the output is not
// well-formed" (the seed's json_parse_error) rather than "well-formed but
// wrong". A reader outside the results package opts in by giving its syntax
// error type this method.
type syntaxError interface {
	SyntaxError() bool
}

// classify maps an error of Options.Parse to the seed's taxonomy. It is
// results.Classify (ParseError: JSON parse error; DataError or ErrNoResults:
// result processing error; else unexpected), with two more syntax errors
// recognised: an error with SyntaxError() true and a *json.SyntaxError.
func classify(err error) results.ErrorType {
	var se syntaxError
	if errors.As(err, &se) && se.SyntaxError() {
		return results.ErrJSONParse
	}
	var je *json.SyntaxError
	if errors.As(err, &je) {
		return results.ErrJSONParse
	}
	return results.Classify(err)
}
