package npm

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/internal/testnet"
	"github.com/snipscan/snipscan/registry/httpget"
)

// TestPickLikeNPM resolves ranges and dist-tags of real packages from the
// npm registry and checks each against the version npm itself picks
// (npm pack --dry-run): carets, tildes, x-ranges, unions, intersections,
// a scoped package, and packages whose versions are deprecated.
func TestPickLikeNPM(t *testing.T) {
	specs := []string{
		"chalk@^4 || ^5",
		"is-number@~6",
		"lodash@4.x",
		"react@>=17 <18",
		"typescript@~4.9.0",
		"@babel/core@^7.20.0",
		"semver@<6",
		"request@^2", // every version deprecated
		"uuid@^3",    // 3.x deprecated
		"glob@^7",    // deprecated releases
		"debug@2.6.x",
		"minimist@^1.0.0",
		"express@latest", // a dist-tag
		"left-pad@*",
		"lodash@4",    // a major version alone is a range
		"lodash@4.17", // and so is major.minor
	}
	ctx := context.Background()
	c := httpget.New(3, 0)
	dir := t.TempDir()
	for _, spec := range specs {
		i := strings.LastIndexByte(spec, '@')
		name, query := spec[:i], spec[i+1:]
		var packed []struct{ Version string }
		if err := json.Unmarshal(testnet.NPM(t, dir, "pack", "--dry-run", "--json", spec), &packed); err != nil || len(packed) != 1 {
			t.Fatalf("npm pack --dry-run %s: %v %v", spec, packed, err)
		}
		v, err := Resolve(ctx, c, DefaultRegistry, name, query, nil)
		if err != nil || v.Version != packed[0].Version {
			t.Errorf("%s: %v %v; npm picks %s", spec, v, err, packed[0].Version)
		}
	}
}
