package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/benchgate/benchgate/internal/config"
	"github.com/benchgate/benchgate/internal/runner"
)

// containers creates sibling-container backends on demand for benchmarks
// whose suite names an image, and closes them at the end of the run.
type containers struct {
	workspace string
	open      []*runner.ContainerBackend
}

// newContainers prepares the backends of jobs that name an image: the
// workspace mounted into their containers is workspace, else the current
// directory, and the output directory and every such benchmark's
// working directory must be inside it. It returns nil when no job needs a
// container.
func newContainers(workspace string, jobs []config.Job, outDir string) (*containers, error) {
	need := false
	for _, j := range jobs {
		need = need || j.Benchmark.Image != ""
	}
	if !need {
		return nil, nil
	}
	ws := workspace
	if ws == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		ws = wd
	}
	ws, err := filepath.Abs(ws)
	if err != nil {
		return nil, err
	}
	inside := func(p string) bool {
		abs, err := filepath.Abs(p)
		if err != nil {
			return false
		}
		rel, err := filepath.Rel(ws, abs)
		return err == nil && rel != ".." && !strings.HasPrefix(rel, "../")
	}
	if !inside(outDir) {
		return nil, fmt.Errorf("the output directory %s must be inside the workspace %s that containers see", outDir, ws)
	}
	for _, j := range jobs {
		if j.Benchmark.Image != "" && !inside(j.Benchmark.Dir) {
			return nil, fmt.Errorf("benchmark %s: its directory %s is outside the workspace %s mounted into its container", j.Benchmark.Name, j.Benchmark.Dir, ws)
		}
	}
	return &containers{workspace: ws}, nil
}

// backend is runner.Options.Container.
func (c *containers) backend(ctx context.Context, image string, gpus []string) (runner.Backend, error) {
	b, err := runner.NewContainerBackend(ctx, runner.ContainerOptions{Image: image, Workspace: c.workspace, GPUs: gpus})
	if err != nil {
		return nil, err
	}
	c.open = append(c.open, b)
	return b, nil
}

// Close closes every backend opened.
func (c *containers) Close() {
	if c == nil {
		return
	}
	for _, b := range c.open {
		b.Close()
	}
}
