package gate

import (
	"math"
	"strings"
	"testing"
)

func TestPolicyValidate(t *testing.T) {
	tests := []struct {
		name    string
		policy  Policy
		wantErr string // substring; empty for valid
	}{
		{"default", DefaultPolicy, ""},
		{"zero means default", Policy{}, ""},
		{"band disabled", Policy{Alpha: 0.01, Floor: 0, InconclusiveP: 0.01, Confidence: 0.9}, ""},
		{"alpha zero", Policy{Alpha: 0, Floor: 0.01, InconclusiveP: 0.2, Confidence: 0.95}, "policy alpha 0"},
		{"alpha one", Policy{Alpha: 1, Floor: 0.01, InconclusiveP: 1, Confidence: 0.95}, "policy alpha 1"},
		{"alpha NaN", Policy{Alpha: math.NaN(), Floor: 0.01, InconclusiveP: 0.2, Confidence: 0.95}, "policy alpha NaN"},
		{"negative floor", Policy{Alpha: 0.05, Floor: -0.01, InconclusiveP: 0.2, Confidence: 0.95}, "policy floor -0.01"},
		{"infinite floor", Policy{Alpha: 0.05, Floor: math.Inf(1), InconclusiveP: 0.2, Confidence: 0.95}, "policy floor +Inf"},
		{"band below alpha", Policy{Alpha: 0.05, Floor: 0.01, InconclusiveP: 0.01, Confidence: 0.95}, "policy inconclusive-p 0.01"},
		{"confidence one", Policy{Alpha: 0.05, Floor: 0.01, InconclusiveP: 0.2, Confidence: 1}, "policy confidence 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.policy.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Validate() = %v; want nil", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Validate() = %v; want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestVerdictText(t *testing.T) {
	tests := []struct {
		v    Verdict
		want string
	}{
		{Unchanged, "unchanged"}, {Improved, "improved"}, {Regressed, "regressed"}, {Inconclusive, "inconclusive"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.v.String(); got != tt.want {
				t.Errorf("String() = %q; want %q", got, tt.want)
			}
			text, err := tt.v.MarshalText()
			if err != nil || string(text) != tt.want {
				t.Errorf("MarshalText() = %q, %v; want %q, nil", text, err, tt.want)
			}
			var back Verdict
			if err := back.UnmarshalText(text); err != nil || back != tt.v {
				t.Errorf("UnmarshalText(%q) = %v, %v; want %v, nil", text, back, err, tt.v)
			}
		})
	}
	t.Run("unknown", func(t *testing.T) {
		if got, want := Verdict(9).String(), "Verdict(9)"; got != want {
			t.Errorf("String() = %q; want %q", got, want)
		}
		if _, err := Verdict(-1).MarshalText(); err == nil {
			t.Errorf("MarshalText of Verdict(-1) = nil error; want an error")
		}
		var v Verdict
		if err := v.UnmarshalText([]byte("worse")); err == nil || !strings.Contains(err.Error(), `"worse"`) {
			t.Errorf("UnmarshalText(worse) = %v; want an error naming \"worse\"", err)
		}
	})
}
