package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// Note: the sibling-container backend talks to the Docker Engine API through
// github.com/moby/moby/client, the engine's own maintained client: it
// negotiates the API version with the daemon (1.40 and later), so it works
// with the Debian and Docker CE engines found on self-hosted runners.

// ContainerOptions configures the sibling-container backend.
type ContainerOptions struct {
	// Image is the image every benchmark runs in. It must exist on the
	// engine: benchgate does not pull (runners often cannot).
	Image string
	// Host is the engine's address; "" means $DOCKER_HOST, else the local
	// unix socket.
	Host string
	// Workspace is the directory, as this process sees it, mounted into the
	// benchmark's container at the same path. Commands' working directories
	// must be inside it. "" means the current directory.
	Workspace string
	// HostWorkspace is Workspace's path on the engine's host. "" resolves
	// it: inside a container (a container action), from this container's
	// own mounts; otherwise Workspace itself.
	HostWorkspace string
	// GPUs requests GPUs through DeviceRequests: nil or empty for none,
	// ["all"] for every GPU, else device indexes or UUIDs.
	GPUs []string
	// Network is the container's network mode: "none" (default) or "host".
	Network string
}

// ContainerBackend runs benchmark commands as sibling containers on a Docker
// engine: each command in a fresh container of one image, with the workspace
// mounted, GPUs requested when asked, and the container stopped and removed
// on exit, timeout or cancellation.
type ContainerBackend struct {
	cli  *client.Client
	opts ContainerOptions
}

// NewContainerBackend connects to the engine, checks that the image exists
// and resolves the workspace's host path. Close releases the connection.
func NewContainerBackend(ctx context.Context, o ContainerOptions) (*ContainerBackend, error) {
	if o.Image == "" {
		return nil, errors.New("container backend: no image")
	}
	switch o.Network {
	case "":
		o.Network = "none"
	case "none", "host":
	default:
		return nil, fmt.Errorf("container backend: network %q is not none or host", o.Network)
	}
	if o.Workspace == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, fmt.Errorf("container backend: %w", err)
		}
		o.Workspace = wd
	}
	ws, err := filepath.Abs(o.Workspace)
	if err != nil {
		return nil, fmt.Errorf("container backend: workspace: %w", err)
	}
	o.Workspace = ws
	opts := []client.Opt{client.FromEnv} // negotiates the API version by default
	if o.Host != "" {
		opts = append(opts, client.WithHost(o.Host))
	}
	cli, err := client.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("container backend: docker client: %w", err)
	}
	b := &ContainerBackend{cli: cli, opts: o}
	if _, err := cli.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		cli.Close()
		return nil, fmt.Errorf("container backend: cannot reach the Docker engine at %s: %w", cli.DaemonHost(), err)
	}
	if _, err := cli.ImageInspect(ctx, o.Image); err != nil {
		cli.Close()
		return nil, fmt.Errorf("container backend: image %q is not on the Docker engine (build or pull it first): %w", o.Image, err)
	}
	if b.opts.HostWorkspace == "" {
		if b.opts.HostWorkspace, err = b.hostPath(ctx, o.Workspace); err != nil {
			cli.Close()
			return nil, err
		}
	}
	return b, nil
}

// Close releases the engine connection.
func (b *ContainerBackend) Close() error { return b.cli.Close() }

// hostPath maps path, as this process sees it, to the engine host's path.
// Inside a container it inspects this very container (its hostname is its
// id) and uses the mount that holds path (GITHUB.md §2.2: bind-mount sources
// must be host paths; RUNNER_WORKSPACE is not reliable for that).
func (b *ContainerBackend) hostPath(ctx context.Context, path string) (string, error) {
	if _, err := os.Stat("/.dockerenv"); err != nil {
		return path, nil // not in a container: our paths are the host's
	}
	self, err := os.Hostname()
	if err != nil {
		return "", fmt.Errorf("container backend: hostname: %w", err)
	}
	info, err := b.cli.ContainerInspect(ctx, self, client.ContainerInspectOptions{})
	if cerrdefs.IsNotFound(err) {
		// In a container, but not one of this engine (e.g. the engine runs
		// beside us in the same sandbox): our paths are the engine's.
		return path, nil
	}
	if err != nil {
		return "", fmt.Errorf("container backend: inspecting this container (%s) to find the workspace's host path: %w; set the host path explicitly", self, err)
	}
	best, src := "", ""
	for _, m := range info.Container.Mounts {
		d := m.Destination
		if (path == d || strings.HasPrefix(path, strings.TrimSuffix(d, "/")+"/")) && len(d) > len(best) {
			best, src = d, m.Source
		}
	}
	if best == "" {
		return "", fmt.Errorf("container backend: %s is not on a mount of this container; the benchmark container cannot see it", path)
	}
	return filepath.Join(src, strings.TrimPrefix(path, best)), nil
}

// Exec runs one command in a new container; it has [Exec]'s contract.
func (b *ContainerBackend) Exec(ctx context.Context, argv []string, shell string, dir string, env []string, timeout time.Duration, maxOutput int) ExecResult {
	return b.Run(ctx, Command{Argv: argv, Shell: shell, Dir: dir, Env: env, Timeout: timeout, MaxOutput: maxOutput})
}

// Run runs c in a new container: it implements [Backend]. c.Started is not
// called: the benchmark's processes live in the container's namespace, and
// the engine, not benchgate, is their parent.
func (b *ContainerBackend) Run(ctx context.Context, c Command) (res ExecResult) {
	argv, shell, dir, env, timeout, maxOutput := c.Argv, c.Shell, c.Dir, c.Env, c.Timeout, c.MaxOutput
	res = ExecResult{Argv: argv, ExitCode: -1}
	if shell != "" {
		if len(argv) != 1 {
			res.StartErr = fmt.Errorf("shell %q needs exactly one script, got %d arguments", shell, len(argv))
			return res
		}
		res.Argv = []string{shell, "-c", argv[0]}
	}
	if len(res.Argv) == 0 {
		res.StartErr = errors.New("empty command")
		return res
	}
	if maxOutput <= 0 {
		maxOutput = DefaultMaxOutput
	}
	if dir == "" {
		dir = b.opts.Workspace
	}
	if rel, err := filepath.Rel(b.opts.Workspace, dir); err != nil || strings.HasPrefix(rel, "..") {
		res.StartErr = fmt.Errorf("working directory %s is outside the mounted workspace %s", dir, b.opts.Workspace)
		return res
	}
	hc := &container.HostConfig{
		Binds:       []string{b.opts.HostWorkspace + ":" + b.opts.Workspace},
		NetworkMode: container.NetworkMode(b.opts.Network),
		Init:        ptrTo(true), // reap the benchmark's children
	}
	if len(b.opts.GPUs) > 0 {
		req := container.DeviceRequest{Driver: "nvidia", Capabilities: [][]string{{"gpu"}}}
		if len(b.opts.GPUs) == 1 && b.opts.GPUs[0] == "all" {
			req.Count = -1
		} else {
			req.DeviceIDs = b.opts.GPUs
		}
		hc.DeviceRequests = []container.DeviceRequest{req}
	}
	created, err := b.cli.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config: &container.Config{Image: b.opts.Image, Cmd: res.Argv, Env: env, WorkingDir: dir,
			Labels: map[string]string{"org.benchgate.benchmark": "true"}},
		HostConfig: hc,
	})
	if err != nil {
		res.StartErr = fmt.Errorf("creating container from %s: %w", b.opts.Image, err)
		return res
	}
	id := created.ID
	defer func() {
		// Note: said in the run's stderr, not as its failure: the
		// benchmark's own outcome (a timeout, say) stays what it was.
		if err := b.remove(ctx, id); err != nil {
			res.Stderr = append(res.Stderr, "\nbenchgate: "+err.Error()+"\n"...)
		}
	}()
	waitCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	wait := b.cli.ContainerWait(waitCtx, id, client.ContainerWaitOptions{Condition: container.WaitConditionNextExit})
	start := time.Now()
	if _, err := b.cli.ContainerStart(ctx, id, client.ContainerStartOptions{}); err != nil {
		res.StartErr = fmt.Errorf("starting container: %w", err)
		return res
	}
	var timer <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		timer = t.C
	}
	kill := func() {
		kctx, kcancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer kcancel()
		_, _ = b.cli.ContainerKill(kctx, id, client.ContainerKillOptions{Signal: "KILL"})
	}
	select {
	case w := <-wait.Result:
		res.ExitCode = int(w.StatusCode)
		if w.Error != nil && w.Error.Message != "" {
			res.StartErr = fmt.Errorf("container: %s", w.Error.Message)
		}
	case err := <-wait.Error:
		if ctx.Err() != nil {
			res.Canceled = true
			kill()
		} else {
			res.StartErr = fmt.Errorf("waiting for the container: %w", err)
		}
	case <-timer:
		res.TimedOut = true
		kill()
	case <-ctx.Done():
		res.Canceled = true
		kill()
	}
	res.Elapsed = time.Since(start)
	out, errOut := newCapture(maxOutput), newCapture(maxOutput)
	lctx, lcancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer lcancel()
	if logs, err := b.cli.ContainerLogs(lctx, id, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true}); err == nil {
		_, _ = stdcopy.StdCopy(out, errOut, io.LimitReader(logs, int64(8*maxOutput+1<<20)))
		logs.Close()
	}
	res.Stdout, res.Stderr = out.bytes(), errOut.bytes()
	res.StdoutTruncated, res.StderrTruncated = out.truncated(), errOut.truncated()
	return res
}

// remove force-removes container id, even when ctx is done (a container
// must not outlive its run), and returns once the engine no longer knows
// it. Right after a kill, a busy engine can refuse the removal with a
// conflict while the container is still dying; the removal is then tried
// again, backing off, for up to 30 s.
func (b *ContainerBackend) remove(ctx context.Context, id string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	for delay := 20 * time.Millisecond; ; delay = min(2*delay, time.Second) {
		_, err := b.cli.ContainerRemove(ctx, id, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
		if err == nil || cerrdefs.IsNotFound(err) {
			return nil
		}
		if _, ierr := b.cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{}); cerrdefs.IsNotFound(ierr) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("removing container %.12s: %w", id, err)
		case <-time.After(delay):
		}
	}
}

func ptrTo[T any](v T) *T { return &v }
