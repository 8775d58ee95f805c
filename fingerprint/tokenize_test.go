package fingerprint

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// normalized renders tokens for the tests: ID for identifiers, STR for
// string and character literals (which keep their text in Sym; STR keeps
// the expectations short), the text for everything else.
func normalized(src string, toks []Token) string {
	var parts []string
	for _, tk := range toks {
		text := src[tk.Off:tk.End]
		switch {
		case tk.Sym == SymIdent:
			parts = append(parts, "ID")
		case isLiteral(text):
			parts = append(parts, "STR")
		default:
			parts = append(parts, text)
		}
	}
	return strings.Join(parts, " ")
}

// isLiteral reports whether a token's text is a string or character
// literal, with an optional prefix (r"", u8"", @"", $"").
func isLiteral(text string) bool {
	if len(text) >= 3 && text[0] == '/' && strings.LastIndex(text, "/") > 1 ||
		strings.HasPrefix(text, "[[") || strings.HasPrefix(text, "[=") {
		return true // a regular expression, a Lua long string
	}
	i := strings.IndexAny(text, "\"'`")
	return i >= 0 && i <= 3 && !strings.ContainsAny(text[:i], " ()")
}

func TestTokenize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		lang Lang
		src  string
		want string
	}{
		{"go func", Go, "// Sum adds.\nfunc Sum(xs []int) (t int) {\n\tfor _, x := range xs { t += x }\n\treturn t /* done */\n}\n",
			"func ID ( ID [ ] ID ) ( ID ID ) { for ID , ID := range ID { ID += ID } return ID }"},
		{"go strings", Go, "s := `raw\n\"x\"` + \"a\\\"b\" + 'c' + '\\n'", "ID := STR + STR + STR + STR"},
		{"go numbers", Go, "x := 0x1F + 1.5e-3 + .5 + 1_000 + 0b101i", "ID := 0x1F + 1.5e-3 + .5 + 1_000 + 0b101i"},
		{"go trailing comma", Go, "f(a,\n\tb,\n)", "ID ( ID , ID )"},
		{"go semicolons", Go, "a := 1; b := 2;", "ID := 1 ID := 2"},
		{"c", C, "#include <stdio.h>\nint main(void) { char c = 'x'; printf(\"%d\\n\", c); /* end */ return 0; }",
			"# include < ID . ID > int ID ( void ) { char ID = STR ID ( STR , ID ) return 0 }"},
		{"cpp raw string", C, "auto s = R\"xy(a \" b)\" c)xy\"; int y = u8\"z\";", "auto ID = STR int ID = STR"},
		{"java", Java, "@Override public int hashCode() { return Objects.hash(a, \"\"\"\n text\n \"\"\"); }",
			"ID public int ID ( ) { return ID . ID ( ID , STR ) }"},
		{"javascript regex", JavaScript, "const re = /a\\/b[/]c/g; let d = x / 2 / y; // c\nf(`t ${1}`);",
			"const ID = STR let ID = ID / 2 / ID ID ( STR )"},
		{"typescript", JavaScript, "export function f(a: number): string { return a > 1 ? 'y' : \"n\" }",
			"export function ID ( ID : ID ) : ID { return ID > 1 ? STR : STR }"},
		{"python", Python, "# c\ndef f(x):\n    \"\"\"Doc\n    string.\"\"\"\n    return rb'\\x00' + f\"{x}\" // 2  # tail\n",
			"def ID ( ID ) : STR return STR + STR // 2"},
		{"rust", Rust, "/* a /* nested */ comment */ fn f<'a>(x: &'a str) -> char { let r = r#\"q\"#; 'z' }",
			"fn ID < ID > ( ID : & ID ID ) -> ID { let ID = STR STR }"},
		{"csharp", CSharp, "var s = @\"a \"\"b\"\" c\" + $\"{x}\"; // c", "var ID = STR + STR"},
		{"php", PHP, "<?php # c\n$x = $this->y . 'z'; // d\necho \"$x\";", "< ? ID ID = $this -> ID . STR echo STR"},
		{"ruby", Ruby, "=begin\ndoc\n=end\ndef f(a) # c\n  @b = a =~ /x#y/\nend", "def ID ( ID ) ID = ID =~ STR end"},
		{"shell", Shell, "#!/bin/sh\nif [ \"$#\" -gt 1 ]; then echo x#y; fi # c", "if [ STR - ID 1 ] then echo ID # ID fi"},
		{"sql", SQL, "SELECT a, b FROM t -- c\nWHERE x = 'it''s' /* d */", "SELECT ID , ID FROM ID WHERE ID = STR STR"},
		{"lua", Lua, "--[[ long\ncomment ]] local s = [==[ x ]==] -- c\nreturn s", "local ID = STR return ID"},
		{"haskell", Haskell, "{- c {- n -} -}\nf x' = x' + 1 -- c", "ID ID = ID + 1"},
		{"kotlin", Kotlin, "val s = \"\"\"a\n\"b\"\n\"\"\" /* c /* n */ */ + `odd name`", "val ID = STR + ID"},
		{"asm keeps names", Asm, "TEXT ·Add(SB),NOSPLIT,$0-24 // c\n\tMOVQ a+0(FP), AX", "TEXT ·Add ( SB ) , NOSPLIT , $ 0 - 24 MOVQ a + 0 ( FP ) , AX"},
		{"text", Text, "Hello, World! It's 2024.", "Hello World It s 2024"},
		{"dart", Dart, "// c\nString greet(String name) => 'Hi $name' + r'\\d' + '''a\n'b' ''';",
			"ID ID ( ID ID ) => STR + STR + STR"},
		{"solidity", Solidity, "contract Vault { /* c */ mapping(address => uint) public held;\n function put() external payable { held[msg.sender] += msg.value; } }",
			"contract ID { mapping ( ID => ID ) public ID function ID ( ) external payable { ID [ ID . ID ] += ID . ID } }"},
		{"groovy", Groovy, "@Grab('x') def greet(name) { println \"Hi ${name}\" + '''a\nb''' } // c",
			"ID ( STR ) def ID ( ID ) { ID STR + STR }"},
		{"zig", Zig, "const std = @import(\"std\");\n// c\nconst s =\n    \\\\line \"one\n    \\\\line two\n;\npub fn main() void {}",
			`const ID = ID ( STR ) const ID = \\line "one \\line two pub fn ID ( ) ID { }`},
		{"powershell", PowerShell, "<# block\ncomment #>\nFunction Get-Sum($a) { # c\n  Return $a + 'x\ny' }",
			"Function ID - ID ( ID ) { Return ID + STR }"},
		{"elixir", Elixir, "defmodule M do\n  @doc \"\"\"\n  Doc.\n  \"\"\"\n  def f(x), do: x <> 'cl' # c\nend",
			"defmodule ID do ID STR def ID ( ID ) , do : ID <> STR end"},
		{"vue", Markup, "<template><p>{{ x }}</p></template>\n<script setup lang=\"ts\">\nconst n: number = 1 // c\n</script>\n<style>p { color: red }</style>",
			"const ID : ID = 1"},
		{"html scripts", Markup, "<!-- <script>a()</script> --><script type=\"application/ld+json\">{\"a\": 1}</script>\n<SCRIPT type=module>b('<p>')</SCRIPT><scripts>c()</scripts>",
			"ID ( STR )"},
		{"unterminated string", Go, "x := \"abc\ny := 1", "ID := STR ID := 1"},
		{"unterminated comment", C, "int x; /* never closed\nint y;", "int ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := normalized(tt.src, Tokenize(tt.lang, []byte(tt.src), nil))
			if got != tt.want {
				t.Errorf("Tokenize(%s, %q)\n got %s\nwant %s", tt.lang, tt.src, got, tt.want)
			}
		})
	}
}

func TestTokenLines(t *testing.T) {
	t.Parallel()
	src := "a := `x\ny\nz`\nb := 1 /* c\nd */ + 2\n"
	toks := Tokenize(Go, []byte(src), nil)
	type span struct{ line, end int32 }
	var got []span
	for _, tk := range toks {
		got = append(got, span{tk.Line, tk.EndLine})
	}
	want := []span{{1, 1}, {1, 1}, {1, 3}, {4, 4}, {4, 4}, {4, 4}, {5, 5}, {5, 5}}
	if !equalSlices(got, want) {
		t.Errorf("lines = %v, want %v", got, want)
	}
}

func TestDetectLang(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, head string
		want       Lang
	}{
		{"a/b.go", "", Go}, {"x.H", "", C}, {"x.tsx", "", JavaScript}, {"Rakefile", "", Ruby},
		{"script", "#!/usr/bin/env python3\n", Python}, {"run", "#!/bin/bash -e\n", Shell},
		{"tool", "#!/usr/bin/env -S node --flag\n", JavaScript}, {"data.bin", "", Unknown},
		{"README.md", "", Text}, {"Makefile", "all:\n", Unknown}, {`dir\win.rs`, "", Rust},
		{"app.dart", "", Dart}, {"Vault.sol", "", Solidity}, {"build.groovy", "", Groovy}, {"main.zig", "", Zig},
		{"Setup.PS1", "", PowerShell}, {"mix.exs", "", Elixir}, {"lib/m.ex", "", Elixir}, {"run", "#!/usr/bin/env pwsh\n", PowerShell},
		{"App.vue", "", Markup}, {"Card.svelte", "", Markup}, {"index.html", "", Markup}, {"old.HTM", "", Markup},
	}
	for _, tt := range tests {
		if got := DetectLang(tt.name, []byte(tt.head)); got != tt.want {
			t.Errorf("DetectLang(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
	names := map[string]Lang{}
	for l := Lang(0); l < numLangs; l++ {
		if other, dup := names[l.String()]; dup {
			t.Errorf("%v and %v are both named %q", other, l, l.String())
		}
		names[l.String()] = l
	}
}

// checkTokens asserts the invariants every tokenization must keep,
// whatever the input.
func checkTokens(t *testing.T, lang Lang, src []byte, toks []Token) {
	t.Helper()
	lines := int32(strings.Count(string(src), "\n") + 1)
	prevEnd, prevLine := int32(0), int32(1)
	for i, tk := range toks {
		if tk.Off < prevEnd || tk.End <= tk.Off || int(tk.End) > len(src) {
			t.Fatalf("%v: token %d has offsets [%d,%d), previous ended at %d, len %d", lang, i, tk.Off, tk.End, prevEnd, len(src))
		}
		if tk.Line < prevLine || tk.EndLine < tk.Line || tk.EndLine > lines {
			t.Fatalf("%v: token %d has lines %d-%d after line %d (file has %d)", lang, i, tk.Line, tk.EndLine, prevLine, lines)
		}
		prevEnd, prevLine = tk.End, tk.Line
	}
}

// FuzzTokenize runs every tokenizer and the fingerprinter on arbitrary
// bytes: no panic, and offsets and lines stay consistent.
func FuzzTokenize(f *testing.F) {
	seeds := []string{
		"func f() { return `x` }", "'\\", "r#\"", "R\"(", "@\"", "$@\"", "--[==[", "{- {-", "=begin\n", "/*/",
		"'a", "0x1p-", ".5.", "\"\"\"", "#!/bin/sh\n# c", "x = /[/]/", "\xff\xfe\x00", "a\\\n\"b",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	fp, _ := New(Params{K: 3, W: 2})
	f.Fuzz(func(t *testing.T, src []byte) {
		for l := Lang(0); l < numLangs; l++ {
			toks := Tokenize(l, src, nil)
			checkTokens(t, l, src, toks)
			res := fp.File(l, src)
			for _, p := range res.Fingerprints {
				if int(p.Pos)+3 > len(res.Tokens) || p.Line > p.EndLine {
					t.Fatalf("%v: bad fingerprint %+v", l, p)
				}
			}
			if utf8.Valid(src) && res.HeaderEnd > len(src) {
				t.Fatalf("HeaderEnd %d > %d", res.HeaderEnd, len(src))
			}
		}
	})
}

func TestHeaderEnd(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang Lang
		src  string
		want int
	}{
		{Go, "// c\n/* d */\npackage x\n", 13},
		{Python, "#!/usr/bin/env python\n# c\n\nimport os\n", 27},
		{Go, "// only a comment\n", 18},
		{Text, "  words", 2},
		// A C header's include guard and includes come before its
		// copyright comment; a directive continued over lines too.
		{C, "#ifndef X_H\n#define X_H\n\n#include <a.h>\n/* c */\nint x;\n", 48},
		{C, "#define F(a) \\\n  (a)\n// c\nint x;\n", 26},
		{C, "/* c */\nint x;\n#include <a.h>\n", 8},
		{C, "/* c */\n#ifndef X\n/* d */\nint x;\n", 8},
		{C, "x = a #b\n", 0},
		{Python, "# c\nimport os\n", 4},
	} {
		if got := HeaderEnd(tt.lang, []byte(tt.src)); got != tt.want {
			t.Errorf("HeaderEnd(%v, %q) = %d, want %d", tt.lang, tt.src, got, tt.want)
		}
	}
}
