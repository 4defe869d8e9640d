package runner

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testImage is a tiny image built locally from Debian's busybox-static:
// images cannot be pulled here, and the backend never pulls anyway.
const testImage = "benchgate-test/busybox:local"

// needEngine builds testImage on the local Docker engine if it is missing.
// There is no skip: without an engine this test fails, loudly, because the
// backend it tests needs one (scripts/test.sh starts dockerd).
func needEngine(t *testing.T) {
	t.Helper()
	if out, err := exec.Command("docker", "image", "inspect", testImage).CombinedOutput(); err == nil {
		return
	} else if strings.Contains(string(out), "Cannot connect") || strings.Contains(string(out), "docker daemon") {
		t.Fatalf("no Docker engine (start dockerd; scripts/test.sh does): %s", out)
	}
	bb, err := exec.LookPath("busybox")
	if err != nil {
		t.Fatalf("busybox-static is needed to build the test image: %v", err)
	}
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(bb)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "bin", "busybox"), data, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tool := range []string{"sh", "echo", "cat", "sleep", "env", "printf", "ls", "pwd", "true"} {
		if err := os.Symlink("busybox", filepath.Join(root, "bin", tool)); err != nil {
			t.Fatal(err)
		}
	}
	tar := exec.Command("tar", "-C", root, "-c", ".")
	imp := exec.Command("docker", "import", "--change", "ENV PATH=/bin", "-", testImage)
	pipe, err := tar.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	imp.Stdin = pipe
	if err := tar.Start(); err != nil {
		t.Fatal(err)
	}
	if out, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("docker import: %v: %s", err, out)
	}
	if err := tar.Wait(); err != nil {
		t.Fatal(err)
	}
}

func TestContainerBackend(t *testing.T) {
	needEngine(t)
	ctx := context.Background()
	ws := t.TempDir()
	b, err := NewContainerBackend(ctx, ContainerOptions{Image: testImage, Workspace: ws})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	t.Run("output file in the mounted workspace", func(t *testing.T) {
		out := filepath.Join(ws, "result.json")
		r := b.Exec(ctx, []string{"sh", "-c", `printf '{"ok":1}' > "$1"; echo to-stdout; echo to-stderr >&2`, "sh", out}, "", ws, []string{"A=1"}, time.Minute, 0)
		if r.StartErr != nil || r.ExitCode != 0 {
			t.Fatalf("got exit %d, err %v; stderr %s", r.ExitCode, r.StartErr, r.Stderr)
		}
		if got, err := os.ReadFile(out); err != nil || string(got) != `{"ok":1}` {
			t.Errorf("output file: got %q, %v; want {\"ok\":1}", got, err)
		}
		if string(r.Stdout) != "to-stdout\n" || string(r.Stderr) != "to-stderr\n" {
			t.Errorf("got stdout %q, stderr %q; want them demultiplexed", r.Stdout, r.Stderr)
		}
	})
	t.Run("environment and working directory", func(t *testing.T) {
		sub := filepath.Join(ws, "sub")
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		r := b.Exec(ctx, []string{`echo "$BENCH_X $(pwd)"`}, "sh", sub, []string{"BENCH_X=42"}, time.Minute, 0)
		if want := "42 " + sub + "\n"; string(r.Stdout) != want {
			t.Errorf("got %q; want %q", r.Stdout, want)
		}
	})
	t.Run("exit code", func(t *testing.T) {
		r := b.Exec(ctx, []string{"sh", "-c", "exit 7"}, "", ws, nil, time.Minute, 0)
		if r.ExitCode != 7 || r.TimedOut {
			t.Errorf("got exit %d timedOut %v; want 7, false", r.ExitCode, r.TimedOut)
		}
	})
	t.Run("timeout kills and removes the container", func(t *testing.T) {
		start := time.Now()
		r := b.Exec(ctx, []string{"sleep", "300"}, "", ws, nil, 2*time.Second, 0)
		if !r.TimedOut || r.ExitCode != -1 {
			t.Errorf("got timedOut %v exit %d; want true, -1", r.TimedOut, r.ExitCode)
		}
		if el := time.Since(start); el > 60*time.Second {
			t.Errorf("took %s; want the timeout to end it", el)
		}
		out, err := exec.Command("docker", "ps", "-aq", "--filter", "label=org.benchgate.benchmark").Output()
		if err != nil || strings.TrimSpace(string(out)) != "" {
			t.Errorf("containers left behind: %q (%v)", out, err)
		}
	})
	t.Run("directory outside the workspace", func(t *testing.T) {
		r := b.Exec(ctx, []string{"true"}, "", "/etc", nil, time.Minute, 0)
		if r.StartErr == nil {
			t.Error("got no error; want one for a directory the container cannot see")
		}
	})
}

func TestContainerBackendMissingImage(t *testing.T) {
	needEngine(t)
	_, err := NewContainerBackend(context.Background(), ContainerOptions{Image: "benchgate-test/does-not-exist:none"})
	if err == nil || !strings.Contains(err.Error(), "does-not-exist") {
		t.Errorf("got %v; want an error naming the missing image", err)
	}
}
