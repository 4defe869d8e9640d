package runner

import (
	"context"
	"fmt"
	"strings"

	"github.com/benchgate/benchgate/internal/config"
)

// containerGPUs is the GPU request of job j of benchmark b: none unless the
// job runs on cuda hardware, then the suite's gpus (default all).
func containerGPUs(j config.Job, b *config.Benchmark) []string {
	if j.Hardware != "cuda" {
		return nil
	}
	if len(b.GPUs) == 0 {
		return []string{"all"}
	}
	return b.GPUs
}

// container returns the backend for image with gpus, creating it once.
func (r *run) container(ctx context.Context, image string, gpus []string) (Backend, error) {
	key := image + "\x00" + strings.Join(gpus, ",")
	if be, ok := r.backends[key]; ok {
		return be, nil
	}
	if r.opts.Container == nil {
		return nil, fmt.Errorf("benchmark needs image %s but no container engine is configured", image)
	}
	be, err := r.opts.Container(ctx, image, gpus)
	if err != nil {
		return nil, err
	}
	if r.backends == nil {
		r.backends = map[string]Backend{}
	}
	r.backends[key] = be
	return be, nil
}
