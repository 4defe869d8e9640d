package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/benchgate/benchgate/internal/results"
)

// DefaultModels is the matrix's model list when neither the suite file nor
// the command line names one: the seed's default. It must not be modified.
var DefaultModels = []string{"bert", "t5", "vit", "whisper"}

// DefaultBatchSizes is the matrix's batch-size list when neither the suite
// file nor the command line names one: the seed's default. It must not be
// modified.
var DefaultBatchSizes = []int{1, 2, 4, 8, 16}

// DefaultHardware is the matrix's hardware list when neither the suite file,
// the command line nor detection ([PlanOptions.DetectedHardware]) names one.
// It must not be modified.
var DefaultHardware = []string{"cpu"}

// maxNameLen bounds model names.
const maxNameLen = 128

// checkModel reports why s is not a valid model name. Model names are
// substituted into commands, so they are restricted to characters that
// never need shell quoting (letters, digits and "._-+/:").
func checkModel(s string) error {
	if s == "" {
		return fmt.Errorf("empty model name")
	}
	if len(s) > maxNameLen {
		return fmt.Errorf("model name %.20q… longer than %d bytes", s, maxNameLen)
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			strings.ContainsRune("._-+/:", r)
		if !ok {
			return fmt.Errorf("invalid model name %q (want letters, digits and ._-+/:)", s)
		}
	}
	return nil
}

// checkHardware reports why s is not a known hardware type.
func checkHardware(s string) error {
	if !slices.Contains(results.HardwareTypes, s) {
		return fmt.Errorf("unknown hardware %q (want one of %s)", s, strings.Join(results.HardwareTypes, ", "))
	}
	return nil
}

// checkBatchSize reports why n is not a valid batch size.
func checkBatchSize(n int) error {
	if n <= 0 {
		return fmt.Errorf("batch size must be positive, got %d", n)
	}
	return nil
}

// ParseModels parses a comma-separated model list, as given to --models.
func ParseModels(s string) ([]string, error) {
	items, err := splitList("models", s)
	if err != nil {
		return nil, err
	}
	if err := checkModels(items); err != nil {
		return nil, fmt.Errorf("models: %w", err)
	}
	return items, nil
}

// ParseHardware parses a comma-separated hardware list, as given to
// --hardware.
func ParseHardware(s string) ([]string, error) {
	items, err := splitList("hardware", s)
	if err != nil {
		return nil, err
	}
	if err := checkHardwareList(items); err != nil {
		return nil, fmt.Errorf("hardware: %w", err)
	}
	return items, nil
}

// ParseBatchSizes parses a comma-separated list of positive integers, as
// given to --batch-sizes.
func ParseBatchSizes(s string) ([]int, error) {
	items, err := splitList("batch-sizes", s)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(items))
	for i, it := range items {
		n, err := strconv.Atoi(it)
		if err != nil {
			return nil, fmt.Errorf("batch-sizes: %q is not an integer", it)
		}
		out[i] = n
	}
	if err := checkBatchSizes(out); err != nil {
		return nil, fmt.Errorf("batch-sizes: %w", err)
	}
	return out, nil
}

// splitList splits a comma-separated list, trimming spaces; empty items are
// an error naming the option.
func splitList(option, s string) ([]string, error) {
	parts := strings.Split(s, ",")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
		if parts[i] == "" {
			return nil, fmt.Errorf("%s: empty item %d in %q", option, i+1, s)
		}
	}
	return parts, nil
}

// checkModels validates a non-empty model list without duplicates.
func checkModels(ms []string) error {
	if len(ms) == 0 {
		return fmt.Errorf("empty list")
	}
	for i, m := range ms {
		if err := checkModel(m); err != nil {
			return err
		}
		if slices.Contains(ms[:i], m) {
			return fmt.Errorf("model %q listed twice", m)
		}
	}
	return nil
}

// checkHardwareList validates a non-empty hardware list without duplicates.
func checkHardwareList(hs []string) error {
	if len(hs) == 0 {
		return fmt.Errorf("empty list")
	}
	for i, h := range hs {
		if err := checkHardware(h); err != nil {
			return err
		}
		if slices.Contains(hs[:i], h) {
			return fmt.Errorf("hardware %q listed twice", h)
		}
	}
	return nil
}

// checkBatchSizes validates a non-empty batch-size list without duplicates.
func checkBatchSizes(bs []int) error {
	if len(bs) == 0 {
		return fmt.Errorf("empty list")
	}
	for i, b := range bs {
		if err := checkBatchSize(b); err != nil {
			return err
		}
		if slices.Contains(bs[:i], b) {
			return fmt.Errorf("batch size %d listed twice", b)
		}
	}
	return nil
}
