package store

import "fmt"

// floatList scans a DuckDB DOUBLE[] column. duckdb-go returns a LIST as
// []any holding float64 values; NULL scans as nil and an empty list as an
// empty, non-nil slice.
type floatList []float64

// Scan implements sql.Scanner.
func (l *floatList) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*l = nil
	case []any:
		out := make([]float64, len(v))
		for i, x := range v {
			f, ok := x.(float64)
			if !ok {
				return fmt.Errorf("list element %d is %T, want float64", i+1, x)
			}
			out[i] = f
		}
		*l = out
	default:
		return fmt.Errorf("scanning %T into a list of DOUBLE", src)
	}
	return nil
}
