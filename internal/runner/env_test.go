package runner

import (
	"reflect"
	"testing"
)

func TestScrubEnv(t *testing.T) {
	tests := []struct {
		name string
		env  []string
		want []string
	}{
		{
			name: "github and actions",
			env: []string{"PATH=/bin", "GITHUB_TOKEN=a", "GH_TOKEN=b", "ACTIONS_RUNTIME_TOKEN=c", "ACTIONS_ID_TOKEN_REQUEST_TOKEN=d",
				"ACTIONS_ID_TOKEN_REQUEST_URL=e", "ACTIONS_CACHE_URL=f", "ACTIONS_RUNTIME_URL=g", "ACTIONS_RESULTS_URL=h", "GITHUB_SHA=abc"},
			want: []string{"PATH=/bin", "GITHUB_SHA=abc"},
		},
		{
			name: "action inputs",
			env:  []string{"INPUT_GITHUB-TOKEN=a", "INPUT_SUITE=benchgate.yml", "HOME=/root"},
			want: []string{"HOME=/root"},
		},
		{
			name: "workflow command files",
			env:  []string{"GITHUB_ENV=/f", "GITHUB_PATH=/f", "GITHUB_OUTPUT=/f", "GITHUB_STATE=/f", "GITHUB_STEP_SUMMARY=/f", "GITHUB_WORKSPACE=/w"},
			want: []string{"GITHUB_WORKSPACE=/w"},
		},
		{
			name: "patterns, any case",
			env: []string{"HF_TOKEN=a", "AWS_SECRET_ACCESS_KEY=b", "DB_PASSWORD=c", "MY_SECRET=d", "api_key=e", "GOOGLE_APPLICATION_CREDENTIALS=f",
				"TOKENIZERS_PARALLELISM=false", "KEYBOARD=us", "SECRETARY=x"},
			want: []string{"TOKENIZERS_PARALLELISM=false", "KEYBOARD=us", "SECRETARY=x"},
		},
		{
			name: "malformed entries",
			env:  []string{"NOEQUALS", "=x", "A="},
			want: []string{"A="},
		},
		{
			name: "empty",
			env:  nil,
			want: []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := append([]string(nil), tt.env...)
			got := ScrubEnv(in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ScrubEnv: got %q; want %q", got, tt.want)
			}
			if !reflect.DeepEqual(in, tt.env) && tt.env != nil {
				t.Errorf("ScrubEnv modified its input: got %q; want %q", in, tt.env)
			}
		})
	}
}

func TestWithEnv(t *testing.T) {
	got := withEnv([]string{"A=1", "B=2", "C=3"}, map[string]string{"B": "x", "Z": "z", "D": "d"})
	want := []string{"A=1", "C=3", "B=x", "D=d", "Z=z"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("withEnv: got %q; want %q", got, want)
	}
}
