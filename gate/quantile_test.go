package gate

import "testing"

func TestQuantile(t *testing.T) {
	tests := []struct {
		name   string
		sorted []float64
		p      float64
		want   float64
	}{
		{"one value", []float64{7}, 0.99, 7},
		{"median of even count interpolates", []float64{1, 2, 3, 4}, 0.5, 2.5},
		{"p90 of ten", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.9, 9.1},
		{"p99 of three", []float64{10, 20, 30}, 0.99, 29.8},
		{"minimum", []float64{3, 5}, 0, 3},
		{"maximum", []float64{3, 5}, 1, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Quantile(tt.sorted, tt.p); got < tt.want-1e-12 || got > tt.want+1e-12 {
				t.Errorf("got Quantile(%v, %g) = %g; want %g", tt.sorted, tt.p, got, tt.want)
			}
		})
	}
	if got := Quantile(nil, 0.5); got == got {
		t.Errorf("got Quantile(nil) = %g; want NaN", got)
	}
}
