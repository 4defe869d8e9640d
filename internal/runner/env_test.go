package runner

import (
	"context"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/benchgate/benchgate/internal/config"
	"github.com/benchgate/benchgate/internal/results"
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
			// Issue 15, item 9.
			name: "database clients, API keys and personal access tokens",
			env: []string{"PGPASSWORD=a", "MYSQL_PWD=b", "OPENAI_APIKEY=c", "SERVICE_API_KEY=d", "GITHUB_PAT=e", "GH_PAT=f",
				"DOCKER_PASSWD=g", "PWD=/w", "OLDPWD=/", "PATH=/bin", "CLASSPATH=/j", "PGHOST=db"},
			want: []string{"PWD=/w", "OLDPWD=/", "PATH=/bin", "CLASSPATH=/j", "PGHOST=db"},
		},
		{
			name: "values holding a URL with a password",
			env: []string{"DATABASE_URL=postgres://bench:hunter2@db:5432/bench", "REDIS=redis://:pw@cache", "HTTPS_PROXY=http://u:p@proxy:3128",
				"LIST=a,https://x:y@h", "DSN=mysql://user:secret@tcp(db)/x?tls=true",
				"LOCAL_DB=postgres://localhost/bench", "GIT_REMOTE=ssh://git@github.com/o/r", "MIRROR=https://proxy.golang.org",
				"NOTE=see http://h/a:b@c", "TIME=10:30@home"},
			want: []string{"LOCAL_DB=postgres://localhost/bench", "GIT_REMOTE=ssh://git@github.com/o/r", "MIRROR=https://proxy.golang.org",
				"NOTE=see http://h/a:b@c", "TIME=10:30@home"},
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

func TestAllowEnv(t *testing.T) {
	env := []string{"PATH=/bin", "HOME=/root", "LC_ALL=C", "GOFLAGS=-mod=mod", "MY_VAR=1", "MY_OTHER=2", "OTHER=3", "path=lower"}
	tests := []struct {
		name  string
		allow []string
		want  []string
	}{
		{"nil passes all", nil, env},
		{"names and prefixes", []string{"PATH", "MY_*"}, []string{"PATH=/bin", "MY_VAR=1", "MY_OTHER=2"}},
		{"default", []string{"default"}, []string{"PATH=/bin", "HOME=/root", "LC_ALL=C", "GOFLAGS=-mod=mod"}},
		{"default and more", []string{"default", "OTHER"}, []string{"PATH=/bin", "HOME=/root", "LC_ALL=C", "GOFLAGS=-mod=mod", "OTHER=3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := allowEnv(env, tt.allow); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("allowEnv: got %q; want %q", got, tt.want)
			}
		})
	}
}

// TestRunEnvAllow runs `env` with env-allow: only the allowed variables of
// the base environment, minus secrets, plus the suite's env reach it.
func TestRunEnvAllow(t *testing.T) {
	suite := `benchmarks:
  - name: env
    command: [env]
    env-allow: [default, KEEP_*]
    env: {SUITE_VAR: s}
`
	base := []string{"PATH=" + os.Getenv("PATH"), "HOME=/root", "KEEP_ME=yes", "KEEP_TOKEN=secret1", "DROP_ME=no",
		"PGPASSWORD=secret2", "GITHUB_TOKEN=secret3", "GITHUB_SHA=abc"}
	var seen string
	parse := func(_ config.Job, data []byte, _ string) ([]results.Result, error) {
		seen = string(data)
		return parseJSON(config.Job{}, []byte(`[{"name":"env","value":0}]`), "")
	}
	outs, err := Run(context.Background(), planJobs(t, suite), Options{Env: base, Parse: parse})
	if err != nil || outs[0].Failure != nil {
		t.Fatalf("Run: got %v, failure %+v; want success", err, outs[0].Failure)
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(seen), "\n") {
		// The shell's own variables, and the run's mark where no cgroup
		// holds the benchmark (killMarked), are not the suite's.
		if name, _, _ := strings.Cut(l, "="); name != "PWD" && name != "SHLVL" && name != "_" && name != sessionEnv {
			got = append(got, l)
		}
	}
	want := []string{base[0], "HOME=/root", "KEEP_ME=yes", "GITHUB_SHA=abc", "SUITE_VAR=s"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("benchmark environment: got %q; want %q", got, want)
	}
}
