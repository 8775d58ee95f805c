package policy_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/snipscan/snipscan/policy"
)

// examples are the example policies of testdata/policies, which README.md
// points users to.
func examples(t testing.TB) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "testdata", "policies", "*"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no example policies (%v)", err)
	}
	out := map[string][]byte{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = data
	}
	return out
}

// TestExamplePolicies loads every example policy and checks that it
// decides as its comment says.
func TestExamplePolicies(t *testing.T) {
	t.Parallel()
	now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	want := map[string]map[string]string{ // file: source license: verdict
		"proprietary.toml":     {"GPL-3.0-only": policy.Fail, "MPL-2.0": policy.Fail, "": policy.Fail, "MIT": policy.Warn, "CC0-1.0": policy.Pass},
		"gpl-project.yaml":     {"GPL-2.0-or-later": policy.Warn, "LGPL-2.1-only": policy.Warn, "AGPL-3.0-only": policy.Fail, "CC-BY-NC-4.0": policy.Fail, "": policy.Warn},
		"permissive-only.toml": {"LGPL-3.0-only": policy.Fail, "": policy.Fail, "MIT": policy.Pass, "BSD-3-Clause": policy.Pass},
		"audit.yaml":           {"AGPL-3.0-only": policy.Warn, "GPL-3.0-only": policy.Warn, "": policy.Warn, "MIT": policy.Warn, "Unlicense": policy.Pass},
	}
	files := examples(t)
	if len(files) != len(want) {
		t.Errorf("%d example policies, %d checked here: check the new one", len(files), len(want))
	}
	for name, data := range files {
		p, err := policy.Parse(name, data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		ev := p.Evaluator(policy.Context{Now: now, Rel: belowProj})
		for lic, verdict := range want[name] {
			if d := ev.Evaluate("proj/a.go", snippet("x.go", lic)); d.Verdict != verdict {
				t.Errorf("%s: a %q source gets %+v, want %s", name, lic, d, verdict)
			}
		}
	}
	for name, want := range map[string]string{"audit.yaml": policy.Warn, "proprietary.toml": policy.Fail} {
		p, err := policy.Parse(name, files[name])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if p.Unscanned != want {
			t.Errorf("%s: unscanned files %q, want %s", name, p.Unscanned, want)
		}
	}
	// permissive-only.toml accepts the reviewed sort code until its expiry.
	p, err := policy.Parse("permissive-only.toml", files["permissive-only.toml"])
	if err != nil {
		t.Fatal(err)
	}
	d := p.Evaluator(policy.Context{Now: now, Rel: belowProj}).Evaluate("proj/internal/sortutil/s.go", snippet("sort/sort.go", "GPL-3.0-only"))
	if d.Verdict != policy.Accepted {
		t.Errorf("permissive-only.toml: reviewed sort code %+v, want accepted", d)
	}
	if p.MinLines != 12 || p.MinTokens != 80 || p.MinMatched != 0.5 {
		t.Errorf("permissive-only.toml: minimum %d %d %v", p.MinLines, p.MinTokens, p.MinMatched)
	}
}

// FuzzParse feeds the policy parser arbitrary TOML and YAML: it never
// panics, and every error names the file.
func FuzzParse(f *testing.F) {
	for name, data := range examples(f) {
		f.Add(strings.HasSuffix(name, ".yaml"), data)
	}
	f.Add(false, []byte(tomlPolicy))
	f.Add(true, []byte(yamlPolicy))
	f.Add(false, []byte("[licenses]\ndeny = [\"copyleft\"]\n"))
	f.Add(true, []byte("accept:\n  - path: x\n    expires: soon\n"))
	f.Fuzz(func(t *testing.T, yaml bool, data []byte) {
		name := "snipscan.toml"
		if yaml {
			name = ".snipscan.yaml"
		}
		p, err := policy.Parse(name, data)
		if err != nil {
			if !strings.Contains(err.Error(), name) {
				t.Fatalf("error %q does not name %s", err, name)
			}
			return
		}
		// A policy that parses can decide.
		p.Evaluator(policy.Context{Rel: belowProj}).Evaluate("proj/a.go", snippet("x.go", "MIT OR GPL-3.0-only"))
	})
}
