package results

import (
	"bytes"
	"encoding/json"
)

// jsonShape is what [Detect] learns from the head of a JSON input: enough
// keys to tell the JSON formats apart. A head cut anywhere gives the keys
// seen before the cut.
type jsonShape struct {
	array bool            // the top level is an array
	keys  map[string]bool // keys of the top-level object, or of a top-level array's first element
	first map[string]bool // keys of the first element of the top-level object's "results" array
}

// sniffJSON reads the shape of the JSON value at the start of head.
func sniffJSON(head []byte) jsonShape {
	s := jsonShape{keys: map[string]bool{}, first: map[string]bool{}}
	dec := json.NewDecoder(bytes.NewReader(head))
	tok, err := dec.Token()
	if err != nil {
		return s
	}
	if tok == json.Delim('[') {
		s.array = true
		if tok, err = dec.Token(); err != nil {
			return s
		}
	}
	if tok != json.Delim('{') {
		return s
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return s
		}
		key, _ := tok.(string)
		s.keys[key] = true
		if key == "results" && !s.array {
			readFirstKeys(dec, s.first)
			return s
		}
		if skipValue(dec) != nil {
			return s
		}
	}
	return s
}

// readFirstKeys reads the keys of the first element of the array that dec
// is about to read, if that element is an object.
func readFirstKeys(dec *json.Decoder, into map[string]bool) {
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		key, _ := tok.(string)
		into[key] = true
		if skipValue(dec) != nil {
			return
		}
	}
}

// skipValue reads one whole value.
func skipValue(dec *json.Decoder) error {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// jsonFormat picks the JSON format of a shape; see [Detect].
func (s jsonShape) jsonFormat() Format {
	k := s.keys
	switch {
	case s.array:
		if k["name"] && k["unit"] && k["value"] {
			return FormatGAB
		}
	case k["entries"] && (k["lastUpdate"] || k["repoUrl"]):
		return FormatGABHistory
	case k["context"]:
		return FormatGoogleBenchmark
	case k["machine_info"] || (k["benchmarks"] && (k["commit_info"] || k["datetime"])):
		return FormatPytest
	case k["results"] && s.first["command"]:
		return FormatHyperfine
	case k["sampling_mode"] || (k["iters"] && k["times"]) || (k["mean"] && k["median"]) || k["full_id"]:
		return FormatCriterion
	}
	return FormatNative
}
