package registry

import (
	"strings"
	"testing"
)

// TestParseRef reads references of both ecosystems, with and without a
// version, scoped npm names and module paths with capital letters, and
// refuses malformed ones.
func TestParseRef(t *testing.T) {
	good := []struct {
		in                 string
		eco, name, version string
	}{
		{"go:golang.org/x/net@v0.30.0", Go, "golang.org/x/net", "v0.30.0"},
		{"go:github.com/spf13/cobra@latest", Go, "github.com/spf13/cobra", "latest"},
		{"go:github.com/BurntSushi/toml", Go, "github.com/BurntSushi/toml", "latest"},
		{"go:gopkg.in/yaml.v3@v3.0.1", Go, "gopkg.in/yaml.v3", "v3.0.1"},
		{"npm:lodash@4.17.21", NPM, "lodash", "4.17.21"},
		{"npm:lodash", NPM, "lodash", "latest"},
		{"npm:@babel/core@latest", NPM, "@babel/core", "latest"},
		{"npm:@babel/core", NPM, "@babel/core", "latest"},
		{"npm:@sindresorhus/is@4.6.0", NPM, "@sindresorhus/is", "4.6.0"},
		{"npm:react@next", NPM, "react", "next"},
		{"npm:JSONStream@1.3.5", NPM, "JSONStream", "1.3.5"}, // an old name with capitals
	}
	for _, c := range good {
		r, err := ParseRef(c.in)
		if err != nil {
			t.Errorf("ParseRef(%q): %v", c.in, err)
			continue
		}
		if r.Ecosystem != c.eco || r.Name != c.name || r.Query != c.version {
			t.Errorf("ParseRef(%q) = %s %s %s; want %s %s %s", c.in, r.Ecosystem, r.Name, r.Query, c.eco, c.name, c.version)
		}
		if want := c.eco + ":" + c.name + "@" + c.version; r.String() != want {
			t.Errorf("ParseRef(%q).String() = %q; want %q", c.in, r.String(), want)
		}
	}
	bad := []string{
		"golang.org/x/net@v0.30.0",                   // no ecosystem
		"pypi:requests@2.0",                          // unknown ecosystem
		"go:",                                        // no name
		"go:golang.org/x/net@",                       // empty version
		"go:../evil@v1.0.0",                          // not a module path
		"go:golang.org/x/net//a@v1",                  // a double slash
		"npm:@babel@1.0.0",                           // a scope alone
		"npm:.hidden@1.0.0",                          // a leading dot
		"npm:_private@1.0.0",                         // a leading underscore
		"npm:@scope/../x@1.0.0",                      // a path
		"npm:a b@1.0.0",                              // a space
		"npm:@/name@1.0.0",                           // an empty scope
		"npm:" + strings.Repeat("a", 215) + "@1.0.0", // too long
	}
	for _, s := range bad {
		if r, err := ParseRef(s); err == nil {
			t.Errorf("ParseRef(%q) = %+v; want an error", s, r)
		}
	}
}

// TestIsRef tells references from paths.
func TestIsRef(t *testing.T) {
	for s, want := range map[string]bool{
		"go:golang.org/x/net@v0.30.0": true, "npm:lodash": true,
		"./go:x": false, "golang.org/x/net": false, "/tmp/npm:x": false, "gopher.tgz": false, "npmx:a": false,
	} {
		if IsRef(s) != want {
			t.Errorf("IsRef(%q) = %v; want %v", s, !want, want)
		}
	}
}

// TestReadList reads a --packages list: comments, blank lines, trailing
// comments, and where each reference was read; a bad line is an error
// naming its line.
func TestReadList(t *testing.T) {
	data := "# popular packages\n\ngo:golang.org/x/sync@v0.10.0\n  npm:@babel/core@7.26.0   # the compiler\r\nnpm:lodash\n#npm:left-pad@1.3.0\n"
	refs, err := ReadList("list.txt", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"go:golang.org/x/sync@v0.10.0 list.txt:3", "npm:@babel/core@7.26.0 list.txt:4", "npm:lodash@latest list.txt:5"}
	var got []string
	for _, r := range refs {
		got = append(got, r.String()+" "+r.From)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("ReadList:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	_, err = ReadList("list.txt", []byte("npm:lodash\n\ngo:not a path@v1\n"))
	if err == nil || !strings.HasPrefix(err.Error(), "list.txt:3: ") {
		t.Errorf("a bad line 3: %v; want an error at list.txt:3", err)
	}
	if refs, err := ReadList("empty.txt", []byte("# nothing\n\n")); err != nil || len(refs) != 0 {
		t.Errorf("a list of comments: %v %v; want none", refs, err)
	}
}
