package fingerprint

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// npmInstall installs the npm packages specs into dir/node_modules with the
// machine's npm, or skips the test where npm is missing.
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

// declaredAt returns the token index of each "function NAME(" of src
// that starts its line, after "export" at most (a top-level declaration),
// by name.
func declaredAt(src []byte, toks []Token) map[string]int {
	out := map[string]int{}
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].Sym != symFunction || toks[i+1].Sym != SymIdent {
			continue
		}
		lineStart := int(toks[i].Off)
		for lineStart > 0 && src[lineStart-1] != '\n' {
			lineStart--
		}
		if before := string(src[lineStart:toks[i].Off]); before != "" && before != "export " {
			continue
		}
		out[string(src[toks[i+1].Off:toks[i+1].End])] = i
	}
	return out
}

// TestHelpersOfBabelAndTypeScript installs the packages that ship the
// helpers Babel and TypeScript emit (@babel/runtime 7 and 8, tslib 1 and
// 2) and checks that Helpers knows them all: every helper module's name
// with Babel's underscore, every function the modules declare at their
// top level (a helper's own helpers: ownKeys, asyncGeneratorStep), and
// every helper of tslib, whose declarations are then spans that no
// fingerprint of File falls within.
func TestHelpersOfBabelAndTypeScript(t *testing.T) {
	dir := t.TempDir()
	npmInstall(t, dir, "babel7@npm:@babel/runtime@7.29.17", "babel8@npm:@babel/runtime@8.1.2",
		"tslib1@npm:tslib@1.14.1", "tslib2@npm:tslib@2.9.1")
	f, err := New(Params{})
	if err != nil {
		t.Fatal(err)
	}
	modules := 0
	for _, pkg := range []string{"babel7", "babel8"} {
		paths, _ := filepath.Glob(filepath.Join(dir, "node_modules", pkg, "helpers", "esm", "*.js"))
		if len(paths) < 50 {
			t.Fatalf("%s: %d helper modules", pkg, len(paths))
		}
		names := map[string]bool{}
		for _, p := range paths {
			names[strings.TrimSuffix(filepath.Base(p), ".js")] = true
		}
		for _, p := range paths {
			modules++
			name := strings.TrimSuffix(filepath.Base(p), ".js")
			if !isHelper([]byte("_" + name)) {
				t.Errorf("%s: _%s is not a helper", pkg, name)
			}
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			// The module's own function is inlined as _name, its helpers
			// under their names.
			toks := Tokenize(JavaScript, src, nil)
			spans := Helpers(JavaScript, src, toks, nil)
			for fn, at := range declaredAt(src, toks) {
				if names[fn] && !isHelper([]byte(fn)) {
					continue // the module's export, named without the underscore it gets inlined
				}
				if !slices.ContainsFunc(spans, func(s [2]int32) bool { return s[0] == int32(at) }) {
					t.Errorf("%s %s: function %s is not a helper", pkg, filepath.Base(p), fn)
				}
			}
		}
	}
	for _, pkg := range []string{"tslib1", "tslib2"} {
		p := filepath.Join(dir, "node_modules", pkg, "tslib.es6.js")
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		res := f.File(JavaScript, src)
		spans := Helpers(JavaScript, src, res.Tokens, nil)
		decls := declaredAt(src, res.Tokens)
		if len(decls) < 20 {
			t.Fatalf("%s: %d functions", pkg, len(decls))
		}
		for fn, at := range decls {
			if !slices.ContainsFunc(spans, func(s [2]int32) bool { return s[0] == int32(at) }) {
				t.Errorf("%s: function %s is not a helper", pkg, fn)
			}
		}
		for _, fp := range res.Fingerprints {
			for _, s := range spans {
				if fp.Pos >= s[0] && fp.Pos+int32(f.p.K) <= s[1] {
					t.Errorf("%s: a fingerprint at line %d, inside a helper", pkg, fp.Line)
				}
			}
		}
	}
	t.Logf("%d helper modules of @babel/runtime", modules)
}

// TestHelpers checks the forms of helper declarations Helpers knows, on
// code written for this test: where each ends, and that functions whose
// names Babel also gives (_loop, _callee: the bodies of loops and async
// functions, the package's own code) or that merely start with an
// underscore are not helpers.
func TestHelpers(t *testing.T) {
	src := `"use strict";
var __awaiter = (this && this.__awaiter) || function (a, b) {
    return new Promise(function (resolve) { resolve(a + b); });
};
var total = 0;
function _classCallCheck$1(a, n) {
  if (!(a instanceof n)) throw new TypeError("not a class");
}
function _loop(i) {
  total += i;
}
var _callee = function _callee() {
  return total;
};
function _sum(list) {
  return list.reduce(function (a, b) { return a + b; }, 0);
}
__extends = function (d, b) {
  d.prototype = Object.create(b.prototype);
}
var __assign = Object.assign ||
    function (t) { return t; }
module.exports = { total: total };
`
	toks := Tokenize(JavaScript, []byte(src), nil)
	var got []string
	for _, s := range Helpers(JavaScript, []byte(src), toks, nil) {
		got = append(got, regexp.MustCompile(`\s+`).ReplaceAllString(src[toks[s[0]].Off:toks[s[1]-1].End], " "))
	}
	want := []string{
		"var __awaiter = (this && this.__awaiter) || function (a, b) { return new Promise(function (resolve) { resolve(a + b); }); }",
		`function _classCallCheck$1(a, n) { if (!(a instanceof n)) throw new TypeError("not a class"); }`,
		"__extends = function (d, b) { d.prototype = Object.create(b.prototype); }",
		"var __assign = Object.assign || function (t) { return t; }",
	}
	if !slices.Equal(got, want) {
		t.Errorf("helpers:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if h := Helpers(Go, []byte(src), toks, nil); len(h) != 0 {
		t.Errorf("helpers in Go: %v", h)
	}
}
