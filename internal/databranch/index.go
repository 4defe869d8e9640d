package databranch

import (
	"bufio"
	"bytes"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/benchgate/benchgate/internal/store"
)

// IndexFile is the branch's list of the run attempts that DBFile holds,
// written with it by each compaction: an append Save reads it instead of
// the database, and fetches the branch without the database at all (see
// fetchFilter).
const IndexFile = "benchgate.duckdb.runs"

// indexHeader is the first line of IndexFile, with its format version.
const indexHeader = "benchgate database runs 1"

// encodeIndex is IndexFile for the database of blob dbBlob holding runs:
// the header, "db <blob SHA>", then one "<escaped run id>.<attempt>" per
// line, as run file names escape them.
func encodeIndex(dbBlob string, runs []store.Run) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\ndb %s\n", indexHeader, dbBlob)
	for _, r := range runs {
		fmt.Fprintf(&b, "%s.%d\n", url.PathEscape(r.ID), r.Attempt)
	}
	return b.Bytes()
}

// parseIndex returns the run attempts of an IndexFile, and false when it
// is not one of this format or describes another database than dbBlob (a
// database replaced by hand): the database is then read instead.
func parseIndex(data []byte, dbBlob string) (map[runKey]bool, bool) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	if !sc.Scan() || sc.Text() != indexHeader || !sc.Scan() || sc.Text() != "db "+dbBlob {
		return nil, false
	}
	out := map[runKey]bool{}
	for sc.Scan() {
		line := sc.Text()
		i := strings.LastIndexByte(line, '.')
		if i <= 0 {
			return nil, false
		}
		n, err := strconv.Atoi(line[i+1:])
		if err != nil || n < 1 {
			return nil, false
		}
		id, err := url.PathUnescape(line[:i])
		if err != nil {
			return nil, false
		}
		out[runKey{id, n}] = true
	}
	return out, sc.Err() == nil
}
