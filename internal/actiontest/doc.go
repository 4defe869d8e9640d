// Package actiontest runs GitHub workflows as a runner runs them, for
// end-to-end tests of benchgate's container action: nektos/act (installed
// with `go install github.com/nektos/act@v0.2.89`) executes a workflow from
// testdata on the local Docker engine, builds the action's Dockerfile and
// starts its container on the host network, so that the action reaches a
// fake GitHub API (internal/forge/forgetest) on loopback.
//
// The base images the Dockerfile names cannot be pulled on CI machines:
// scripts/build-base-images.sh builds local stand-ins under the project's
// own names (StandIns: benchgate-local/…, never the real names, so a
// contributor's real images are left alone), and the job image act runs
// `run:` steps in (DefaultJobImage). act cannot pass build arguments, so the
// tests build a copy of the tree whose Dockerfile differs from the real one
// only in its FROM images (MapBaseImages, StageAction).
// scripts/e2e.sh prepares both and runs the tests tagged e2e.
package actiontest
