package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/internal/testnet"
)

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
	testnet.NPMInstall(t, corpus, "axios@1.21.1", "@actions/core@3.0.1")
	testnet.NPMInstall(t, runtime, "@babel/runtime@8.1.2")
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

// ownFunction is a JavaScript function written for the tests, of 28
// lines; NAME stands for its name.
const ownFunction = `function NAME(target, path, value, options) {
  if (target === null || typeof target !== 'object') {
    throw new TypeError('NAME: target must be an object, got ' + typeof target);
  }
  var parts = Array.isArray(path) ? path.slice() : String(path).split(options && options.sep || '.');
  if (parts.length === 0 || parts.some(function (p) { return p === '__proto__' || p === 'prototype'; })) {
    return target;
  }
  var node = target;
  for (var depth = 0; depth < parts.length - 1; depth++) {
    var step = parts[depth];
    var next = node[step];
    if (next === undefined || next === null) {
      next = /^\d+$/.test(parts[depth + 1]) ? [] : {};
      node[step] = next;
    } else if (typeof next !== 'object') {
      if (options && options.strict) {
        throw new Error('NAME: ' + parts.slice(0, depth + 1).join('.') + ' is a ' + typeof next);
      }
      next = {};
      node[step] = next;
    }
    node = next;
  }
  var last = parts[parts.length - 1];
  node[last] = options && options.merge && typeof value === 'object' ? Object.assign({}, node[last], value) : value;
  return target;
}
`

// TestHelperNamedOwnCode indexes a GPL-3.0 directory holding a function
// of its own, under names that Babel also gives its helpers (_set,
// ownKeys, _extends) and under one it does not, and scans a file into
// which the function was pasted: a function is not a compiler's helper
// because of its name, and each copy is found and fails the policy.
func TestHelperNamedOwnCode(t *testing.T) {
	gpl, err := os.ReadFile("/usr/share/common-licenses/GPL-3")
	if err != nil {
		t.Skipf("no GPL-3 text: %v", err)
	}
	for _, name := range []string{"setPath", "_set", "ownKeys", "_extends"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			lib, target := filepath.Join(dir, "gpl-lib"), filepath.Join(dir, "app")
			os.MkdirAll(lib, 0o755)
			os.MkdirAll(target, 0o755)
			fn := strings.ReplaceAll(ownFunction, "NAME", name)
			os.WriteFile(filepath.Join(lib, "LICENSE"), gpl, 0o644)
			os.WriteFile(filepath.Join(lib, "path.js"), []byte("'use strict';\n\n"+fn+"\nmodule.exports = { "+name+": "+name+" };\n"), 0o644)
			os.WriteFile(filepath.Join(target, "config.js"), []byte("'use strict';\n\n// Settings of the application.\nconst defaults = { port: 8080 };\n\n"+
				fn+"\nfunction load(overrides) {\n  return Object.assign({}, defaults, overrides);\n}\n\nmodule.exports = { load: load };\n"), 0o644)
			db := filepath.Join(dir, "gpl.db")
			if r := snipscan(t, nil, "index", "--db", db, lib); r.code != 0 {
				t.Fatalf("index: %s", r.stderr)
			}
			doc, r := scanJSON(t, db, target)
			if r.code != 1 || len(doc.Files) != 1 || len(doc.Files[0].Matches) != 1 {
				t.Fatalf("exit %d, want 1 and one finding:\n%s\n%s", r.code, r.stdout, r.stderr)
			}
			if m := doc.Files[0].Matches[0]; m.Source.License != "GPL-3.0-only" && m.Source.License != "GPL-3.0-or-later" || m.Lines[0] > 7 || m.Lines[1] < 32 {
				t.Errorf("finding %+v, want lines 6-33 of GPL-3.0 code", m)
			}
		})
	}
}
