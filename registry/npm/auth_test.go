package npm

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/snipscan/snipscan/internal/testnet"
	"github.com/snipscan/snipscan/registry/httpget"
)

// privateRegistry serves the real tarball of is-number@7.0.0 (packed by
// npm) and its package document below /npm/, to requests that carry the
// bearer token; it records the Authorization header of every request.
func privateRegistry(t *testing.T, token string) (reg string, seen func() []string) {
	t.Helper()
	tgz := testnet.NPMPack(t, t.TempDir(), "is-number@7.0.0")
	data, err := os.ReadFile(tgz)
	if err != nil {
		t.Fatal(err)
	}
	integrity := sri(t, tgz)
	var mu sync.Mutex
	var auths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auths = append(auths, r.URL.Path+" "+r.Header.Get("Authorization"))
		mu.Unlock()
		if r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, `{"error":"authentication required"}`, http.StatusUnauthorized)
			return
		}
		switch r.URL.Path {
		case "/npm/is-number":
			doc := map[string]any{
				"name":      "is-number",
				"dist-tags": map[string]string{"latest": "7.0.0"},
				"versions": map[string]any{"7.0.0": map[string]any{
					"name": "is-number", "version": "7.0.0", "license": "MIT",
					"dist": map[string]string{"tarball": "http://" + r.Host + "/npm/is-number/-/is-number-7.0.0.tgz", "integrity": integrity},
				}},
				"time": map[string]string{"7.0.0": "2018-07-04T15:08:58.238Z"},
			}
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(doc)
		case "/npm/is-number/-/is-number-7.0.0.tgz":
			w.Write(data)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/npm/", func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), auths...)
	}
}

// TestRegistryCredentials fetches a package from a registry that wants a
// token, given in the project's .npmrc as npm reads it (keyed by the
// registry's URL without its scheme, through an environment variable):
// the token goes with the package document's and the tarball's requests;
// without it the registry's refusal says where credentials go. npm
// itself, given the same .npmrc, is let in too.
func TestRegistryCredentials(t *testing.T) {
	const token = "s3cr3t-token"
	reg, seen := privateRegistry(t, token)
	project, home := t.TempDir(), t.TempDir()
	npmrc := "registry=" + reg + "\n" + strings.TrimPrefix(reg, "http:") + ":_authToken=${NPM_TOKEN}\n"
	if err := os.WriteFile(filepath.Join(project, ".npmrc"), []byte(npmrc), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"HOME": home, "NPM_TOKEN": token}
	getenv := func(k string) string { return env[k] }
	regs := LoadRegistries(getenv, project)
	if got := regs.For("is-number"); got != reg {
		t.Fatalf("registry %q; want %q", got, reg)
	}
	ctx := context.Background()
	c := httpget.New(1, 0)
	v, err := Resolve(ctx, c, reg, "is-number", "latest", regs.Header)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Fetch(ctx, c, v, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(p.Dir, "package.json")); err != nil || v.License != "MIT" {
		t.Errorf("fetched %+v: %v", v, err)
	}
	for _, a := range seen() {
		if !strings.HasSuffix(a, " Bearer "+token) {
			t.Errorf("a request without the token: %q", a)
		}
	}

	// Without the variable, the registry refuses, and the error says why.
	delete(env, "NPM_TOKEN")
	regs = LoadRegistries(getenv, project)
	_, err = Resolve(ctx, c, reg, "is-number", "latest", regs.Header)
	if err == nil || !strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), "_authToken") {
		t.Errorf("without the token: %v; want the registry's 401 and where credentials go", err)
	}
	// Another registry's credentials are not sent.
	other := Registries{Auth: map[string]string{"//registry.npmjs.org/": "Bearer " + token}}
	if h := other.Header(reg + "is-number"); h != nil {
		t.Errorf("credentials of another registry sent: %v", h)
	}

	// npm reads the same .npmrc the same way.
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("npm not available: the comparison with npm needs it")
	}
	cmd := exec.Command(npm, "view", "is-number@7.0.0", "dist.integrity", "--fetch-retries", "0")
	cmd.Dir = project
	var environ []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(strings.ToLower(kv), "npm_config_") {
			environ = append(environ, kv) // the registry is the .npmrc's
		}
	}
	cmd.Env = append(environ, "HOME="+home, "NPM_TOKEN="+token, "npm_config_cache="+t.TempDir(), "NPM_CONFIG_USERCONFIG="+filepath.Join(home, ".npmrc"))
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != v.Integrity {
		t.Errorf("npm view through the same .npmrc: %v\n%s\nwant %s", err, out, v.Integrity)
	}
}

// TestExpandEnv expands environment variables in .npmrc values as npm
// does.
func TestExpandEnv(t *testing.T) {
	env := map[string]string{"TOKEN": "abc", "HOST": "npm.corp.example"}
	getenv := func(k string) string { return env[k] }
	for in, want := range map[string]string{
		"${TOKEN}":             "abc",
		"https://${HOST}/api/": "https://npm.corp.example/api/",
		"${UNSET}":             "${UNSET}",
		"${UNSET?}":            "",
		`\${TOKEN}`:            "${TOKEN}",
		"plain":                "plain",
		"${TOKEN}-${TOKEN}":    "abc-abc",
		"unclosed ${TOKEN":     "unclosed ${TOKEN",
	} {
		if got := expandEnv(in, getenv); got != want {
			t.Errorf("expandEnv(%q) = %q; want %q", in, got, want)
		}
	}
}

// TestBasicCredentials reads a user name and password (base64, as npm
// writes it) and _auth, each for its own registry, and prefers a token to
// both, as npm does, however the settings are ordered.
func TestBasicCredentials(t *testing.T) {
	r := Registries{Scoped: map[string]string{}, Auth: map[string]string{}}
	r.apply(parseNpmrc([]byte("//a.example/api/:username=ann\n//a.example/api/:_password=cGFzcw==\n//b.example/:_auth=Ym9iOnB3\n" +
		"//c.example/:_auth=Ym9iOnB3\n//c.example/:_authToken=tok\n//c.example/:username=ann\n//c.example/:_password=cGFzcw==\n")))
	for u, want := range map[string]string{
		"https://a.example/api/pkg": "Basic YW5uOnBhc3M=", // ann:pass
		"https://b.example/pkg":     "Basic Ym9iOnB3",
		"https://a.example/other":   "",
		"https://c.example/pkg":     "Bearer tok", // a token first, as npm prefers it
	} {
		if got := r.Header(u).Get("Authorization"); got != want {
			t.Errorf("Header(%q) = %q; want %q", u, got, want)
		}
	}
}
