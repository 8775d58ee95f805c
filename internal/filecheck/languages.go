package filecheck

import (
	"errors"
	"path"
	"strings"
)

// ErrOtherLanguage is the error of a skip of an unsupported type whose
// name marks a programming language snipscan does not read (see
// OtherLanguage): code that was not fingerprinted.
var ErrOtherLanguage = errors.New("a programming language snipscan does not read")

// otherLanguages names, by extension (lower case), the programming
// languages snipscan does not tokenize. An extension that names data or
// build files as often as code (.v, .d, .cl, .pro, .m4) is not listed.
var otherLanguages = map[string]string{
	".fs": "F#", ".fsi": "F#", ".fsx": "F#",
	".ml": "OCaml", ".mli": "OCaml", ".sml": "Standard ML",
	".erl": "Erlang", ".hrl": "Erlang",
	".clj": "Clojure", ".cljs": "ClojureScript", ".cljc": "Clojure",
	".jl": "Julia", ".nim": "Nim", ".cr": "Crystal", ".vala": "Vala", ".gleam": "Gleam", ".odin": "Odin",
	".mojo": "Mojo", ".hx": "Haxe", ".as": "ActionScript", ".pde": "Processing",
	".pas": "Pascal", ".dpr": "Delphi",
	".f": "Fortran", ".for": "Fortran", ".f90": "Fortran", ".f95": "Fortran", ".f03": "Fortran", ".f08": "Fortran",
	".cob": "COBOL", ".cbl": "COBOL",
	".adb": "Ada", ".ads": "Ada",
	".vb": "Visual Basic", ".bas": "BASIC", ".vbs": "VBScript",
	".tcl": "Tcl", ".coffee": "CoffeeScript", ".elm": "Elm", ".purs": "PureScript",
	".rkt": "Racket", ".scm": "Scheme", ".ss": "Scheme", ".lisp": "Common Lisp", ".lsp": "Lisp", ".el": "Emacs Lisp",
	".raku": "Raku", ".rakumod": "Raku",
	".vhd": "VHDL", ".vhdl": "VHDL", ".sv": "SystemVerilog", ".svh": "SystemVerilog",
	".wat": "WebAssembly text",
	".bat": "Batch", ".cmd": "Batch", ".awk": "AWK", ".fish": "fish", ".nu": "Nushell", ".vim": "Vim script",
	".applescript": "AppleScript", ".ahk": "AutoHotkey", ".nix": "Nix",
	".jsp": "JSP", ".cshtml": "Razor", ".aspx": "ASP.NET",
}

// OtherLanguage returns the name of the programming language that the
// extension of name marks, when snipscan does not read that language: ""
// for a language it reads, data, documentation, or a name without an
// extension.
func OtherLanguage(name string) string {
	return otherLanguages[strings.ToLower(path.Ext(strings.ReplaceAll(name, "\\", "/")))]
}
