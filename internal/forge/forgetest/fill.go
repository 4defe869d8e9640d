package forgetest

import (
	"fmt"
	"maps"

	"github.com/getkin/kin-openapi/openapi3"
)

// skeleton returns a value that satisfies schema s with placeholders: the
// required properties of objects, the first enum value, a value of the
// right format for strings. Nullable required properties are null.
func skeleton(s *openapi3.Schema, depth int) any {
	if s == nil || depth > 12 {
		return nil
	}
	if len(s.AllOf) > 0 {
		out := map[string]any{}
		for _, r := range s.AllOf {
			if m, ok := skeleton(r.Value, depth+1).(map[string]any); ok {
				maps.Copy(out, m)
			}
		}
		return out
	}
	for _, alts := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf} {
		if len(alts) > 0 {
			return skeleton(alts[0].Value, depth+1)
		}
	}
	if len(s.Enum) > 0 {
		return s.Enum[0]
	}
	switch {
	case s.Type.Is("object") || (s.Type.IsEmpty() && len(s.Properties) > 0):
		out := map[string]any{}
		for _, name := range s.Required {
			p := s.Properties[name]
			if p == nil || p.Value == nil {
				out[name] = nil
				continue
			}
			if p.Value.Nullable {
				out[name] = nil
				continue
			}
			out[name] = skeleton(p.Value, depth+1)
		}
		return out
	case s.Type.Is("array"):
		return []any{}
	case s.Type.Is("integer"), s.Type.Is("number"):
		if s.Min != nil && *s.Min > 1 {
			return *s.Min
		}
		return 1
	case s.Type.Is("boolean"):
		return false
	case s.Type.Is("string"):
		switch s.Format {
		case "date-time":
			return "2026-01-01T00:00:00Z"
		case "uri", "url":
			return "https://github.invalid/placeholder"
		case "email":
			return "placeholder@github.invalid"
		}
		return "placeholder"
	}
	return nil
}

// overlay lays src over dst: maps merge key by key, anything else
// replaces. dst is modified and returned.
func overlay(dst, src map[string]any) map[string]any {
	for k, v := range src {
		if sm, ok := v.(map[string]any); ok {
			if dm, ok := dst[k].(map[string]any); ok {
				dst[k] = overlay(dm, sm)
				continue
			}
			if d, ok := dst[k]; ok && d == nil {
				// A nullable object left null by the skeleton.
				dst[k] = sm
				continue
			}
		}
		dst[k] = v
	}
	return dst
}

// object builds the schema's skeleton with state laid over it.
func (s *spec) object(schema string, state map[string]any) (map[string]any, error) {
	sc := s.schema(schema)
	if sc == nil {
		return nil, fmt.Errorf("forgetest: no schema %q in the description", schema)
	}
	m, ok := skeleton(sc, 0).(map[string]any)
	if !ok {
		return nil, fmt.Errorf("forgetest: schema %q is not an object", schema)
	}
	return overlay(m, state), nil
}
