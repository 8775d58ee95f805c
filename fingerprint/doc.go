// Package fingerprint turns source files into winnowed fingerprints. It is
// pure: bytes in, tokens and fingerprints out, no I/O.
//
// # Tokens
//
// A file is tokenized with the lexical rules of its language family
// (DetectLang): C-like languages (Go, C/C++/Objective-C, Java, JavaScript
// and TypeScript, Rust, C#, Kotlin, Swift, Scala, PHP, Dart, Solidity,
// Groovy, Zig), hash-comment languages (Python, Ruby, shell, Perl, R,
// PowerShell, Elixir), SQL, Lua, Haskell, assembly, markup (HTML and Vue
// and Svelte components, whose script elements are read as JavaScript,
// at their lines in the file, and nothing else), and a plain-text
// fallback. Comments and white space never produce
// tokens, so a license header or a new layout can neither cause nor hide a
// match. Two more normalizations remove what formatters change: semicolons
// are dropped, and so is a comma right before a closing bracket.
//
// Every token has two identities. Sym is normalized: identifiers map to
// SymIdent (then to the distance back to the previous occurrence of the
// same name, in the k-gram; keys of keyed elements, the x of Point{x: x},
// take no part in that: renaming changes the value, not the key, see
// IsKey), while keywords, operators and literals keep their
// text. (MOSS, JPlag and Dolos abstract literals too; snipscan keeps them:
// renaming leaves them alone, tables of numbers or strings abstracted to
// one class all look alike, and code of a common shape — a switch that
// returns names, a list of flag definitions — is told apart by its
// strings.) Exact hashes the token's text. Fingerprints are computed
// from Sym, so renaming cannot hide a copy; Exact lets a match be scored
// as verbatim or modified. Assembly and plain text keep their words
// (abstracting them would make every line alike).
//
// # Fingerprints
//
// The k-grams of K consecutive Syms are hashed with a 64-bit polynomial
// rolling hash finished by MurmurHash3's fmix64. Robust winnowing
// (Schleimer, Wilkerson, Aiken 2003) selects the minimum hash of every
// window of W consecutive k-grams; among equal minima it keeps the previous
// selection while it is in the window, else it takes the rightmost, so a
// run of identical k-grams does not select a fingerprint at every position.
// About 2/(W+1) of the k-grams are selected.
//
// The guarantee: any run of at least t = W + K - 1 tokens (Params.Threshold)
// shared by two files yields at least one shared fingerprint. With the
// defaults K = 20 and W = 16, t = 35 tokens: about five lines of Go.
//
// Declaration ends extend it to small functions. In the languages whose
// declarations are delimited by braces (Lang.BraceDeclarations) the k-gram
// that ends each declaration (Decls: a top-level function or type, or a
// method in a class, a namespace or an impl), at its closing brace, is
// selected too (and marked End) when the declaration holds it whole. It
// depends only on the declaration's own last K tokens, so a copied
// function of K to t-1 tokens, which winnowing alone leaves without a
// shared fingerprint about half the time (464 of 933 such functions of
// strings, bytes, net/http, go/ast and go/types), shares that one with its
// source. Braces inside parentheses (interface{} in a parameter list) and
// the empty braces of struct{} and interface{} (a result of type
// chan struct{}) end nothing. It costs one fingerprint per declaration at
// most: 5% more database on GOROOT/src (28.0 to 29.3 MB).
//
// Compiler-emitted helpers select nothing. Babel and TypeScript write the
// same helper functions into every JavaScript build they compile
// (_createClass, _classCallCheck, _extends, __awaiter, __generator ...):
// they are the compiler's output, not the code of the package whose build
// holds them. Helpers finds their declarations by name (those
// @babel/runtime and tslib ship; a name people give their own functions
// too, such as _get or ownKeys, only beside a helper of a distinctive
// name, behind TypeScript's guard, or in the shape of one of the
// packages' helpers, hashed in helperShapes), and File selects no k-gram
// that lies within one, in the corpus and in scanned files alike, so that
// such code is attributed to no package. A database indexed before keeps
// the helpers of the files it holds until they are indexed again, but a
// scanned file's helpers no longer look them up.
//
// The stored Hash is fmix64 applied once more to the selected minimum:
// minima crowd into the low end of the range, and a mixed value keeps any
// later split of an index by key range balanced. Each fingerprint records
// the first and last line of its k-gram, so reported line ranges are exact
// on both sides, and Exact, the hash of the k-gram's exact token texts.
//
// File also returns NormHash, a hash of the whole normalized token stream,
// for whole-file identity, and HeaderEnd, the offset of the first token
// past any preprocessor directives that start the file, which bounds the
// comment header where licenses are stated.
//
// Changing the tokenization, the normalization or the hashing changes
// every fingerprint: bump Version, which corpora record and check.
package fingerprint
