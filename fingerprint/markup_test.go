package fingerprint

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// TestMarkupScripts pastes GOROOT's lib/wasm/wasm_exec.js into the script
// element of a Vue and a Svelte component and of an HTML page, between
// markup, styles and templates of their own: each has the fingerprints
// of the script file, at its lines moved by the lines above the script.
func TestMarkupScripts(t *testing.T) {
	t.Parallel()
	js := readGoroot(t, "../lib/wasm/wasm_exec.js")
	f, _ := New(Params{})
	want := f.File(JavaScript, js)
	wantFps := slices.Clone(want.Fingerprints)
	if len(wantFps) < 100 {
		t.Fatalf("%d fingerprints in wasm_exec.js: the fixture is a real script", len(wantFps))
	}
	for _, wrap := range []struct{ name, before, after string }{
		{"App.vue", "<template>\n  <div :class=\"{ on: x < 1 }\">{{ label }}</div>\n</template>\n\n<script setup lang=\"ts\">\n",
			"</script>\n\n<style scoped>\ndiv { color: red; }\n</style>\n"},
		{"Card.svelte", "<script context=\"module\">\n</script>\n<script>\n", "</script>\n\n{#if ready}\n  <p on:click={go}>go</p>\n{/if}\n"},
		{"index.html", "<!doctype html>\n<html>\n<head>\n<!-- <script>old()</script> -->\n<script type=\"text/template\">\n<b>{{x}}</b>\n</script>\n<SCRIPT type=\"text/javascript\">",
			"</SCRIPT>\n</head>\n<body onload=\"run()\"><p>text</p></body>\n</html>\n"},
	} {
		src := []byte(wrap.before + string(js) + wrap.after)
		lang := DetectLang(wrap.name, src)
		got := f.File(lang, src)
		if lang != Markup || len(got.Fingerprints) != len(wantFps) {
			t.Errorf("%s (%v): %d fingerprints, want the script's %d", wrap.name, lang, len(got.Fingerprints), len(wantFps))
			continue
		}
		shift := int32(strings.Count(wrap.before, "\n"))
		for i, fp := range got.Fingerprints {
			w := wantFps[i]
			if fp.Hash != w.Hash || fp.Exact != w.Exact || fp.Line != w.Line+shift || fp.EndLine != w.EndLine+shift {
				t.Errorf("%s: fingerprint %d is %+v, want the script's %+v at lines moved by %d", wrap.name, i, fp, w, shift)
				break
			}
		}
	}
}

// TestMarkupOfGOROOT reads GOROOT's misc/wasm/wasm_exec.html: its tokens
// are those of its inline script, from its first line ("if (!WebAssembly
// ..."), not those of the script element in a comment above it nor of
// the markup.
func TestMarkupOfGOROOT(t *testing.T) {
	t.Parallel()
	src := readGoroot(t, "../misc/wasm/wasm_exec.html")
	toks := Tokenize(Markup, src, nil)
	first := bytes.Index(src, []byte("if (!WebAssembly.instantiateStreaming)"))
	last := bytes.LastIndex(src, []byte("</script>"))
	if first < 0 || last < 0 || len(toks) == 0 {
		t.Fatalf("wasm_exec.html: no inline script found (%d tokens)", len(toks))
	}
	if toks[0].Off != int32(first) || int(toks[len(toks)-1].End) > last {
		t.Errorf("tokens span [%d, %d), want the inline script, [%d, %d)", toks[0].Off, toks[len(toks)-1].End, first, last)
	}
	if line := int32(bytes.Count(src[:first], []byte("\n")) + 1); toks[0].Line != line {
		t.Errorf("first token on line %d, want %d", toks[0].Line, line)
	}
}
