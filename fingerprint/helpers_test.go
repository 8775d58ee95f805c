package fingerprint

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/internal/testnet"
)

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
	testnet.NPMInstall(t, dir, "babel7@npm:@babel/runtime@7.29.17", "babel8@npm:@babel/runtime@8.1.2",
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
			if !(helperKindOf([]byte("_"+name)) != notHelper) {
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
				if names[fn] && helperKindOf([]byte(fn)) == notHelper {
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

// TestGenericHelperNames checks, on code written for this test, when a
// function with the name of a helper that people give their own
// functions too (_get, _set, ownKeys, __extends) is a helper: not alone,
// but beside a helper of a distinctive name (a compiler wrote the file's
// helpers), or behind TypeScript's guard.
func TestGenericHelperNames(t *testing.T) {
	own := `function _get(store, key) {
  var hit = store.cache[key];
  return hit === undefined ? store.load(key) : hit;
}
function ownKeys(record) {
  return Object.keys(record).filter(function (k) { return k.charAt(0) !== "_"; });
}
__extends = function (list, more) {
  list.push.apply(list, more);
}
`
	distinct := `function _classCallCheck(a, n) {
  if (!(a instanceof n)) throw new TypeError("not a class");
}
`
	guarded := `var __extends = (this && this.__extends) || function (d, b) {
  d.prototype = Object.create(b.prototype);
};
`
	count := func(src string) int {
		toks := Tokenize(JavaScript, []byte(src), nil)
		return len(Helpers(JavaScript, []byte(src), toks, nil))
	}
	for _, tc := range []struct {
		name, src string
		want      int
	}{
		{"own functions named like helpers", own, 0},
		{"beside a distinctive helper", own + distinct, 4},
		{"behind TypeScript's guard", own + guarded, 1},
	} {
		if got := count(tc.src); got != tc.want {
			t.Errorf("%s: %d helpers, want %d", tc.name, got, tc.want)
		}
	}
}

var updateShapes = flag.Bool("update", false, "TestHelperShapes: rewrite helpershapes.go from the npm packages")

// helperShapeVersions are the versions of @babel/runtime and tslib whose
// helpers give helperShapes: the last release of every minor version.
var helperShapeVersions = map[string][]string{
	"@babel/runtime": {"7.0.0", "7.1.5", "7.2.0", "7.3.4", "7.4.5", "7.5.5", "7.6.3", "7.7.7", "7.8.7", "7.9.6",
		"7.10.5", "7.11.2", "7.12.18", "7.13.17", "7.14.8", "7.15.4", "7.16.7", "7.17.9", "7.18.9", "7.19.4",
		"7.20.13", "7.21.5", "7.22.15", "7.23.9", "7.24.8", "7.25.9", "7.26.10", "7.27.6", "7.28.6", "7.29.17",
		"8.0.10", "8.1.4"},
	"tslib": {"1.9.3", "1.10.0", "1.11.2", "1.12.0", "1.13.0", "1.14.1", "2.0.3", "2.1.0", "2.2.0", "2.3.1",
		"2.4.1", "2.5.3", "2.6.3", "2.7.0", "2.8.1", "2.9.1"},
}

// helperShapeFiles are the files of each package that hold its helpers.
var helperShapeFiles = map[string][]string{
	"@babel/runtime": {"helpers/*.js", "helpers/esm/*.js"},
	"tslib":          {"tslib.js", "tslib.es6.js", "tslib.es6.mjs"},
}

// TestHelperShapes installs the versions of @babel/runtime and tslib of
// helperShapeVersions and checks that helpershapes.go holds the shapes of
// their declarations of generic helper names, no more, no fewer: run it
// with -update to write the file anew (after a change of the
// tokenization, or to add versions).
func TestHelperShapes(t *testing.T) {
	dir := t.TempDir()
	var specs, aliases []string
	for _, pkg := range slices.Sorted(maps.Keys(helperShapeVersions)) {
		for _, v := range helperShapeVersions[pkg] {
			alias := strings.TrimPrefix(strings.ReplaceAll(pkg, "/", "-"), "@") + "-" + v
			specs = append(specs, alias+"@npm:"+pkg+"@"+v)
			aliases = append(aliases, alias)
		}
	}
	testnet.NPMInstall(t, dir, specs...)
	shapes := map[uint64]bool{}
	for _, alias := range aliases {
		pkg := "tslib"
		if strings.HasPrefix(alias, "babel") {
			pkg = "@babel/runtime"
		}
		n := 0
		for _, pattern := range helperShapeFiles[pkg] {
			paths, _ := filepath.Glob(filepath.Join(dir, "node_modules", alias, pattern))
			for _, p := range paths {
				src, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				n += genericShapes(src, shapes)
			}
		}
		if n == 0 {
			t.Fatalf("%s: no declaration of a generic helper name", alias)
		}
	}
	var b bytes.Buffer
	b.WriteString("// Code generated by \"go test ./fingerprint -run TestHelperShapes -update\"; DO NOT EDIT.\n\npackage fingerprint\n\n")
	b.WriteString("// helperShapes are the shapes (helperShape) of the declarations of\n// generic helper names (genericHelpers) in the helpers of\n")
	var credit []string
	for _, pkg := range slices.Sorted(maps.Keys(helperShapeVersions)) {
		credit = append(credit, pkg+" "+strings.Join(helperShapeVersions[pkg], ", "))
	}
	line := "//"
	for _, w := range strings.Fields(strings.Join(credit, "; and ") + ": hashes of their tokens, not their text.") {
		if len(line)+1+len(w) > 76 {
			b.WriteString(line + "\n")
			line = "//"
		}
		line += " " + w
	}
	b.WriteString(line + "\nvar helperShapes = map[uint64]bool{\n")
	for _, s := range slices.Sorted(maps.Keys(shapes)) {
		fmt.Fprintf(&b, "\t%#016x: true,\n", s)
	}
	b.WriteString("}\n")
	want, err := format.Source(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if *updateShapes {
		if err := os.WriteFile("helpershapes.go", want, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%d shapes written", len(shapes))
		return
	}
	if got, err := os.ReadFile("helpershapes.go"); err != nil || !bytes.Equal(got, want) {
		t.Errorf("helpershapes.go is not the shapes of the packages' helpers (%d of them): run go test ./fingerprint -run TestHelperShapes -update", len(shapes))
	}
}

// genericShapes adds to shapes the shapes of the declarations of generic
// helper names in the JavaScript src, as Helpers finds them, and returns
// how many it found.
func genericShapes(src []byte, shapes map[uint64]bool) int {
	toks := Tokenize(JavaScript, src, nil)
	h := helperScan{src: src, toks: toks}
	n := 0
	for i := 0; i < len(toks); i++ {
		kind, value, end := h.declaration(i)
		if end <= i {
			continue
		}
		if kind == genericHelper {
			shapes[helperShape(toks[value:end])] = true
			n++
		}
		i = end - 1
	}
	return n
}
