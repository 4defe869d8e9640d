package runner

import (
	"slices"
	"sort"
	"strings"
)

// secretNames are variables removed from a benchmark's environment by name:
// GitHub's and the Actions runtime's tokens and endpoints, and the workflow
// command files, through which a step could change the environment or
// outputs of later steps.
var secretNames = []string{
	"GITHUB_TOKEN", "GH_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN",
	"ACTIONS_RUNTIME_TOKEN", "ACTIONS_RUNTIME_URL",
	"ACTIONS_ID_TOKEN_REQUEST_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_URL",
	"ACTIONS_CACHE_URL", "ACTIONS_RESULTS_URL",
	"GITHUB_ENV", "GITHUB_PATH", "GITHUB_OUTPUT", "GITHUB_STATE", "GITHUB_STEP_SUMMARY",
	"GITHUB_PAT", "GH_PAT", "MYSQL_PWD",
}

// secretPrefixes and secretSuffixes match variables removed by pattern: every
// action input (INPUT_*, which holds the token input), and names that by
// convention hold credentials. PASSWORD and PASSWD match without an
// underscore too (PGPASSWORD); _PWD needs one, so that PWD and OLDPWD, the
// working directories, pass.
var (
	secretPrefixes = []string{"INPUT_"}
	secretSuffixes = []string{"_TOKEN", "_SECRET", "PASSWORD", "PASSWD", "_PWD", "_KEY", "_APIKEY", "_PAT", "_CREDENTIALS"}
)

// ScrubEnv returns env ("NAME=value" entries) without the variables that may
// hold secrets, in the same order; env is not modified. Names are matched
// case-insensitively. Removed are:
//
//   - GITHUB_TOKEN, GH_TOKEN, GH_ENTERPRISE_TOKEN, GITHUB_ENTERPRISE_TOKEN;
//   - ACTIONS_RUNTIME_TOKEN, ACTIONS_RUNTIME_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN,
//     ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_CACHE_URL, ACTIONS_RESULTS_URL;
//   - GITHUB_ENV, GITHUB_PATH, GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY
//     (workflow command files: benchmark code must not set later steps'
//     environment or outputs);
//   - every INPUT_* variable (action inputs, among them INPUT_GITHUB-TOKEN);
//   - GITHUB_PAT, GH_PAT and MYSQL_PWD;
//   - every name ending in _TOKEN, _SECRET, PASSWORD, PASSWD, _PWD, _KEY,
//     _APIKEY, _PAT or _CREDENTIALS (AWS_SECRET_ACCESS_KEY, HF_TOKEN,
//     PGPASSWORD, OPENAI_API_KEY, …);
//   - every variable whose value holds a URL with a password
//     (scheme://user:password@host: a DATABASE_URL, an https_proxy with
//     credentials; see hasURLPassword);
//   - malformed entries without "=".
//
// Note: this is a deny list; a secret under another name passes. The action
// itself only ever holds its token in the variables above. A variable the
// benchmark needs despite the list is set in the suite's env, which is added
// after scrubbing.
func ScrubEnv(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || name == "" || isSecret(name) || hasURLPassword(value) {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// isSecret reports whether variable name may hold a secret.
func isSecret(name string) bool {
	up := strings.ToUpper(name)
	if slices.Contains(secretNames, up) {
		return true
	}
	for _, p := range secretPrefixes {
		if strings.HasPrefix(up, p) {
			return true
		}
	}
	for _, s := range secretSuffixes {
		if strings.HasSuffix(up, s) {
			return true
		}
	}
	return false
}

// hasURLPassword reports whether s holds a URL whose user information has a
// password: "://", then up to the next "/", "?", "#", space, ",", or ";"
// an authority with "@" and a ":" before it ("postgres://u:pw@db",
// "redis://:pw@cache"). A user name alone ("ssh://git@host") is no secret.
func hasURLPassword(s string) bool {
	for {
		i := strings.Index(s, "://")
		if i < 0 {
			return false
		}
		s = s[i+3:]
		authority := s
		if j := strings.IndexAny(s, "/?# \t,;"); j >= 0 {
			authority = s[:j]
		}
		if at := strings.LastIndexByte(authority, '@'); at >= 0 && strings.Contains(authority[:at], ":") {
			return true
		}
	}
}

// DefaultEnvAllow is what env-allow "default" passes of benchgate's
// environment: what builds, toolchains and benchmark harnesses read (the
// shell's basics, locale, temporary directories, CI and runner facts, Go,
// C, Rust, Java, Python and conda toolchains, CUDA, ROCm and threading
// settings). Entries ending in "*" are prefixes. Secrets among them
// (GITHUB_TOKEN, CARGO_REGISTRY_TOKEN, …) are still removed by ScrubEnv.
var DefaultEnvAllow = []string{
	"PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "TZ", "HOSTNAME", "LANG", "LANGUAGE", "LC_*",
	"TMPDIR", "TMP", "TEMP", "XDG_*", "CI", "GITHUB_*", "RUNNER_*",
	"GO*", "CGO_*", "CC", "CXX", "CPP", "AR", "LD", "CFLAGS", "CXXFLAGS", "CPPFLAGS", "LDFLAGS",
	"PKG_CONFIG_PATH", "LD_LIBRARY_PATH", "LIBRARY_PATH", "CPATH", "MAKEFLAGS",
	"CARGO_*", "RUSTUP_*", "RUSTFLAGS", "JAVA_HOME", "PYTHON*", "VIRTUAL_ENV", "CONDA_*", "PIP_*",
	"CUDA_*", "NVIDIA_*", "ROCM_*", "HIP_*", "OMP_*", "MKL_*", "OPENBLAS_*",
	"SSL_CERT_FILE", "SSL_CERT_DIR",
}

// allowEnv returns the entries of env (scrubbed) whose names match allow:
// a name exactly, a prefix ending in "*", or "default" for each entry of
// DefaultEnvAllow. Matching is case-sensitive. A nil allow returns env.
func allowEnv(env, allow []string) []string {
	if allow == nil {
		return env
	}
	var pats []string
	for _, a := range allow {
		if a == "default" {
			pats = append(pats, DefaultEnvAllow...)
		} else {
			pats = append(pats, a)
		}
	}
	out := make([]string, 0, len(env))
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		for _, p := range pats {
			if prefix, ok := strings.CutSuffix(p, "*"); ok && strings.HasPrefix(name, prefix) || name == p {
				out = append(out, kv)
				break
			}
		}
	}
	return out
}

// withEnv returns base with the variables of extra set (replacing any entry
// of the same name), extra's in sorted order; base is not modified.
func withEnv(base []string, extra map[string]string) []string {
	out := make([]string, 0, len(base)+len(extra))
	for _, kv := range base {
		name, _, _ := strings.Cut(kv, "=")
		if _, ok := extra[name]; !ok {
			out = append(out, kv)
		}
	}
	names := make([]string, 0, len(extra))
	for k := range extra {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		out = append(out, k+"="+extra[k])
	}
	return out
}
