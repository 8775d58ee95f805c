package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// npmInstall installs the npm packages specs into dir/node_modules with
// the machine's npm, or skips the test where npm is missing.
func npmInstall(t *testing.T, dir string, specs ...string) {
	t.Helper()
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("npm not available")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	args := append([]string{"install", "--prefix", dir, "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock", "--no-save"}, specs...)
	if out, err := exec.CommandContext(ctx, npm, args...).CombinedOutput(); err != nil {
		t.Fatalf("npm install %v: %v\n%s", specs, err, out)
	}
}

// linesFrom returns the lines of the file at path from the first that
// starts with first to the first after it that equals last.
func linesFrom(t *testing.T, path, first, last string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, first) {
			continue
		}
		for j := i + 1; j < len(lines); j++ {
			if lines[j] == last {
				return strings.Join(lines[i:j+1], "\n") + "\n"
			}
		}
	}
	t.Fatalf("%s: no %q ... %q", path, first, last)
	return ""
}

// TestCompilerHelpers indexes two real npm packages whose builds hold the
// helpers Babel and TypeScript emit (axios's dist bundle: _createClass,
// _classCallCheck, _typeof...; @actions/core, compiled by tsc: __awaiter)
// and scans a build's helpers, made at test time from @babel/runtime's
// modules (inlined as Babel does: their functions named with an
// underscore) and from the __awaiter tsc wrote into @actions/core: they
// are the compiler's, not a package's, and give no finding. A real
// function of axios, pasted among code of our own, is still found.
func TestCompilerHelpers(t *testing.T) {
	dir := t.TempDir()
	corpus, runtime := filepath.Join(dir, "corpus"), filepath.Join(dir, "runtime")
	npmInstall(t, corpus, "axios@1.21.1", "@actions/core@3.0.1")
	npmInstall(t, runtime, "@babel/runtime@8.1.2")
	db := filepath.Join(dir, "npm.db")
	if r := snipscan(t, nil, "index", "--db", db, filepath.Join(corpus, "node_modules")); r.code != 0 {
		t.Fatalf("index: %s", r.stderr)
	}

	// The helpers of a build: tsc's __awaiter, then Babel's class helpers.
	var b strings.Builder
	b.WriteString("\"use strict\";\n")
	b.WriteString(linesFrom(t, filepath.Join(corpus, "node_modules/@actions/core/lib/core.js"), "var __awaiter = ", "};"))
	esm := filepath.Join(runtime, "node_modules/@babel/runtime/helpers/esm")
	mods := []string{"typeof", "toPrimitive", "toPropertyKey", "defineProperty", "classCallCheck", "createClass",
		"inherits", "setPrototypeOf", "getPrototypeOf", "assertThisInitialized", "possibleConstructorReturn"}
	inline := regexp.MustCompile(`\b(` + strings.Join(mods, "|") + `)\b`)
	for _, m := range mods {
		data, err := os.ReadFile(filepath.Join(esm, m+".js"))
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.SplitAfter(string(data), "\n") {
			if !strings.HasPrefix(l, "import ") && !strings.HasPrefix(l, "export ") {
				b.WriteString(inline.ReplaceAllString(l, "_$1"))
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("module.exports = {};\n")
	helpers := filepath.Join(dir, "helpers")
	os.MkdirAll(helpers, 0o755)
	os.WriteFile(filepath.Join(helpers, "bundle.js"), []byte(b.String()), 0o644)
	if doc, r := scanJSON(t, db, helpers); len(doc.Files) != 0 {
		t.Errorf("findings on compiler helpers:\n%s", r.stdout)
	}

	// A real function of axios among code of our own.
	fn := linesFrom(t, filepath.Join(corpus, "node_modules/axios/dist/axios.js"), "  function buildURL(", "  }")
	own := filepath.Join(dir, "own")
	os.MkdirAll(own, 0o755)
	os.WriteFile(filepath.Join(own, "client.js"), []byte("'use strict';\n\n// Our request helpers.\nconst base = 'https://example.invalid';\n\n"+
		fn+"\nmodule.exports = { base: base, buildURL: buildURL };\n"), 0o644)
	doc, r := scanJSON(t, db, own)
	if len(doc.Files) != 1 || len(doc.Files[0].Matches) == 0 {
		t.Fatalf("axios's buildURL not found:\n%s\n%s", r.stdout, r.stderr)
	}
	if m := doc.Files[0].Matches[0]; m.Source.Package != "axios" || m.Lines[0] > 7 || m.Lines[1] < 6+strings.Count(fn, "\n")-2 {
		t.Errorf("buildURL (lines 6-%d): finding %+v", 5+strings.Count(fn, "\n"), m)
	}
}
