package license

import (
	"fmt"
	"strings"
	"sync"

	"github.com/google/licensecheck"
)

// Category is a license's broad policy class, ordered from least to most
// restrictive (Unknown aside).
type Category int

// License categories. Their String forms are stable (they appear in JSON
// output and in policy files).
const (
	// Unknown means the license is not recognized or not classified.
	Unknown Category = iota
	// Unrestricted: no conditions at all (public domain, CC0-1.0, Unlicense, 0BSD, MIT-0).
	Unrestricted
	// Permissive: keep the notice (MIT, BSD, Apache-2.0, ISC, ...).
	Permissive
	// WeakCopyleft: share changes to the licensed files or library (LGPL, MPL, EPL, CDDL, ...).
	WeakCopyleft
	// StrongCopyleft: share the whole program (GPL, ...).
	StrongCopyleft
	// NetworkCopyleft: share the whole program even when only offered over a network (AGPL, SSPL, EUPL, ...).
	NetworkCopyleft
	// NonCommercial: commercial use or modification forbidden, or source-available only
	// (CC-BY-NC-*, CC-BY-ND-*, PolyForm Noncommercial, Commons Clause, BUSL-1.1, ...).
	NonCommercial
)

var categoryNames = [...]string{
	Unknown:         "unknown",
	Unrestricted:    "unrestricted",
	Permissive:      "permissive",
	WeakCopyleft:    "weak-copyleft",
	StrongCopyleft:  "strong-copyleft",
	NetworkCopyleft: "network-copyleft",
	NonCommercial:   "non-commercial",
}

// String returns the stable lower-case name of c ("permissive", "weak-copyleft", ...).
func (c Category) String() string {
	if c < 0 || int(c) >= len(categoryNames) {
		return fmt.Sprintf("Category(%d)", int(c))
	}
	return categoryNames[c]
}

// MarshalText encodes c as its String form.
func (c Category) MarshalText() ([]byte, error) {
	if c < 0 || int(c) >= len(categoryNames) {
		return nil, fmt.Errorf("license: marshal category: invalid value %d", int(c))
	}
	return []byte(categoryNames[c]), nil
}

// UnmarshalText decodes a String form of a Category.
func (c *Category) UnmarshalText(b []byte) error {
	for i, n := range categoryNames {
		if n == string(b) {
			*c = Category(i)
			return nil
		}
	}
	return fmt.Errorf("license: unmarshal category: unknown name %q", b)
}

// categoryOfType maps licensecheck's obligation bits onto a Category.
func categoryOfType(t licensecheck.Type) Category {
	switch {
	case t&licensecheck.NonCommercial != 0:
		return NonCommercial
	case t&licensecheck.ShareServer != 0:
		return NetworkCopyleft
	case t&licensecheck.ShareProgram != 0:
		return StrongCopyleft
	case t&licensecheck.ShareChanges != 0:
		return WeakCopyleft
	case t&licensecheck.Notice != 0:
		return Permissive
	case t&licensecheck.Unrestricted != 0:
		return Unrestricted
	}
	return Unknown
}

// typeRules assigns licensecheck Type bits to SPDX IDs by exact ID or by
// prefix (an entry ending in '*'). licensecheck v0.3.1 defines the Type
// vocabulary but fills it in for only one built-in license (WTFPL:
// Discouraged), so this table supplies the obligations in the same
// vocabulary; licensecheck's own bits are OR-ed in on top (see typeOf).
// The first matching rule wins; every other known SPDX ID is Notice.
var typeRules = []struct {
	pattern string
	t       licensecheck.Type
}{
	// Unrestricted.
	{"0BSD", licensecheck.Unrestricted},
	{"CC0-1.0", licensecheck.Unrestricted},
	{"Unlicense", licensecheck.Unrestricted},
	{"MIT-0", licensecheck.Unrestricted},
	{"WTFPL", licensecheck.Unrestricted},
	{"CC-PDDC", licensecheck.Unrestricted},
	{"PDDL-1.0", licensecheck.Unrestricted},
	{"NIST-PD*", licensecheck.Unrestricted},
	{"ANTLR-PD*", licensecheck.Unrestricted},
	{"SAX-PD*", licensecheck.Unrestricted},
	{"blessing", licensecheck.Unrestricted},
	{"LicenseRef-Public-Domain", licensecheck.Unrestricted},
	// Non-commercial, no-derivatives and source-available.
	{"CC-BY-NC*", licensecheck.NonCommercial},
	{"CC-BY-ND*", licensecheck.NonCommercial},
	{"PolyForm-*", licensecheck.NonCommercial},
	{"Prosperity-*", licensecheck.NonCommercial},
	{"BUSL-*", licensecheck.NonCommercial},
	{"Elastic-2.0", licensecheck.NonCommercial},
	{"LicenseRef-licensecheck-CommonsClause", licensecheck.NonCommercial},
	{"LicenseRef-licensecheck-Prosperity-3.0.0", licensecheck.NonCommercial},
	{"LicenseRef-licensecheck-CC-BY-NC-SA-3.0-US", licensecheck.NonCommercial},
	// Network copyleft.
	{"AGPL-*", licensecheck.ShareServer},
	{"SSPL-*", licensecheck.ShareServer},
	{"CPAL-1.0", licensecheck.ShareServer},
	{"EUPL-*", licensecheck.ShareServer},
	{"OSL-3.0", licensecheck.ShareServer},
	{"NPOSL-3.0", licensecheck.ShareServer},
	{"RPL-*", licensecheck.ShareServer},
	// Strong copyleft.
	{"GPL-*", licensecheck.ShareProgram},
	{"OSL-*", licensecheck.ShareProgram},
	{"Sleepycat", licensecheck.ShareProgram},
	{"CECILL-B", licensecheck.Notice},
	{"CECILL-C", licensecheck.ShareChanges},
	{"CECILL-*", licensecheck.ShareProgram},
	{"copyleft-next-*", licensecheck.ShareProgram},
	{"CERN-OHL-S-*", licensecheck.ShareProgram},
	{"LiLiQ-Rplus-*", licensecheck.ShareProgram},
	{"SimPL-2.0", licensecheck.ShareProgram},
	{"NGPL", licensecheck.ShareProgram},
	{"RPSL-1.0", licensecheck.ShareProgram},
	{"QPL-1.0", licensecheck.ShareProgram},
	// Weak copyleft.
	{"LGPL*", licensecheck.ShareChanges},
	{"MPL-*", licensecheck.ShareChanges},
	{"EPL-*", licensecheck.ShareChanges},
	{"CDDL-*", licensecheck.ShareChanges},
	{"CPL-1.0", licensecheck.ShareChanges},
	{"IPL-1.0", licensecheck.ShareChanges},
	{"MS-RL", licensecheck.ShareChanges},
	{"APSL-*", licensecheck.ShareChanges},
	{"SPL-1.0", licensecheck.ShareChanges},
	{"NPL-*", licensecheck.ShareChanges},
	{"ErlPL-1.1", licensecheck.ShareChanges},
	{"CC-BY-SA-*", licensecheck.ShareChanges},
	{"GFDL-*", licensecheck.ShareChanges},
	{"OFL-*", licensecheck.ShareChanges},
	{"ODbL-*", licensecheck.ShareChanges},
	{"CDLA-Sharing-*", licensecheck.ShareChanges},
	{"CERN-OHL-W-*", licensecheck.ShareChanges},
	{"LiLiQ-R-*", licensecheck.ShareChanges},
	{"OSET-PL-*", licensecheck.ShareChanges},
	{"CATOSL-1.1", licensecheck.ShareChanges},
	{"Motosoto", licensecheck.ShareChanges},
	{"Nokia", licensecheck.ShareChanges},
	{"OCLC-2.0", licensecheck.ShareChanges},
	{"RHeCos-1.1", licensecheck.ShareChanges},
	{"SugarCRM-1.1.3", licensecheck.ShareChanges},
	{"Interbase-1.0", licensecheck.ShareChanges},
	{"gSOAP-1.3b", licensecheck.ShareChanges},
	{"CUA-OPL-1.0", licensecheck.ShareChanges},
	{"SISSL*", licensecheck.ShareChanges},
	{"TAPR-OHL-1.0", licensecheck.ShareChanges},
	{"Watcom-1.0", licensecheck.ShareChanges},
	{"LPL-*", licensecheck.ShareChanges},
	{"Zimbra-*", licensecheck.ShareChanges},
}

// typeOf returns the obligations of one canonical SPDX ID (without
// exception), or Unknown for IDs SPDX and licensecheck do not know.
// lcTypes holds licensecheck's own Type bits by ID.
func typeOf(id string, lcTypes map[string]licensecheck.Type) licensecheck.Type {
	base := strings.TrimSuffix(id, "+")
	var t licensecheck.Type
	for _, r := range typeRules {
		if p, ok := strings.CutSuffix(r.pattern, "*"); ok {
			if strings.HasPrefix(base, p) {
				t = r.t
				break
			}
		} else if r.pattern == base {
			t = r.t
			break
		}
	}
	if t == 0 && knownID(base) {
		t = licensecheck.Notice
	}
	if t == 0 {
		return licensecheck.Unknown
	}
	return t | lcTypes[base]
}

// knownID reports whether id is an SPDX license ID (active or
// deprecated) or a licensecheck license that this package maps to a
// LicenseRef.
func knownID(id string) bool {
	if strings.HasPrefix(id, "LicenseRef-licensecheck-") {
		return true
	}
	if strings.HasPrefix(id, "LicenseRef-") || strings.HasPrefix(id, "DocumentRef-") {
		return false
	}
	_, ok := canonicalID(id, false)
	return ok
}

// weakeningExceptions are exceptions that turn a program-wide copyleft
// into a per-file or per-library one (linking and runtime exceptions).
var weakeningExceptions = []string{
	"Classpath-exception-2.0", "GCC-exception-2.0", "GCC-exception-3.1",
	"LLVM-exception", "Linux-syscall-note", "Autoconf-exception-2.0",
	"Autoconf-exception-3.0", "Bison-exception-2.2", "Libtool-exception",
	"Font-exception-2.0", "OpenJDK-assembly-exception-1.0", "eCos-exception-2.0",
	"WxWindows-exception-3.1", "Universal-FOSS-exception-1.0",
	"LGPL-3.0-linking-exception", "OCaml-LGPL-linking-exception",
	"GPL-3.0-linking-exception", "GPL-3.0-linking-source-exception",
	"GPL-CC-1.0", "u-boot-exception-2.0", "Qt-GPL-exception-1.0",
}

// CategoryOf returns the category of an SPDX expression. For OR it takes
// the least restrictive operand (the licensee may choose), for AND the
// most restrictive; if any operand of an AND is Unknown, so is the AND.
// Linking and runtime exceptions (Classpath, GCC, LLVM, ...) lower a
// strong copyleft to weak copyleft. The categories derive from
// licensecheck.Type bits (see typeRules for where they come from).
// An unparsable expression is Unknown.
func CategoryOf(expression string) Category {
	e, err := parseExpr(expression, true)
	if err != nil {
		return Unknown
	}
	return categoryOfExpr(e, lcTypes())
}

// lcTypes is licensecheck's own Type bits for its built-in licenses,
// computed once; it is never modified after construction.
var lcTypes = sync.OnceValue(builtinTypes)

func categoryOfExpr(e *expr, lcTypes map[string]licensecheck.Type) Category {
	switch e.op {
	case opAnd:
		worst := Unknown
		for _, k := range e.kids {
			c := categoryOfExpr(k, lcTypes)
			if c == Unknown {
				return Unknown
			}
			worst = max(worst, c)
		}
		return worst
	case opOr:
		best := Unknown
		for _, k := range e.kids {
			c := categoryOfExpr(k, lcTypes)
			if c != Unknown && (best == Unknown || c < best) {
				best = c
			}
		}
		return best
	}
	c := categoryOfType(typeOf(e.id, lcTypes))
	if c == StrongCopyleft && e.exception != "" {
		for _, x := range weakeningExceptions {
			if strings.EqualFold(x, e.exception) {
				return WeakCopyleft
			}
		}
	}
	return c
}

// builtinTypes returns licensecheck's own Type bits for its built-in
// licenses, keyed by canonical ID (only non-Unknown entries).
func builtinTypes() map[string]licensecheck.Type {
	m := map[string]licensecheck.Type{}
	for _, l := range licensecheck.BuiltinLicenses() {
		if l.Type != licensecheck.Unknown {
			m[lcID(l.ID).String()] |= l.Type
		}
	}
	return m
}
