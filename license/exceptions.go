package license

import "strings"

// exceptionRules recognize license exceptions in prose. base lists the
// license ID prefixes the exception may attach to.
var exceptionRules = []struct {
	phrases []string // any of these (lower-case, single-spaced words)
	id      string
	base    []string
}{
	{[]string{"classpath exception", "classpath linking exception",
		"permission to link this library with independent modules to produce an executable"}, "Classpath-exception-2.0", []string{"GPL-"}},
	{[]string{"gcc runtime library exception"}, "GCC-exception-3.1", []string{"GPL-3.0"}},
	{[]string{"llvm exceptions", "llvm exception"}, "LLVM-exception", []string{"Apache-2.0"}},
	{[]string{"linux-syscall-note", "does not cover user programs that use kernel services by normal system calls"}, "Linux-syscall-note", []string{"GPL-"}},
	{[]string{"bison parser skeleton"}, "Bison-exception-2.2", []string{"GPL-"}},
	{[]string{"built using gnu libtool"}, "Libtool-exception", []string{"GPL-"}},
	{[]string{"universal foss exception"}, "Universal-FOSS-exception-1.0", []string{"GPL-", "LGPL-", "AGPL-"}},
	{[]string{"ocaml lgpl linking exception", "ocaml linking exception"}, "OCaml-LGPL-linking-exception", []string{"LGPL-"}},
}

// squash joins the words of a text with single spaces, for phrase search.
func squash(ws []word) string {
	var b strings.Builder
	for i, w := range ws {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w.w)
	}
	return b.String()
}

// applyExceptions attaches exceptions stated in the text to the first
// matching license of each finding ("GPL-2.0-only" becomes
// "GPL-2.0-only WITH Classpath-exception-2.0").
func applyExceptions(lower string, ws []word, found []finding) []finding {
	if len(found) == 0 || !strings.Contains(lower, "exception") && !strings.Contains(lower, "kernel services") && !strings.Contains(lower, "special exception") {
		return found
	}
	text := squash(ws)
	for _, rule := range exceptionRules {
		hit := false
		for _, p := range rule.phrases {
			if strings.Contains(text, p) {
				hit = true
				break
			}
		}
		if !hit {
			continue
		}
		for i := range found {
			if found[i].evidence == EvidenceTag {
				continue
			}
			found[i].e = withException(found[i].e, rule.id, rule.base)
		}
	}
	return found
}

// withException returns e with exc attached to its leaves whose IDs start
// with one of base and that have no exception yet.
func withException(e *expr, exc string, base []string) *expr {
	if e.op == 0 {
		if e.exception != "" {
			return e
		}
		for _, b := range base {
			if strings.HasPrefix(e.id, b) {
				return &expr{id: e.id, exception: exc}
			}
		}
		return e
	}
	kids := make([]*expr, len(e.kids))
	for i, k := range e.kids {
		kids[i] = withException(k, exc, base)
	}
	return join(e.op, kids...)
}
