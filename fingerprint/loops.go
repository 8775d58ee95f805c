package fingerprint

// loopWords are, per language whose blocks braces delimit, the keywords
// that start a loop.
var loopWords = func() [numLangs]map[uint32]bool {
	var out [numLangs]map[uint32]bool
	for lang, words := range map[Lang][]string{
		Go:         {"for"},
		C:          {"for", "while", "do"},
		Java:       {"for", "while", "do"},
		JavaScript: {"for", "while", "do"},
		Rust:       {"for", "while", "loop"},
		CSharp:     {"for", "foreach", "while", "do"},
		PHP:        {"for", "foreach", "while", "do"},
		Kotlin:     {"for", "while", "do"},
		Swift:      {"for", "while", "repeat"},
		Scala:      {"for", "while", "do"},
		Perl:       {"for", "foreach", "while", "until", "do"},
		Dart:       {"for", "while", "do"},
		Solidity:   {"for", "while", "do"},
		Groovy:     {"for", "while", "do"},
		Zig:        {"for", "while"},
		PowerShell: {"for", "foreach", "while", "do"},
		Markup:     {"for", "while", "do"},
	} {
		out[lang] = map[uint32]bool{}
		for _, w := range words {
			out[lang][hashString(w)] = true
		}
	}
	return out
}()

// IsLoop reports whether tok starts a loop statement of lang (for, while,
// do, foreach, loop, repeat, as lang has them), in the languages whose
// blocks braces delimit (see Lang.BraceDeclarations); false in the others,
// where a loop's extent is not its braces. The while that ends a do-while
// loop is one too: count loops by their blocks.
func IsLoop(lang Lang, tok Token) bool {
	return lang < numLangs && loopWords[lang][tok.Sym]
}
