package match

import (
	"testing"
	"time"
)

// TestIsOriginal orders places holding the same code by which holds its
// original: the Go distribution before a module that copies it (whatever
// their times), the earlier published of two modules, the package a
// vendored copy was vendored from, and never a vendored copy or another
// package than the vendored one's.
func TestIsOriginal(t *testing.T) {
	t.Parallel()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	std := Source{Ecosystem: "golang", Package: "stdlib", Version: "1.26.8", Published: day(2026, 8, 28)}
	toml := Source{Ecosystem: "golang", Package: "github.com/BurntSushi/toml", Version: "v1.6.0", Published: day(2025, 12, 18)}
	singbox := Source{Ecosystem: "golang", Package: "github.com/sagernet/sing-box", Version: "v1.14.1", Published: day(2026, 9, 14)}
	xsys := Source{Ecosystem: "golang", Package: "golang.org/x/sys", Version: "v0.49.0", Published: day(2026, 10, 1)}
	vendoredSys := Source{Ecosystem: "golang", Package: "golang.org/x/sys", Version: "v0.40.0", Vendored: true}
	undated := Source{Ecosystem: "golang", Package: "example.com/fork"}
	tests := []struct {
		name     string
		orig, cp Source
		want     bool
	}{
		{"GOROOT before a later module", std, singbox, true},
		{"GOROOT before an earlier module", std, toml, true},
		{"a module after GOROOT", toml, std, false},
		{"the earlier published module", toml, singbox, true},
		{"the later published module", singbox, toml, false},
		{"no time: nothing tells", undated, singbox, false},
		{"the package a copy was vendored from", xsys, vendoredSys, true},
		{"another package than the vendored one", std, vendoredSys, false},
		{"a vendored copy is no original", vendoredSys, xsys, false},
		{"the same place", toml, toml, false},
	}
	for _, tt := range tests {
		if got := isOriginal(tt.orig, tt.cp); got != tt.want {
			t.Errorf("%s: isOriginal = %v, want %v", tt.name, got, tt.want)
		}
	}
}
