package main

import (
	"runtime/debug"
	"testing"
)

func TestVersionOf(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	const rev = "0123456789abcdef0123456789abcdef01234567"
	for _, tt := range []struct {
		name, override string
		bi             *debug.BuildInfo
		want           string
	}{
		{"no build info", "", nil, "devel (no VCS info)"},
		{"checkout without VCS stamping", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "devel (no VCS info)"},
		{"checkout", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "false")}, "devel (commit 0123456789ab)"},
		{"dirty checkout", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "true")}, "devel (commit 0123456789ab, modified)"},
		{"pseudo-version", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261201185516-0123456789ab+dirty"}, Settings: vcs(rev, "true")}, "v0.0.0-20261201185516-0123456789ab+dirty"},
		{"go install module@version", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}}, "v1.4.0"},
		{"release build", "v1.5.0", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "false")}, "v1.5.0 (commit 0123456789ab)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := versionOf(tt.override, tt.bi); got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}
