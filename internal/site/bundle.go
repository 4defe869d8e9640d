package site

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// dist is the application bundled from web/ by scripts/build-web.sh. Only
// its README is committed: a binary built before the bundler ran has no
// application, and says so (ErrNoBundle) rather than publishing a site
// without one.
//
//go:embed all:dist
var dist embed.FS

// ErrNoBundle is returned when the binary was built without the site's
// application.
var ErrNoBundle = errors.New("this benchgate was built without the site's application: run scripts/build-web.sh (Node.js 20 and npm), then build benchgate again")

// Bundle returns the application's files (index.html, assets/…), or
// ErrNoBundle.
func Bundle() (fs.FS, error) {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil, err
	}
	if _, err := fs.Stat(sub, "index.html"); err != nil {
		return nil, ErrNoBundle
	}
	return sub, nil
}

// sqlAssets is the bundle's directory of DuckDB-WASM, which only the SQL
// tab loads.
const sqlAssets = "assets/duckdb"

// copyBundle copies the application's files into dir; those of the SQL
// tab (sqlAssets, 34 MB) only when withSQL: without the downloads, the
// site has no tables and no SQL tab.
func copyBundle(dir string, withSQL bool) (files int, bytes int64, err error) {
	b, err := Bundle()
	if err != nil {
		return 0, 0, err
	}
	err = fs.WalkDir(b, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && p == sqlAssets && !withSQL {
			return fs.SkipDir
		}
		if err != nil || d.IsDir() || p == "README.md" {
			return err
		}
		data, err := fs.ReadFile(b, p)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		files++
		bytes += int64(len(data))
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		return files, bytes, fmt.Errorf("copying the site's application: %w", err)
	}
	return files, bytes, nil
}
