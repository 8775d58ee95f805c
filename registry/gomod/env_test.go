package gomod

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestParseProxies reads GOPROXY lists: "," and "|" separators, spaces
// and trailing slashes, direct and off.
func TestParseProxies(t *testing.T) {
	cases := map[string]string{
		"https://proxy.golang.org,direct":             "https://proxy.golang.org, direct",
		"https://a.example/|https://b.example,off":    "https://a.example|, https://b.example, off",
		" https://a.example , , file:///srv/goproxy/": "https://a.example, file:///srv/goproxy",
		"direct": "direct",
	}
	for in, want := range cases {
		ps, err := parseProxies(in)
		if err != nil {
			t.Errorf("parseProxies(%q): %v", in, err)
			continue
		}
		var got []string
		for _, p := range ps {
			s := p.url
			if p.anyError {
				s += "|"
			}
			got = append(got, s)
		}
		if strings.Join(got, ", ") != want {
			t.Errorf("parseProxies(%q) = %s; want %s", in, strings.Join(got, ", "), want)
		}
	}
	for _, in := range []string{"", " , ", "|"} {
		if _, err := parseProxies(in); err == nil {
			t.Errorf("parseProxies(%q): want an error", in)
		}
	}
}

// TestSumDBConfig reads GOSUMDB: off, the known databases, a key with or
// without a URL; malformed values are errors.
func TestSumDBConfig(t *testing.T) {
	cases := []struct{ in, key, direct string }{
		{"off", "", ""},
		{"", defaultSumDBKey, "https://sum.golang.org"},
		{"sum.golang.org", defaultSumDBKey, "https://sum.golang.org"},
		{"sum.golang.google.cn", defaultSumDBKey, "https://sum.golang.google.cn"},
		{"sum.example.com+abcd1234+AAAA", "sum.example.com+abcd1234+AAAA", "https://sum.example.com"},
		{"sum.example.com+abcd1234+AAAA https://mirror.example/sumdb/", "sum.example.com+abcd1234+AAAA", "https://mirror.example/sumdb"},
	}
	for _, c := range cases {
		key, direct, err := sumDBConfig(c.in)
		if err != nil || key != c.key || direct != c.direct {
			t.Errorf("sumDBConfig(%q) = %q %q %v; want %q %q", c.in, key, direct, err, c.key, c.direct)
		}
	}
	for _, in := range []string{"sum.example.com", "a+b+c https://x extra", "   "} {
		if _, _, err := sumDBConfig(in); err == nil {
			t.Errorf("sumDBConfig(%q): want an error", in)
		}
	}
}

// TestDefaults fills in what the go command does for unset variables:
// GOPRIVATE for GONOPROXY and GONOSUMDB (unless they are set), the module
// cache below GOPATH's first entry, else below HOME.
func TestDefaults(t *testing.T) {
	home := func(k string) string {
		if k == "HOME" {
			return "/home/gopher"
		}
		return ""
	}
	vals := map[string]string{"GOPRIVATE": "corp.example,*.internal", "GONOSUMDB": "other.example"}
	defaults(vals, home)
	want := map[string]string{
		"GOPROXY": "https://proxy.golang.org,direct", "GOSUMDB": "sum.golang.org",
		"GONOPROXY": "corp.example,*.internal", "GONOSUMDB": "other.example",
		"GOMODCACHE": filepath.Join("/home/gopher", "go", "pkg", "mod"),
	}
	for k, v := range want {
		if vals[k] != v {
			t.Errorf("%s = %q; want %q", k, vals[k], v)
		}
	}
	vals = map[string]string{"GOPATH": "/a" + string(filepath.ListSeparator) + "/b", "GOPROXY": "off", "GOSUMDB": "off"}
	defaults(vals, home)
	if vals["GOMODCACHE"] != filepath.Join("/a", "pkg", "mod") || vals["GOPROXY"] != "off" || vals["GOSUMDB"] != "off" || vals["GONOPROXY"] != "" {
		t.Errorf("with GOPATH and settings: %v", vals)
	}
}

// TestLoadEnv reads the configuration through the go command, which
// applies GOPRIVATE to GONOPROXY and GONOSUMDB and reads GOFLAGS.
func TestLoadEnv(t *testing.T) {
	modCache := t.TempDir()
	t.Setenv("GOPRIVATE", "corp.example/*")
	t.Setenv("GONOPROXY", "")
	t.Setenv("GONOSUMDB", "")
	t.Setenv("GOPROXY", "https://proxy.example|https://other.example,direct")
	t.Setenv("GOSUMDB", "off")
	t.Setenv("GOMODCACHE", modCache)
	t.Setenv("GOFLAGS", "-modcacherw -mod=mod")
	env, err := LoadEnv(context.Background(), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	want := Env{Proxy: "https://proxy.example|https://other.example,direct", ModCache: modCache,
		NoProxy: "corp.example/*", NoSumDB: "corp.example/*", SumDB: "off", ModCacheRW: true}
	if env != want {
		t.Errorf("LoadEnv = %+v; want %+v", env, want)
	}
}
