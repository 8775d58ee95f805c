package pkgmeta

import (
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/package-url/packageurl-go"
)

// detectCase is one in-memory directory and the package expected from it.
type detectCase struct {
	name    string
	dir     mapDir
	want    *Package // nil: not a package root
	wantErr bool
}

func runDetectCases(t *testing.T, tests []detectCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := detectMap(tt.dir)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Detect error = %v, wantErr %v", err, tt.wantErr)
			}
			if tt.wantErr {
				if got != nil {
					t.Fatalf("Detect returned %+v with an error", got)
				}
				return
			}
			switch {
			case got == nil && tt.want == nil:
			case got == nil || tt.want == nil || *got != *tt.want:
				t.Fatalf("Detect =\n %+v\nwant\n %+v", got, tt.want)
			}
		})
	}
}

func TestDetectNPM(t *testing.T) {
	t.Parallel()
	runDetectCases(t, []detectCase{
		{name: "basic", dir: mapDir{"package.json": `{"name": "left-pad", "version": "1.3.0", "license": "WTFPL"}`},
			want: pkg("npm", "left-pad", "1.3.0", "pkg:npm/left-pad@1.3.0", "WTFPL", "package.json")},
		{name: "scoped", dir: mapDir{"package.json": `{"name": "@scope/name", "version": "1.2.3", "license": "Apache-2.0 OR MIT"}`},
			want: pkg("npm", "@scope/name", "1.2.3", "pkg:npm/%40scope/name@1.2.3", "Apache-2.0 OR MIT", "package.json")},
		{name: "license object", dir: mapDir{"package.json": `{"name": "a", "version": "0.1.0", "license": {"type": "ISC", "url": "https://example.com"}}`},
			want: pkg("npm", "a", "0.1.0", "pkg:npm/a@0.1.0", "ISC", "package.json")},
		{name: "legacy licenses", dir: mapDir{"package.json": `{"name": "a", "licenses": [{"type": "MIT"}, {"type": "GPL-2.0"}, {"type": "MIT"}]}`},
			want: pkg("npm", "a", "", "pkg:npm/a", "MIT OR GPL-2.0", "package.json")},
		{name: "legacy licenses strings", dir: mapDir{"package.json": `{"name": "a", "licenses": ["BSD-3-Clause"]}`},
			want: pkg("npm", "a", "", "pkg:npm/a", "BSD-3-Clause", "package.json")},
		{name: "license wins over licenses", dir: mapDir{"package.json": `{"name": "a", "license": "MIT", "licenses": [{"type": "GPL-2.0"}]}`},
			want: pkg("npm", "a", "", "pkg:npm/a", "MIT", "package.json")},
		{name: "see license in", dir: mapDir{"package.json": `{"name": "a", "version": "2.0.0", "license": "SEE LICENSE IN LICENSE.txt"}`},
			want: pkg("npm", "a", "2.0.0", "pkg:npm/a@2.0.0", "SEE LICENSE IN LICENSE.txt", "package.json")},
		{name: "numeric version", dir: mapDir{"package.json": `{"name": "a", "version": 1}`},
			want: pkg("npm", "a", "1", "pkg:npm/a@1", "", "package.json")},
		{name: "no name with license", dir: mapDir{"package.json": `{"private": true, "license": "MIT"}`},
			want: pkg("npm", "", "", "", "MIT", "package.json")},
		{name: "workspace root", dir: mapDir{"package.json": `{"private": true, "workspaces": ["packages/*"]}`}},
		{name: "fixture", dir: mapDir{"package.json": `{}`}},
		{name: "null", dir: mapDir{"package.json": `null`}},
		{name: "syntax error", dir: mapDir{"package.json": `{"name": "a",}`}, wantErr: true},
		{name: "truncated", dir: mapDir{"package.json": `{"name": "a"`}, wantErr: true},
		{name: "array", dir: mapDir{"package.json": `["a"]`}, wantErr: true},
		{name: "name not string", dir: mapDir{"package.json": `{"name": 5}`}, wantErr: true},
		{name: "version object", dir: mapDir{"package.json": `{"name": "a", "version": {}}`}, wantErr: true},
		{name: "license number", dir: mapDir{"package.json": `{"name": "a", "license": 3}`}, wantErr: true},
		{name: "license type number", dir: mapDir{"package.json": `{"name": "a", "license": {"type": 3}}`}, wantErr: true},
		{name: "keys are case-sensitive", dir: mapDir{"package.json": `{"Name": "a", "License": "MIT"}`}},
		{name: "scope without name", dir: mapDir{"package.json": `{"name": "@0/"}`}, wantErr: true},
		{name: "bare scope", dir: mapDir{"package.json": `{"name": "@scope"}`}, wantErr: true},
		{name: "empty scope", dir: mapDir{"package.json": `{"name": "@/x"}`}, wantErr: true},
		{name: "slash without scope", dir: mapDir{"package.json": `{"name": "a/b"}`}, wantErr: true},
		{name: "space in name", dir: mapDir{"package.json": `{"name": "a b"}`}, wantErr: true},
		{name: "nested arrays", dir: mapDir{"package.json": `{"name": "a", "licenses": [["MIT"]]}`}, wantErr: true},
	})
}

func TestDetectCargo(t *testing.T) {
	t.Parallel()
	runDetectCases(t, []detectCase{
		{name: "basic", dir: mapDir{"Cargo.toml": "[package]\nname = \"mycrate\"\nversion = \"1.0.0\"\nlicense = \"MIT OR Apache-2.0\"\nedition = \"2021\"\n\n[dependencies]\nfoo = \"1\"\n"},
			want: pkg("cargo", "mycrate", "1.0.0", "pkg:cargo/mycrate@1.0.0", "MIT OR Apache-2.0", "Cargo.toml")},
		{name: "license file", dir: mapDir{"Cargo.toml": "[package]\nname = \"c\"\nversion = \"0.1.0\"\nlicense-file = \"COPYING\"\n"},
			want: pkg("cargo", "c", "0.1.0", "pkg:cargo/c@0.1.0", "SEE LICENSE IN COPYING", "Cargo.toml")},
		{name: "workspace inherited", dir: mapDir{"Cargo.toml": "[package]\nname = \"member\"\nversion.workspace = true\nlicense.workspace = true\n"},
			want: pkg("cargo", "member", "", "pkg:cargo/member", "", "Cargo.toml")},
		{name: "workspace inherited inline", dir: mapDir{"Cargo.toml": "[package]\nname = \"member\"\nversion = { workspace = true }\nlicense = \"MIT\"\n"},
			want: pkg("cargo", "member", "", "pkg:cargo/member", "MIT", "Cargo.toml")},
		{name: "virtual workspace", dir: mapDir{"Cargo.toml": "[workspace]\nmembers = [\"a\", \"b\"]\n\n[workspace.package]\nversion = \"1.0.0\"\nlicense = \"MIT\"\n"}},
		{name: "syntax error", dir: mapDir{"Cargo.toml": "[package\nname = \"x\"\n"}, wantErr: true},
		{name: "duplicate key", dir: mapDir{"Cargo.toml": "[package]\nname = \"x\"\nname = \"y\"\n"}, wantErr: true},
		{name: "name not string", dir: mapDir{"Cargo.toml": "[package]\nname = 3\n"}, wantErr: true},
		{name: "name inherited", dir: mapDir{"Cargo.toml": "[package]\nname.workspace = true\n"}, wantErr: true},
		{name: "version array", dir: mapDir{"Cargo.toml": "[package]\nname = \"x\"\nversion = [1]\n"}, wantErr: true},
		{name: "package not table", dir: mapDir{"Cargo.toml": "package = 1\n"}, wantErr: true},
	})
}

func TestDetectPyproject(t *testing.T) {
	t.Parallel()
	runDetectCases(t, []detectCase{
		{name: "pep621", dir: mapDir{"pyproject.toml": "[build-system]\nrequires = [\"hatchling\"]\n\n[project]\nname = \"My_Package\"\nversion = \"2.1.0\"\nlicense = \"BSD-3-Clause\"\n"},
			want: pkg("pypi", "My_Package", "2.1.0", "pkg:pypi/my-package@2.1.0", "BSD-3-Clause", "pyproject.toml")},
		{name: "license text", dir: mapDir{"pyproject.toml": "[project]\nname = \"a\"\nversion = \"1\"\nlicense = {text = \"MIT License\"}\n"},
			want: pkg("pypi", "a", "1", "pkg:pypi/a@1", "MIT License", "pyproject.toml")},
		{name: "license file", dir: mapDir{"pyproject.toml": "[project]\nname = \"a\"\nlicense = {file = \"LICENSE.txt\"}\ndynamic = [\"version\"]\n"},
			want: pkg("pypi", "a", "", "pkg:pypi/a", "SEE LICENSE IN LICENSE.txt", "pyproject.toml")},
		{name: "classifiers", dir: mapDir{"pyproject.toml": "[project]\nname = \"a.b\"\nversion = \"0.9\"\nclassifiers = [\n  \"Programming Language :: Python :: 3\",\n  \"License :: OSI Approved\",\n  \"License :: OSI Approved :: MIT License\",\n]\n"},
			want: pkg("pypi", "a.b", "0.9", "pkg:pypi/a-b@0.9", "MIT License", "pyproject.toml")},
		{name: "two classifiers", dir: mapDir{"pyproject.toml": "[project]\nname = \"a\"\nclassifiers = [\"License :: OSI Approved :: Apache Software License\", \"License :: OSI Approved :: MIT License\"]\n"},
			want: pkg("pypi", "a", "", "pkg:pypi/a", "Apache Software License OR MIT License", "pyproject.toml")},
		{name: "poetry", dir: mapDir{"pyproject.toml": "[tool.poetry]\nname = \"poet\"\nversion = \"0.1.0\"\nlicense = \"GPL-3.0-or-later\"\n\n[tool.black]\nline-length = 88\n"},
			want: pkg("pypi", "poet", "0.1.0", "pkg:pypi/poet@0.1.0", "GPL-3.0-or-later", "pyproject.toml")},
		{name: "project over poetry", dir: mapDir{"pyproject.toml": "[project]\nname = \"p\"\nversion = \"2.0\"\n\n[tool.poetry]\nname = \"q\"\nversion = \"1.0\"\nlicense = \"MIT\"\n"},
			want: pkg("pypi", "p", "2.0", "pkg:pypi/p@2.0", "MIT", "pyproject.toml")},
		{name: "tool settings only", dir: mapDir{"pyproject.toml": "[tool.ruff]\nline-length = 100\n"}},
		{name: "syntax error", dir: mapDir{"pyproject.toml": "[project\nname = \"a\"\n"}, wantErr: true},
		{name: "bad string", dir: mapDir{"pyproject.toml": "[project]\nname = \"a\nversion = \"1\"\n"}, wantErr: true},
		{name: "license number", dir: mapDir{"pyproject.toml": "[project]\nname = \"a\"\nlicense = 1\n"}, wantErr: true},
		{name: "license text number", dir: mapDir{"pyproject.toml": "[project]\nname = \"a\"\nlicense = {text = 1}\n"}, wantErr: true},
		{name: "classifiers not array", dir: mapDir{"pyproject.toml": "[project]\nname = \"a\"\nclassifiers = \"License :: MIT\"\n"}, wantErr: true},
		{name: "classifier not string", dir: mapDir{"pyproject.toml": "[project]\nname = \"a\"\nclassifiers = [1]\n"}, wantErr: true},
	})
}

func TestDetectSetupCfg(t *testing.T) {
	t.Parallel()
	runDetectCases(t, []detectCase{
		{name: "basic", dir: mapDir{"setup.cfg": "[metadata]\nname = snake_oil\nversion = 0.4.2\nlicense = MIT\n\n[options]\npackages = find:\n"},
			want: pkg("pypi", "snake_oil", "0.4.2", "pkg:pypi/snake-oil@0.4.2", "MIT", "setup.cfg")},
		{name: "colon and case", dir: mapDir{"setup.cfg": "; comment\n[metadata]\nName: a\nVERSION: 1.0\nLicense: Apache License 2.0\n"},
			want: pkg("pypi", "a", "1.0", "pkg:pypi/a@1.0", "Apache License 2.0", "setup.cfg")},
		{name: "attr version and classifiers", dir: mapDir{"setup.cfg": "[metadata]\nname = a\nversion = attr: a.__version__\nclassifiers =\n    Programming Language :: Python\n    License :: OSI Approved :: BSD License\n"},
			want: pkg("pypi", "a", "", "pkg:pypi/a", "BSD License", "setup.cfg")},
		{name: "license files", dir: mapDir{"setup.cfg": "[metadata]\nname = a\nlicense_files =\n    LICENSE\n    NOTICE\n"},
			want: pkg("pypi", "a", "", "pkg:pypi/a", "SEE LICENSE IN LICENSE, NOTICE", "setup.cfg")},
		{name: "multiline license", dir: mapDir{"setup.cfg": "[metadata]\nname = a\nlicense = GPL\n  with exception\n"},
			want: pkg("pypi", "a", "", "pkg:pypi/a", "GPL\nwith exception", "setup.cfg")},
		{name: "tool settings only", dir: mapDir{"setup.cfg": "[flake8]\nmax-line-length = 100\nexclude =\n    .git\n"}},
		{name: "key outside section", dir: mapDir{"setup.cfg": "name = a\n[metadata]\n"}, wantErr: true},
		{name: "unterminated header", dir: mapDir{"setup.cfg": "[metadata\nname = a\n"}, wantErr: true},
		{name: "not a key", dir: mapDir{"setup.cfg": "[metadata]\njust words\n"}, wantErr: true},
		{name: "invalid utf8", dir: mapDir{"setup.cfg": "[metadata]\nname = \xff\n"}, wantErr: true},
	})
}

func TestDetectGemspec(t *testing.T) {
	t.Parallel()
	runDetectCases(t, []detectCase{
		{name: "basic", dir: mapDir{"shiny.gemspec": "# frozen_string_literal: true\n# s.license = \"GPL-2.0\"\nGem::Specification.new do |spec|\n  spec.name          = \"shiny\"\n  spec.version       = \"1.4.2\"\n  spec.required_ruby_version = \">= 2.7\"\n  spec.license       = \"MIT\"\nend\n"},
			want: pkg("gem", "shiny", "1.4.2", "pkg:gem/shiny@1.4.2", "MIT", "shiny.gemspec")},
		{name: "licenses array frozen", dir: mapDir{"x.gemspec": "Gem::Specification.new do |s|\n  s.name = \"x\".freeze\n  s.version = \"0.1.0\"\n  s.licenses = [\"MIT\".freeze, 'Ruby'.freeze]\nend\n"},
			want: pkg("gem", "x", "0.1.0", "pkg:gem/x@0.1.0", "MIT OR Ruby", "x.gemspec")},
		{name: "percent w and constant version", dir: mapDir{"y.gemspec": "Gem::Specification.new do |gem|\n  gem.name = %q{why}\n  gem.version = Y::VERSION\n  gem.licenses = %w[BSD-2-Clause Apache-2.0]\nend\n"},
			want: pkg("gem", "why", "", "pkg:gem/why", "BSD-2-Clause OR Apache-2.0", "y.gemspec")},
		{name: "new with arguments", dir: mapDir{"z.gemspec": "Gem::Specification.new 'zed', '3.0' do |s|\n  s.license = 'Apache-2.0'\nend\n"},
			want: pkg("gem", "zed", "3.0", "pkg:gem/zed@3.0", "Apache-2.0", "z.gemspec")},
		{name: "name from file", dir: mapDir{"fallback.gemspec": "Gem::Specification.new do |s|\n  s.name = NAME\n  s.version = \"#{V}.1\"\nend\n"},
			want: pkg("gem", "fallback", "", "pkg:gem/fallback", "", "fallback.gemspec")},
		{name: "first of several", dir: mapDir{"b.gemspec": "s.name = 'b'\n", "a.gemspec": "s.name = 'a'\n"},
			want: pkg("gem", "a", "", "pkg:gem/a", "", "a.gemspec")},
		{name: "binary junk", dir: mapDir{"j.gemspec": "\x00\xff\xfe s.name = \n\""},
			want: pkg("gem", "j", "", "pkg:gem/j", "", "j.gemspec")},
		{name: "bare suffix is not a gemspec", dir: mapDir{".gemspec": "s.name = 'a'\n"}},
	})
}

func TestDetectPOM(t *testing.T) {
	t.Parallel()
	const head = `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
`
	runDetectCases(t, []detectCase{
		{name: "basic", dir: mapDir{"pom.xml": head + `  <groupId>org.example</groupId>
  <artifactId>widget</artifactId>
  <version>1.2.3</version>
  <licenses>
    <license>
      <name>The Apache Software License, Version 2.0</name>
      <url>https://www.apache.org/licenses/LICENSE-2.0.txt</url>
    </license>
  </licenses>
  <dependencies><dependency><groupId>x</groupId><artifactId>y</artifactId><version>9</version></dependency></dependencies>
</project>`},
			want: pkg("maven", "org.example:widget", "1.2.3", "pkg:maven/org.example/widget@1.2.3", "The Apache Software License, Version 2.0", "pom.xml")},
		{name: "parent and properties", dir: mapDir{"pom.xml": head + `  <parent><groupId>org.parent</groupId><artifactId>p</artifactId><version>7</version></parent>
  <artifactId>child</artifactId>
  <version>${revision}${changelist}</version>
  <properties><revision>2.0.${patch}</revision><patch>1</patch><changelist>-SNAPSHOT</changelist></properties>
  <licenses><license><name>MIT</name></license><license><url>https://example.com/L</url></license></licenses>
</project>`},
			want: pkg("maven", "org.parent:child", "2.0.1-SNAPSHOT", "pkg:maven/org.parent/child@2.0.1-SNAPSHOT", "MIT OR https://example.com/L", "pom.xml")},
		{name: "parent version", dir: mapDir{"pom.xml": head + `<parent><groupId>g</groupId><version>3</version></parent><artifactId>a</artifactId></project>`},
			want: pkg("maven", "g:a", "3", "pkg:maven/g/a@3", "", "pom.xml")},
		{name: "unresolved property", dir: mapDir{"pom.xml": head + `<groupId>g</groupId><artifactId>a</artifactId><version>${from.parent}</version></project>`},
			want: pkg("maven", "g:a", "", "pkg:maven/g/a", "", "pom.xml")},
		{name: "self reference", dir: mapDir{"pom.xml": head + `<groupId>g</groupId><artifactId>a</artifactId><version>${v}</version><properties><v>${v}</v></properties></project>`},
			want: pkg("maven", "g:a", "", "pkg:maven/g/a", "", "pom.xml")},
		{name: "latin1", dir: mapDir{"pom.xml": "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><project><groupId>g</groupId><artifactId>a</artifactId><licenses><license><name>Licence fran\xe7aise</name></license></licenses></project>"},
			want: pkg("maven", "g:a", "", "pkg:maven/g/a", "Licence française", "pom.xml")},
		{name: "unknown encoding", dir: mapDir{"pom.xml": "<?xml version=\"1.0\" encoding=\"EBCDIC\"?><project/>"}, wantErr: true},
		{name: "not a project", dir: mapDir{"pom.xml": "<settings><groupId>g</groupId></settings>"}, wantErr: true},
		{name: "missing artifactId", dir: mapDir{"pom.xml": head + "<groupId>g</groupId></project>"}, wantErr: true},
		{name: "unclosed", dir: mapDir{"pom.xml": head + "<groupId>g</groupId><artifactId>a</artifactId>"}, wantErr: true},
		{name: "empty", dir: mapDir{"pom.xml": ""}, wantErr: true},
	})
}

func TestDetectPrecedence(t *testing.T) {
	t.Parallel()
	all := mapDir{
		"go.mod":         "module example.com/m\n",
		"package.json":   `{"name": "n", "version": "1.0.0"}`,
		"Cargo.toml":     "[package]\nname = \"c\"\n",
		"pyproject.toml": "[project]\nname = \"p\"\n",
		"setup.cfg":      "[metadata]\nname = s\n",
		"g.gemspec":      "s.name = 'g'\n",
		"pom.xml":        "<project><groupId>g</groupId><artifactId>m</artifactId></project>",
		"README":         "hello",
	}
	order := []string{"go.mod", "package.json", "Cargo.toml", "pyproject.toml", "setup.cfg", "g.gemspec", "pom.xml"}
	for i, manifest := range order {
		d := mapDir{}
		for _, m := range order[i:] {
			d[m] = all[m]
		}
		d["README"] = all["README"]
		p, err := detectMap(d)
		if err != nil {
			t.Fatalf("with %v: %v", order[i:], err)
		}
		if p == nil || p.Manifest != manifest {
			t.Fatalf("with %v: got %+v, want manifest %s", order[i:], p, manifest)
		}
	}
	// A manifest that is not a package root gives way to the next one.
	p, err := detectMap(mapDir{"package.json": `{"private": true}`, "pyproject.toml": "[tool.x]\n", "setup.cfg": "[metadata]\nname = s\n"})
	if err != nil || p == nil || p.Manifest != "setup.cfg" {
		t.Fatalf("fall-through: got %+v, %v", p, err)
	}
	// A malformed manifest stops the search with an error naming it.
	_, err = detectMap(mapDir{"package.json": `{`, "Cargo.toml": "[package]\nname = \"c\"\n"})
	if err == nil || !strings.Contains(err.Error(), "package.json") {
		t.Fatalf("malformed package.json: err = %v", err)
	}
	// No manifest at all.
	if p, err := detectMap(mapDir{"LICENSE": "x", "main.c": "int main;"}); p != nil || err != nil {
		t.Fatalf("plain directory: got %+v, %v", p, err)
	}
	// A listed manifest that has vanished is skipped; other read errors are reported.
	p, err = Detect([]string{"go.mod", "package.json"}, mapDir{"package.json": `{"name": "n"}`}.read)
	if err != nil || p == nil || p.Manifest != "package.json" {
		t.Fatalf("vanished go.mod: got %+v, %v", p, err)
	}
	boom := errors.New("boom")
	_, err = Detect([]string{"go.mod"}, func(string) ([]byte, error) { return nil, boom })
	if !errors.Is(err, boom) || errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("read error: err = %v", err)
	}
	if _, err := Detect(nil, nil); err == nil {
		t.Fatal("Detect with nil read: no error")
	}
}

func TestBuildPURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		eco, name, version, want string
	}{
		{"golang", "golang.org/x/net", "v0.30.0", "pkg:golang/golang.org/x/net@v0.30.0"},
		{"golang", "github.com/BurntSushi/toml", "v1.6.0", "pkg:golang/github.com/BurntSushi/toml@v1.6.0"},
		{"golang", "stdlib", "1.26.8", "pkg:golang/stdlib@1.26.8"},
		{"golang", "example.com/m/v2", "", "pkg:golang/example.com/m/v2"},
		{"npm", "@scope/name", "1.2.3", "pkg:npm/%40scope/name@1.2.3"},
		{"npm", "name", "1.0.0-beta+build", "pkg:npm/name@1.0.0-beta%2Bbuild"},
		{"cargo", "serde", "1.0.0", "pkg:cargo/serde@1.0.0"},
		{"pypi", "Zope.Interface__x", "5.0", "pkg:pypi/zope-interface-x@5.0"},
		{"gem", "rails", "7.1.0", "pkg:gem/rails@7.1.0"},
		{"maven", "org.apache.commons:commons-lang3", "3.14.0", "pkg:maven/org.apache.commons/commons-lang3@3.14.0"},
		{"maven", "solo", "1", "pkg:maven/solo@1"},
		{"npm", "", "1.0.0", ""},
		{"", "dir", "", ""},
		{"unknown", "x", "1", ""},
		{"golang", "a/", "v1", ""},
	}
	for _, tt := range tests {
		got := BuildPURL(tt.eco, tt.name, tt.version)
		if got != tt.want {
			t.Errorf("BuildPURL(%q, %q, %q) = %q, want %q", tt.eco, tt.name, tt.version, got, tt.want)
			continue
		}
		if got == "" {
			continue
		}
		// Round trip through the parser of packageurl-go.
		pu, err := packageurl.FromString(got)
		if err != nil {
			t.Errorf("FromString(%q): %v", got, err)
			continue
		}
		if pu.Type != tt.eco || pu.Version != tt.version {
			t.Errorf("FromString(%q) = %+v", got, pu)
		}
	}
}

// fuzzManifest checks Detect's invariants for one manifest holding data:
// an error comes without a package, and a package names its manifest, has
// a PURL exactly when it has a name, and has a name or a license.
func fuzzManifest(t *testing.T, manifest string, data []byte) {
	p, err := Detect([]string{manifest, "README"}, func(rel string) ([]byte, error) {
		if rel == manifest {
			return data, nil
		}
		return nil, fs.ErrNotExist
	})
	if err != nil {
		if p != nil {
			t.Fatalf("%s: error %v with package %+v", manifest, err, p)
		}
		return
	}
	if p == nil {
		return
	}
	if p.Manifest != manifest || (p.Name == "") != (p.PURL == "") {
		t.Fatalf("%s: inconsistent package %+v", manifest, p)
	}
	if p.Name == "" && p.Declared == "" {
		t.Fatalf("%s: package with neither name nor license", manifest)
	}
	if _, err := packageurl.FromString(p.PURL); p.PURL != "" && err != nil {
		t.Fatalf("%s: PURL %q does not parse: %v", manifest, p.PURL, err)
	}
}

// addSeeds adds manifests as fuzz seeds.
func addSeeds(f *testing.F, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
}

func FuzzPackageJSON(f *testing.F) {
	addSeeds(f,
		`{"name": "@s/n", "version": "1.0.0", "license": {"type": "MIT"}, "licenses": [{"type": "X"}]}`,
		`{"name": "a", "version": 1, "licenses": ["MIT", {"name": "Y"}]}`,
		`{"private": true, "license": "ISC"}`)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzManifest(t, "package.json", data) })
}

func FuzzCargoToml(f *testing.F) {
	addSeeds(f,
		"[package]\nname = \"c\"\nversion.workspace = true\nlicense-file = \"L\"\n",
		"[package]\nname = 'c'\nversion = \"1.0.0\"\nlicense = \"MIT\"\n[dependencies]\nx = { version = \"1\", features = [\"a\"] }\n",
		"[workspace]\nmembers = [\"a\"]\n")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzManifest(t, "Cargo.toml", data) })
}

func FuzzPyproject(f *testing.F) {
	addSeeds(f,
		"[project]\nname = \"p\"\nlicense = {file = \"L\"}\nclassifiers = [\"License :: OSI Approved :: MIT License\"]\n[tool.poetry]\nname = \"q\"\n",
		"[tool.poetry]\nname = \"p\"\nversion = \"1\"\nlicense = \"MIT\"\n",
		"[project]\nname = \"p\"\nlicense = \"MIT OR Apache-2.0\"\ndynamic = [\"version\"]\n")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzManifest(t, "pyproject.toml", data) })
}

func FuzzSetupCfg(f *testing.F) {
	addSeeds(f,
		"[metadata]\nname = s\nversion = 1\nclassifiers =\n  License :: Public Domain\n",
		"# c\n[metadata]\nName: s\nlicense_files = LICENSE, NOTICE\n[flake8]\nx = 1\n")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzManifest(t, "setup.cfg", data) })
}

func FuzzGemspec(f *testing.F) {
	addSeeds(f,
		"Gem::Specification.new 'g', '1' do |s|\n s.licenses = %w(MIT)\n s.license = ['a', \"b\"]\nend\n",
		"Gem::Specification.new do |spec|\n  spec.name = \"x\".freeze\n  spec.version = %q{1.0}\n  spec.licenses = [\"MIT\".freeze]\nend\n")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzManifest(t, "f.gemspec", data) })
}

func FuzzPOM(f *testing.F) {
	addSeeds(f,
		"<project><parent><groupId>g</groupId></parent><artifactId>${a}</artifactId><version>${project.version}</version><properties><a>x</a></properties></project>",
		"<?xml version=\"1.0\" encoding=\"latin1\"?><project><artifactId>\xe9</artifactId><licenses><license><name>MIT</name></license></licenses></project>")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzManifest(t, "pom.xml", data) })
}

func BenchmarkDetect(b *testing.B) {
	dirs := []mapDir{
		{"go.mod": "module example.com/m\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/net v0.30.0 // indirect\n)\n", "main.go": "", "README.md": ""},
		{"package.json": `{"name": "@s/n", "version": "1.2.3", "license": "MIT", "dependencies": {"a": "^1"}}`, "index.js": ""},
		{"Cargo.toml": "[package]\nname = \"c\"\nversion = \"1.0.0\"\nlicense = \"MIT OR Apache-2.0\"\n[dependencies]\nserde = \"1\"\n", "src": ""},
		{"pyproject.toml": "[project]\nname = \"p\"\nversion = \"1\"\nclassifiers = [\"License :: OSI Approved :: MIT License\"]\n"},
		{"x.gemspec": "Gem::Specification.new do |s|\n  s.name = 'x'\n  s.version = '1.0'\n  s.license = 'MIT'\nend\n"},
		{"pom.xml": "<project><groupId>g</groupId><artifactId>a</artifactId><version>1</version><licenses><license><name>MIT</name></license></licenses></project>"},
		{"main.c": "", "Makefile": "", "LICENSE": ""},
	}
	names := make([][]string, len(dirs))
	for i, d := range dirs {
		names[i] = d.names()
	}
	b.ReportAllocs()
	for b.Loop() {
		for i, d := range dirs {
			if _, err := Detect(names[i], d.read); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// pkg is a detected package with the given fields (and no publication
// time: manifests do not state one).
func pkg(ecosystem, name, version, purl, declared, manifest string) *Package {
	return &Package{Ecosystem: ecosystem, Name: name, Version: version, PURL: purl, Declared: declared, Manifest: manifest}
}
