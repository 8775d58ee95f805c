package npm

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLoadRegistries reads the registries as npm does: the user's .npmrc
// (NPM_CONFIG_USERCONFIG, else ~/.npmrc), then the project's, then the
// environment, later ones winning; scoped registries by scope.
func TestLoadRegistries(t *testing.T) {
	home, project, other := t.TempDir(), t.TempDir(), t.TempDir()
	write := func(dir, data string) {
		if err := os.WriteFile(filepath.Join(dir, ".npmrc"), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(home, "; the user's\nregistry = https://user.example/npm\n@corp:registry=\"https://corp.example/npm/\"\n[section]\nfund=false\n")
	write(project, "# the project's\n@team:registry='https://team.example'\n//team.example/:_authToken=${TOKEN}\nnot a setting\n")
	write(other, "registry=https://other.example/\n")
	env := map[string]string{"HOME": home}
	getenv := func(k string) string { return env[k] }

	r := LoadRegistries(getenv, project)
	want := map[string]string{
		"lodash": "https://user.example/npm/", "@corp/ui": "https://corp.example/npm/",
		"@team/x": "https://team.example/", "@other/x": "https://user.example/npm/",
	}
	for name, reg := range want {
		if got := r.For(name); got != reg {
			t.Errorf("For(%q) = %q; want %q", name, got, reg)
		}
	}

	// NPM_CONFIG_USERCONFIG names the user's file; the environment wins.
	env["NPM_CONFIG_USERCONFIG"] = filepath.Join(other, ".npmrc")
	if got := LoadRegistries(getenv, project).For("lodash"); got != "https://other.example/" {
		t.Errorf("with NPM_CONFIG_USERCONFIG: %q; want https://other.example/", got)
	}
	env["npm_config_registry"] = "http://env.example:4873"
	r = LoadRegistries(getenv, project)
	if got := r.For("lodash"); got != "http://env.example:4873/" {
		t.Errorf("with npm_config_registry: %q; want http://env.example:4873/", got)
	}
	if got := r.For("@team/x"); got != "https://team.example/" {
		t.Errorf("a scope's registry with npm_config_registry: %q; want https://team.example/", got)
	}

	// Nothing configured: npm's default.
	if got := LoadRegistries(func(string) string { return "" }, t.TempDir()).For("@corp/ui"); got != DefaultRegistry {
		t.Errorf("no configuration: %q; want %q", got, DefaultRegistry)
	}
}
