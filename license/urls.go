package license

import (
	"strings"

	"github.com/google/licensecheck"
)

// extraURLs are license URLs licensecheck's built-in table lacks, in
// normalized form (see normalizeURL).
var extraURLs = map[string]string{
	"apache.org/licenses/license-2.0":                       "Apache-2.0",
	"apache.org/licenses/license-1.1":                       "Apache-1.1",
	"gnu.org/licenses/gpl-2.0":                              "GPL-2.0-only",
	"gnu.org/licenses/old-licenses/gpl-2.0":                 "GPL-2.0-only",
	"gnu.org/licenses/gpl-3.0":                              "GPL-3.0-only",
	"gnu.org/licenses/lgpl-2.1":                             "LGPL-2.1-only",
	"gnu.org/licenses/old-licenses/lgpl-2.1":                "LGPL-2.1-only",
	"gnu.org/licenses/old-licenses/lgpl-2.0":                "LGPL-2.0-only",
	"gnu.org/licenses/lgpl-3.0":                             "LGPL-3.0-only",
	"gnu.org/licenses/agpl-3.0":                             "AGPL-3.0-only",
	"gnu.org/copyleft/gpl":                                  "GPL-3.0-only",
	"gnu.org/copyleft/lesser":                               "LGPL-3.0-only",
	"mozilla.org/mpl/2.0":                                   "MPL-2.0",
	"mozilla.org/mpl/mpl-1.1":                               "MPL-1.1",
	"mozilla.org/mpl/1.1":                                   "MPL-1.1",
	"eclipse.org/legal/epl-v10":                             "EPL-1.0",
	"eclipse.org/legal/epl-2.0":                             "EPL-2.0",
	"eclipse.org/legal/epl-v20":                             "EPL-2.0",
	"boost.org/license_1_0":                                 "BSL-1.0",
	"unlicense.org":                                         "Unlicense",
	"mit-license.org":                                       "MIT",
	"opensource.org/licenses/mit-license":                   "MIT",
	"opensource.org/licenses/bsd-license":                   "BSD-2-Clause",
	"opensource.org/licenses/isc-license":                   "ISC",
	"wtfpl.net":                                             "WTFPL",
	"wtfpl.net/txt/copying":                                 "WTFPL",
	"sam.zoy.org/wtfpl":                                     "WTFPL",
	"zlib.net/zlib_license":                                 "Zlib",
	"json.org/license":                                      "JSON",
	"creativecommons.org/publicdomain/zero/1.0":             "CC0-1.0",
	"creativecommons.org/publicdomain/mark/1.0":             "LicenseRef-Public-Domain",
	"blueoakcouncil.org/license/1.0.0":                      "BlueOak-1.0.0",
	"eupl.eu/1.2/en":                                        "EUPL-1.2",
	"joinup.ec.europa.eu/collection/eupl/eupl-text-eupl-12": "EUPL-1.2",
	"python.org/psf/license":                                "PSF-2.0",
	"php.net/license/3_01":                                  "PHP-3.01",
	"openssl.org/source/license":                            "OpenSSL",
	"scripts.sil.org/ofl":                                   "OFL-1.1",
	"openfontlicense.org":                                   "OFL-1.1",
}

// normalizeURL canonicalizes a URL for lookup: lower case, no scheme, no
// "www.", no query or fragment, no trailing "/", "/legalcode", ".html",
// ".htm", ".txt", ".php", ".md"; "opensource.org/license/" (the site's
// newer spelling) becomes "opensource.org/licenses/".
func normalizeURL(u string) string {
	u = strings.ToLower(u)
	u = strings.TrimPrefix(u, "http://")
	u = strings.TrimPrefix(u, "https://")
	u = strings.TrimPrefix(u, "www.")
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	for {
		t := strings.TrimSuffix(u, "/")
		t = strings.TrimSuffix(t, "/legalcode")
		for _, ext := range []string{".html", ".htm", ".txt", ".php", ".md", ".en"} {
			t = strings.TrimSuffix(t, ext)
		}
		if t == u {
			break
		}
		u = t
	}
	if rest, ok := strings.CutPrefix(u, "opensource.org/license/"); ok {
		u = "opensource.org/licenses/" + rest
	}
	return u
}

// buildURLTable merges licensecheck's built-in URLs with extraURLs.
func buildURLTable() map[string]string {
	m := map[string]string{}
	for _, l := range licensecheck.BuiltinLicenses() {
		if l.URL == "" || l.LRE != "" {
			continue
		}
		m[normalizeURL(l.URL)] = lcID(l.ID).String()
	}
	for k, v := range extraURLs {
		m[k] = v
	}
	return m
}

// lookupURL resolves a normalized URL to an expression.
func lookupURL(table map[string]string, u string) *expr {
	if id, ok := table[u]; ok {
		e, err := parseExpr(id, true)
		if err == nil {
			return e
		}
	}
	// Generic directories named by SPDX ID.
	for _, dir := range []string{"spdx.org/licenses/", "opensource.org/licenses/", "choosealicense.com/licenses/", "tldrlegal.com/license/"} {
		if id, ok := strings.CutPrefix(u, dir); ok && id != "" && !strings.Contains(id, "/") {
			if e, ok := canonicalID(id, false); ok {
				return e
			}
		}
	}
	// Try one path element less ("creativecommons.org/licenses/by/3.0/us").
	if i := strings.LastIndexByte(u, '/'); i > 0 {
		if id, ok := table[u[:i]]; ok && strings.HasPrefix(u, "creativecommons.org/") {
			e, err := parseExpr(id, true)
			if err == nil {
				return e
			}
		}
	}
	return nil
}

// findURLs locates license URLs in lower (the lower-cased text).
func findURLs(lower string, table map[string]string) []finding {
	var out []finding
	off := 0
	for off < len(lower) {
		i := strings.Index(lower[off:], "://")
		w := strings.Index(lower[off:], "www.")
		if i < 0 && w < 0 {
			break
		}
		var lo int
		switch {
		case i >= 0 && (w < 0 || i-5 <= w):
			lo = off + i
			for lo > off && isWordByte(lower[lo-1]) {
				lo--
			}
		default:
			lo = off + w
		}
		hi := lo
		for hi < len(lower) && urlByte(lower[hi]) {
			hi++
		}
		for hi > lo && strings.IndexByte(".,;:'\"", lower[hi-1]) >= 0 {
			hi--
		}
		off = max(hi, lo+4)
		if e := lookupURL(table, normalizeURL(lower[lo:hi])); e != nil {
			out = append(out, finding{e: e, lo: lo, hi: hi, evidence: "url", conf: 0.8})
		}
	}
	return out
}

func urlByte(c byte) bool {
	if c <= ' ' || c >= 0x7f {
		return false
	}
	return strings.IndexByte(`<>"'()[]{}|\^`+"`", c) < 0
}

// commonLicensesDir is where Debian systems keep the texts of common
// licenses; a path into it names a license as a URL does ("On Debian
// systems, the complete text of the GNU General Public License version 2
// can be found in /usr/share/common-licenses/GPL-2").
const commonLicensesDir = "/usr/share/common-licenses/"

// commonLicenses maps the files of commonLicensesDir, lower-cased, to
// their SPDX IDs. The unversioned GPL, LGPL and GFDL (links to the latest
// version) name no version, and are left out.
var commonLicenses = map[string]string{
	"apache-2.0": "Apache-2.0", "artistic": "Artistic-1.0-Perl", "bsd": "BSD-3-Clause", "cc0-1.0": "CC0-1.0",
	"gfdl-1.2": "GFDL-1.2-only", "gfdl-1.3": "GFDL-1.3-only", "gpl-1": "GPL-1.0-only", "gpl-2": "GPL-2.0-only",
	"gpl-3": "GPL-3.0-only", "lgpl-2": "LGPL-2.0-only", "lgpl-2.1": "LGPL-2.1-only", "lgpl-3": "LGPL-3.0-only",
	"mpl-1.1": "MPL-1.1", "mpl-2.0": "MPL-2.0",
}

// findCommonLicensePaths locates paths into commonLicensesDir in lower
// (the lower-cased text), as URL findings: weak evidence that a notice
// beside them (its version range, "or any later version") refines.
func findCommonLicensePaths(lower string) []finding {
	var out []finding
	for off := 0; ; {
		i := strings.Index(lower[off:], commonLicensesDir)
		if i < 0 {
			return out
		}
		lo := off + i
		hi := lo + len(commonLicensesDir)
		for hi < len(lower) && (isWordByte(lower[hi]) || lower[hi] == '-' || lower[hi] == '.' && hi+1 < len(lower) && isWordByte(lower[hi+1])) {
			hi++
		}
		off = hi
		if id, ok := commonLicenses[lower[lo+len(commonLicensesDir):hi]]; ok {
			if e, err := parseExpr(id, true); err == nil {
				out = append(out, finding{e: e, lo: lo, hi: hi, evidence: EvidenceURL, conf: 0.8})
			}
		}
	}
}

// dropPointersBeside drops the paths into commonLicensesDir from found
// when something else in the text grants a license (a finding without
// Why, after markSections): Debian's "On
// Debian systems, the complete text ... can be found in
// /usr/share/common-licenses/GPL-2" names where the text of the license
// that the notice above it grants lies (whose version range it states,
// or which it extends: the LGPL-3.0 points to the GPL-3.0's text), not a
// license of its own. A path alone ("See
// /usr/share/common-licenses/Apache-2.0.") names the license.
func dropPointersBeside(lower string, found []finding) []finding {
	pointer := func(f finding) bool {
		return f.evidence == EvidenceURL && strings.HasPrefix(lower[f.lo:], commonLicensesDir)
	}
	others := false
	for _, f := range found {
		others = others || !pointer(f) && f.why == ""
	}
	if !others {
		return found
	}
	out := found[:0]
	for _, f := range found {
		if !pointer(f) {
			out = append(out, f)
		}
	}
	return out
}
