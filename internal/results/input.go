package results

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// MaxFileBytes is the most bytes benchgate reads of an input it must hold
// whole: a results file in a JSON format (every format but Go benchmark
// text, which is streamed), each file of a Criterion directory, and a
// benchmark's {output} file (package runner). A larger input is an error
// wrapping a [*SizeError] (see [LimitReader]). docs/formats.md documents it.
const MaxFileBytes = 256 << 20

// maxFileBytes is MaxFileBytes; tests lower it.
var maxFileBytes int64 = MaxFileBytes

// SizeError reports an input larger than the limit on what is read of it.
type SizeError struct {
	Limit int64 // bytes
}

// Error returns "larger than the 256 MiB limit on …".
func (e *SizeError) Error() string {
	return fmt.Sprintf("larger than the %s limit on an input read whole", byteSize(e.Limit))
}

// LimitReader returns a reader of r that yields its first limit bytes and
// then, when r has more, fails with a [*DataError] wrapping a [*SizeError]
// (it names no file: the reader's caller does). It reads at most limit+1
// bytes of r.
func LimitReader(r io.Reader, limit int64) io.Reader {
	return &limitReader{r: r, left: limit, limit: limit}
}

type limitReader struct {
	r           io.Reader
	left, limit int64
}

// Read reads at most one byte past the limit, to see whether there is one.
func (l *limitReader) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, &DataError{Err: &SizeError{Limit: l.limit}}
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	if int64(n) > l.left {
		n, l.left = int(l.left), -1
		return n, &DataError{Err: &SizeError{Limit: l.limit}}
	}
	l.left -= int64(n)
	return n, err
}

// CheckFileType returns nil when mode is that of a regular file (or, with
// pipes, of a named or unnamed pipe), else a [*DataError] naming the file
// and what it is: benchgate never reads a device (/dev/zero never ends), a
// socket, or, without pipes, a FIFO (reading it waits for a writer that may
// never come).
func CheckFileType(name string, mode fs.FileMode, pipes bool) error {
	if mode.IsRegular() || pipes && mode&fs.ModeNamedPipe != 0 {
		return nil
	}
	want := "a regular file"
	if pipes {
		want = "a regular file or a pipe"
	}
	return &DataError{File: name, Err: fmt.Errorf("is a %s, not %s; not read", fileType(mode), want)}
}

// fileType names the type of a file mode.
func fileType(mode fs.FileMode) string {
	switch {
	case mode&fs.ModeNamedPipe != 0:
		return "named pipe (FIFO)"
	case mode&fs.ModeCharDevice != 0:
		return "character device"
	case mode&fs.ModeDevice != 0:
		return "block device"
	case mode&fs.ModeSocket != 0:
		return "socket"
	case mode&fs.ModeSymlink != 0:
		return "symbolic link"
	case mode.IsDir():
		return "directory"
	}
	return "irregular file"
}

// byteSize formats n as "256 MiB", "4 KiB" or "100 bytes".
func byteSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// readFSFile reads file name of fsys, shown as shown in errors: a regular
// file (checked before it is opened and after) of at most maxFileBytes.
func readFSFile(fsys fs.FS, name, shown string) ([]byte, error) {
	fi, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if err := CheckFileType(shown, fi.Mode(), false); err != nil {
		return nil, err
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := CheckFileType(shown, fi.Mode(), false); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(LimitReader(f, maxFileBytes))
	var de *DataError
	if errors.As(err, &de) && de.File == "" {
		return nil, &DataError{File: shown, Err: de.Err}
	}
	return data, err
}
