package pkgmeta

import (
	"strings"

	"github.com/package-url/packageurl-go"
)

// BuildPURL returns the package URL of a package, or "" when name is empty
// or the ecosystem has no purl type. Callers that learn a version after
// [Detect] (a Go module found in the module cache or in vendor/modules.txt)
// set Version and rebuild the PURL with it.
//
// Namespaces follow each purl type: a Go module path is split at its last
// slash and keeps its case (module paths are case-sensitive; the purl
// spec's lowercasing of golang names is a known defect, purl-spec#308); an
// npm scope is the namespace ("pkg:npm/%40scope/name@1.2.3"); a Maven
// "groupId:artifactId" becomes namespace groupId and name artifactId; a
// Python name is normalised as PEP 503 says (lowercase, runs of "-", "_"
// and "." become "-").
func BuildPURL(ecosystem, name, version string) string {
	if name == "" {
		return ""
	}
	var ns string
	switch ecosystem {
	case EcosystemGo:
		if i := strings.LastIndexByte(name, '/'); i >= 0 {
			ns, name = name[:i], name[i+1:]
		}
	case EcosystemNPM:
		if strings.HasPrefix(name, "@") {
			if i := strings.IndexByte(name, '/'); i >= 0 {
				ns, name = name[:i], name[i+1:]
			}
		}
	case EcosystemMaven:
		if i := strings.IndexByte(name, ':'); i >= 0 {
			ns, name = name[:i], name[i+1:]
		}
	case EcosystemPyPI:
		name = pep503(name)
	case EcosystemCargo, EcosystemGem:
	default:
		return ""
	}
	if name == "" {
		return ""
	}
	return packageurl.NewPackageURL(ecosystem, ns, name, version, nil, "").ToString()
}

// pep503 normalises a Python distribution name: lowercase, with each run of
// "-", "_" and "." replaced by a single "-".
func pep503(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	run := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '-' || c == '_' || c == '.':
			if !run {
				b.WriteByte('-')
			}
			run = true
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		run = false
		b.WriteByte(c)
	}
	return b.String()
}
