package fingerprint

import (
	"bytes"
	"path"
	"strings"
)

// Lang identifies the lexical syntax used to tokenize a file.
type Lang uint8

// The supported languages. Unknown files are not tokenized unless the
// caller asks for the plain-text fallback (Text).
const (
	Unknown Lang = iota
	Text         // plain text: words, no identifier abstraction
	Go
	C // C, C++, Objective-C
	Java
	JavaScript // JavaScript and TypeScript
	Python
	Rust
	CSharp
	PHP
	Ruby
	Shell
	Kotlin
	Swift
	Scala
	Perl
	R
	Lua
	SQL
	Haskell
	Asm
	Dart
	Solidity
	Groovy
	Zig
	PowerShell
	Elixir
	// Markup is HTML and the single-file components of Vue and Svelte:
	// the code of their script elements, read as JavaScript (and
	// TypeScript); the markup, styles and templates make no tokens.
	Markup
	numLangs
)

// braceDecls are the languages whose declarations (functions, methods,
// types) are delimited by braces. Python, Ruby and Lua end them
// otherwise, and a brace there closes a dictionary or a block.
var braceDecls = [numLangs]bool{
	Go: true, C: true, Java: true, JavaScript: true, Rust: true, CSharp: true, PHP: true,
	Kotlin: true, Swift: true, Scala: true, Perl: true, R: true, Shell: true,
	Dart: true, Solidity: true, Groovy: true, Zig: true, PowerShell: true, Markup: true,
}

// BraceDeclarations reports whether l's declarations are delimited by
// braces (see Decls).
func (l Lang) BraceDeclarations() bool { return l < numLangs && braceDecls[l] }

var langNames = [numLangs]string{
	Unknown:    "unknown",
	Text:       "text",
	Go:         "go",
	C:          "c",
	Java:       "java",
	JavaScript: "javascript",
	Python:     "python",
	Rust:       "rust",
	CSharp:     "csharp",
	PHP:        "php",
	Ruby:       "ruby",
	Shell:      "shell",
	Kotlin:     "kotlin",
	Swift:      "swift",
	Scala:      "scala",
	Perl:       "perl",
	R:          "r",
	Lua:        "lua",
	SQL:        "sql",
	Haskell:    "haskell",
	Asm:        "asm",
	Dart:       "dart",
	Solidity:   "solidity",
	Groovy:     "groovy",
	Zig:        "zig",
	PowerShell: "powershell",
	Elixir:     "elixir",
	Markup:     "markup",
}

// String returns the lower-case name of the language.
func (l Lang) String() string {
	if l < numLangs {
		return langNames[l]
	}
	return "unknown"
}

// extLangs maps lower-case file extensions to languages.
var extLangs = map[string]Lang{
	".go": Go,
	".c":  C, ".h": C, ".cc": C, ".cpp": C, ".cxx": C, ".c++": C, ".hh": C, ".hpp": C, ".hxx": C,
	".h++": C, ".ipp": C, ".inl": C, ".m": C, ".mm": C, ".cu": C, ".cuh": C, ".ino": C,
	".java": Java,
	".js":   JavaScript, ".mjs": JavaScript, ".cjs": JavaScript, ".jsx": JavaScript,
	".ts": JavaScript, ".tsx": JavaScript, ".mts": JavaScript, ".cts": JavaScript,
	".py": Python, ".pyw": Python, ".pyi": Python, ".pyx": Python,
	".rs":  Rust,
	".cs":  CSharp,
	".php": PHP, ".phtml": PHP,
	".rb": Ruby, ".rake": Ruby, ".gemspec": Ruby,
	".sh": Shell, ".bash": Shell, ".zsh": Shell, ".ksh": Shell,
	".kt": Kotlin, ".kts": Kotlin,
	".swift": Swift,
	".scala": Scala, ".sc": Scala,
	".pl": Perl, ".pm": Perl, ".t": Perl,
	".r":   R,
	".lua": Lua,
	".sql": SQL,
	".hs":  Haskell, ".lhs": Haskell,
	".s": Asm, ".asm": Asm,
	".dart":   Dart,
	".sol":    Solidity,
	".groovy": Groovy, ".gvy": Groovy, ".gy": Groovy, ".gsh": Groovy,
	".zig": Zig,
	".ps1": PowerShell, ".psm1": PowerShell,
	".ex": Elixir, ".exs": Elixir,
	".html": Markup, ".htm": Markup, ".xhtml": Markup, ".vue": Markup, ".svelte": Markup,
	".txt": Text, ".md": Text, ".rst": Text,
}

// nameLangs maps well-known base names without a telling extension.
var nameLangs = map[string]Lang{
	"Rakefile": Ruby, "Gemfile": Ruby,
	".bashrc": Shell, ".profile": Shell, ".zshrc": Shell,
}

// DetectLang returns the language of a file from its name and, for files
// without a known extension, from a "#!" line at the start of head.
// Plain-text files (.txt, .md, .rst) are reported as Text; callers decide
// whether to fingerprint them.
func DetectLang(name string, head []byte) Lang {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	if l, ok := nameLangs[base]; ok {
		return l
	}
	ext := strings.ToLower(path.Ext(base))
	if l, ok := extLangs[ext]; ok {
		return l
	}
	if ext == "" && bytes.HasPrefix(head, []byte("#!")) {
		line := head
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line = line[:i]
		}
		return shebangLang(string(line))
	}
	return Unknown
}

func shebangLang(line string) Lang {
	fields := strings.Fields(strings.TrimPrefix(line, "#!"))
	if len(fields) == 0 {
		return Unknown
	}
	prog := path.Base(fields[0])
	if prog == "env" && len(fields) > 1 {
		prog = path.Base(fields[1])
		if prog == "-S" && len(fields) > 2 {
			prog = path.Base(fields[2])
		}
	}
	switch {
	case prog == "sh" || prog == "bash" || prog == "zsh" || prog == "ksh" || prog == "dash":
		return Shell
	case strings.HasPrefix(prog, "python"):
		return Python
	case strings.HasPrefix(prog, "ruby"):
		return Ruby
	case strings.HasPrefix(prog, "perl"):
		return Perl
	case prog == "node" || prog == "deno" || prog == "bun":
		return JavaScript
	case prog == "php":
		return PHP
	case prog == "Rscript":
		return R
	case strings.HasPrefix(prog, "lua"):
		return Lua
	case prog == "pwsh" || prog == "powershell":
		return PowerShell
	case prog == "elixir":
		return Elixir
	case prog == "groovy":
		return Groovy
	}
	return Unknown
}
