package fingerprint

import (
	"fmt"
	"reflect"
	"testing"
)

// bufferBytes returns the bytes that the slices of v, a struct, and of
// the structs it holds take (their capacity): a Fingerprinter's buffers.
func bufferBytes(v reflect.Value) int {
	n := 0
	for i := 0; i < v.NumField(); i++ {
		switch fv := v.Field(i); fv.Kind() {
		case reflect.Slice:
			n += fv.Cap() * int(fv.Type().Elem().Size())
		case reflect.Struct:
			n += bufferBytes(fv)
		}
	}
	return n
}

// TestBuffersOfATable fingerprints GOROOT's P-256 table (176,000 tokens,
// three names): the Fingerprinter's buffers take some 50 bytes a token,
// and its table of names follows the names, not the tokens.
func TestBuffersOfATable(t *testing.T) {
	t.Parallel()
	src := readGoroot(t, "crypto/internal/fips140/nistec/p256_table.go")
	f, _ := New(Params{})
	res := f.File(Go, src)
	if len(res.Tokens) < 100_000 {
		t.Fatalf("%d tokens: the fixture is a large generated table", len(res.Tokens))
	}
	if n := len(f.ids.slots); n > minIDSlots {
		t.Errorf("the table of names has %d slots for a file of 3 names", n)
	}
	if per := bufferBytes(reflect.ValueOf(f).Elem()) / len(res.Tokens); per > 64 {
		t.Errorf("buffers of %d bytes a token, want at most 64", per)
	}
}

// TestTrim fingerprints GOROOT's generated SSA operations (345,000
// tokens, more than KeepTokens): Trim releases the buffers it grew, and
// keeps those of a hand-written file for the next one.
func TestTrim(t *testing.T) {
	t.Parallel()
	f, _ := New(Params{})
	big := f.File(Go, readGoroot(t, "cmd/compile/internal/ssa/opGen.go"))
	if len(big.Tokens) <= KeepTokens {
		t.Fatalf("%d tokens: the fixture has more than KeepTokens", len(big.Tokens))
	}
	f.Trim()
	if n := bufferBytes(reflect.ValueOf(f).Elem()); n > 4<<20 {
		t.Errorf("%d bytes of buffers kept after Trim, want at most 4 MiB", n)
	}
	f.File(Go, readGoroot(t, "sort/sort.go"))
	before := bufferBytes(reflect.ValueOf(f).Elem())
	f.Trim()
	if after := bufferBytes(reflect.ValueOf(f).Elem()); after != before {
		t.Errorf("Trim after a small file: %d bytes of buffers, then %d; want them kept", before, after)
	}
}

// TestNameTableGrows fingerprints a file of more distinct names than a
// new table of names holds: every name still refers back to its previous
// occurrence, as in a file of few names.
func TestNameTableGrows(t *testing.T) {
	t.Parallel()
	var src []byte
	const names = 3 * minIDSlots
	for round := 0; round < 2; round++ {
		for i := 0; i < names; i++ {
			src = fmt.Appendf(src, "v%d = 1\n", i)
		}
	}
	f, _ := New(Params{})
	res := f.File(Go, src)
	idents, linked := 0, 0
	for i, tk := range res.Tokens {
		if tk.Sym == SymIdent {
			idents++
			if f.back[i] > 0 {
				linked++
			}
		}
	}
	if idents != 2*names || linked != names {
		t.Errorf("%d names, %d linked to a previous occurrence; want %d and %d", idents, linked, 2*names, names)
	}
	if len(f.ids.slots) < 2*names {
		t.Errorf("%d slots for %d names: the table is more than half full", len(f.ids.slots), names)
	}
}
