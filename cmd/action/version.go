package main

import (
	"runtime/debug"
	"strings"

	gitcmd "github.com/benchgate/benchgate/internal/git"
)

// buildVersion names a release build, set at link time:
//
//	go build -ldflags "-X main.buildVersion=v1.2.3" ./cmd/action
//
// It wins over the module version of the build info, which is "(devel)"
// for a build from a checkout.
var buildVersion string

// version is what `benchgate version` prints after the name.
func version() string {
	bi, _ := debug.ReadBuildInfo()
	return versionOf(buildVersion, bi)
}

// versionOf is the version of a binary linked with override (buildVersion)
// and built as bi says (nil: no build info): the release or module version,
// else "devel", then the commit it was built from when the build recorded
// one, marked "modified" for a dirty tree: "v1.2.3 (commit 0123456789ab)",
// "devel (commit 0123456789ab, modified)". A build without VCS stamping
// (-buildvcs=false, no .git, `go test`) says so: "devel (no VCS info)".
// Go 1.24 and later stamp a checkout's build with a pseudo-version, such as
// "v0.0.0-20261201185516-963bc6463968+dirty", which already names both.
func versionOf(override string, bi *debug.BuildInfo) string {
	v := override
	var rev string
	modified := false
	if bi != nil {
		if m := bi.Main.Version; v == "" && m != "" && m != "(devel)" {
			v = m
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	release := v != ""
	if !release {
		v = "devel"
	}
	switch {
	case rev != "" && strings.Contains(v, gitcmd.Short(rev)):
		return v // a pseudo-version names the commit, and "+dirty" a modified tree
	case rev != "" && modified:
		return v + " (commit " + gitcmd.Short(rev) + ", modified)"
	case rev != "":
		return v + " (commit " + gitcmd.Short(rev) + ")"
	case !release:
		return v + " (no VCS info)"
	}
	return v
}
