package runner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/benchgate/benchgate/internal/results"
)

// maxOutputFile caps what readOutput reads: results.MaxFileBytes; tests
// lower it.
var maxOutputFile int64 = results.MaxFileBytes

// readOutput reads a file a benchmark wrote in the run's output directory
// dir: its {output} file, or on --resume a saved output. The benchmark's
// code is untrusted, so the file is opened through an os.Root of dir (a
// symbolic link is followed only within dir: one to /dev/zero or /etc is
// refused), without blocking (O_NONBLOCK: a FIFO does not wait for a
// writer), and read only when it is a regular file of at most
// maxOutputFile bytes, in chunks that stop when ctx ends.
//
// A file that is not there is an error wrapping fs.ErrNotExist. A file
// refused for what it is (an escaping link, a FIFO, a device, too large) is
// a *results.DataError naming it: a result processing error; other errors
// (permissions, I/O) are unexpected errors (see classify).
func readOutput(ctx context.Context, dir, path string) ([]byte, error) {
	rel, err := filepath.Rel(dir, path)
	if err != nil {
		return nil, fmt.Errorf("output file %s: %w", path, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("output directory %s: %w", dir, err)
	}
	defer root.Close()
	f, err := root.OpenFile(rel, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		if fi, lerr := root.Lstat(rel); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 && !errors.Is(err, fs.ErrNotExist) {
			target, _ := root.Readlink(rel)
			return nil, &results.DataError{File: path, Err: fmt.Errorf("is a symbolic link to %s, outside the output directory %s; not followed", target, dir)}
		}
		return nil, fmt.Errorf("output file %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("output file %s: %w", path, err)
	}
	if err := results.CheckFileType(path, fi.Mode(), false); err != nil {
		return nil, err
	}
	if fi.Size() > maxOutputFile {
		return nil, &results.DataError{File: path, Err: &results.SizeError{Limit: maxOutputFile}}
	}
	var buf bytes.Buffer
	buf.Grow(int(fi.Size()) + 1)
	if _, err := buf.ReadFrom(results.LimitReader(ctxReader{ctx, f}, maxOutputFile)); err != nil {
		var de *results.DataError
		if errors.As(err, &de) {
			return nil, &results.DataError{File: path, Err: de.Err}
		}
		return nil, fmt.Errorf("reading output file %s: %w", path, err)
	}
	return buf.Bytes(), nil
}

// ctxReader reads r until ctx ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

// Read reads r, or fails with ctx's cause once ctx has ended.
func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, context.Cause(c.ctx)
	}
	return c.r.Read(p)
}
