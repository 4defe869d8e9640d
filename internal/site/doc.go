// Package site writes benchgate's reports site: static files that GitHub
// Pages (or any file server) serves, read by a browser application with no
// server behind it (docs/site.md).
//
// Build reads the store — the main branch analysed by internal/history (the
// code of benchgate changes), the other branches' points, suites, errors,
// the hardware the runs recorded — and writes the data files of
// docs/site-data.md: a small manifest for the overview, a series catalogue
// for search, a commit list, and one file per series (its newest points,
// older ones in chunks), never one monolithic data file, so that 10,000
// series stay fast. Downloads (every table as Parquet and CSV, the DuckDB
// file) come from the store's Export. Publish pushes a site as one
// parentless commit; Server serves one live (benchgate serve); WriteReport
// writes the same site as one self-contained HTML file (benchgate report).
//
// The application itself lives in web/ and is bundled by esbuild into dist,
// which this package embeds (Bundle). Its dependencies, declared with a
// lockfile in web/package.json, were chosen as follows: uPlot for the charts
// (a maintained canvas chart library of about 50 KB that draws 1,000-point
// series with zoom, pan and cursor sync in milliseconds, where Apache
// ECharts is ten times its size), and @duckdb/duckdb-wasm for the SQL tab
// (the same engine as the store, so the published tables are queried with
// the same SQL; loaded only when the tab opens). No file is fetched from
// another host, and every string of the data is rendered as text under a
// Content Security Policy that allows no inline code (ContentSecurityPolicy;
// WriteReport allows its two inline elements by hash).
//
// The browser tests drive Debian's Chromium with github.com/chromedp/chromedp
// (the maintained Go client of the DevTools protocol: no Node.js test runner
// or WebDriver server needed, and the events it exposes — console,
// exceptions, dialogs, requests — are what the tests assert on).
package site
