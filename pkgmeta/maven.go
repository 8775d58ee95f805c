package pkgmeta

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// pomCoords are Maven coordinates, of a project or of its parent.
type pomCoords struct {
	GroupID    string `xml:"groupId"`
	ArtifactID string `xml:"artifactId"`
	Version    string `xml:"version"`
}

// pomProject holds the elements of a pom.xml that Detect uses.
type pomProject struct {
	XMLName xml.Name `xml:"project"`
	pomCoords
	Parent   pomCoords `xml:"parent"`
	Licenses []struct {
		Name string `xml:"name"`
		URL  string `xml:"url"`
	} `xml:"licenses>license"`
	Properties struct {
		Entries []struct {
			XMLName xml.Name
			Value   string `xml:",chardata"`
		} `xml:",any"`
	} `xml:"properties"`
}

// maxPropertyDepth bounds the expansion of nested ${...} references.
const maxPropertyDepth = 8

// parsePOM reads a Maven pom.xml: groupId (or the parent's), artifactId,
// version (or the parent's), and the names of <licenses><license> (a
// license's URL when it has no name), joined with " OR " as Maven means a
// choice among listed licenses. The package name is "groupId:artifactId".
// ${...} references to <properties>, project.* and parent coordinates are
// expanded; a version that still holds an unresolved reference (a property
// defined in a parent POM) is left empty. Documents in ISO-8859-1,
// Windows-1252 and US-ASCII are accepted besides UTF-8.
func parsePOM(data []byte) (*Package, error) {
	var p pomProject
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = pomCharsetReader
	if err := d.Decode(&p); err != nil {
		return nil, fmt.Errorf("parsing XML: %w", err)
	}
	props := make(map[string]string, len(p.Properties.Entries)+8)
	for _, e := range p.Properties.Entries {
		props[e.XMLName.Local] = strings.TrimSpace(e.Value)
	}
	group := strings.TrimSpace(cmpOr(p.GroupID, p.Parent.GroupID))
	artifact := strings.TrimSpace(p.ArtifactID)
	version := strings.TrimSpace(cmpOr(p.Version, p.Parent.Version))
	for k, v := range map[string]string{
		"project.groupId":           group,
		"project.artifactId":        artifact,
		"project.version":           version,
		"pom.version":               version,
		"version":                   version,
		"project.parent.groupId":    strings.TrimSpace(p.Parent.GroupID),
		"project.parent.version":    strings.TrimSpace(p.Parent.Version),
		"project.parent.artifactId": strings.TrimSpace(p.Parent.ArtifactID),
	} {
		if _, ok := props[k]; !ok {
			props[k] = v
		}
	}
	group = expandProps(group, props)
	artifact = expandProps(artifact, props)
	version = expandProps(version, props)
	if artifact == "" {
		return nil, errors.New("missing artifactId")
	}
	name := artifact
	if group != "" {
		name = group + ":" + artifact
	}
	var ls []string
	for _, l := range p.Licenses {
		ls = append(ls, cmpOr(strings.TrimSpace(l.Name), strings.TrimSpace(l.URL)))
	}
	return newPackage(EcosystemMaven, name, version, joinLicenses(ls)), nil
}

// cmpOr returns a if it is not blank, else b.
func cmpOr(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

// expandProps expands ${name} references in s from props. It returns "" if
// a reference cannot be resolved within maxPropertyDepth rounds.
func expandProps(s string, props map[string]string) string {
	for range maxPropertyDepth {
		i := strings.Index(s, "${")
		if i < 0 {
			return s
		}
		var b strings.Builder
		for i >= 0 {
			j := strings.IndexByte(s[i:], '}')
			if j < 0 {
				return ""
			}
			v, ok := props[s[i+2:i+j]]
			if !ok {
				return ""
			}
			b.WriteString(s[:i])
			b.WriteString(v)
			s = s[i+j+1:]
			i = strings.Index(s, "${")
		}
		b.WriteString(s)
		s = b.String()
		if len(s) > 1024 {
			return ""
		}
	}
	if strings.Contains(s, "${") {
		return ""
	}
	return s
}

// pomCharsetReader decodes the single-byte encodings that POMs declare
// besides UTF-8. Windows-1252 is read as ISO-8859-1, which differs only in
// punctuation of the 0x80-0x9F range.
func pomCharsetReader(charset string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "utf-8", "utf8":
		return input, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "us-ascii", "ascii":
		data, err := io.ReadAll(input)
		if err != nil {
			return nil, fmt.Errorf("reading %s document: %w", charset, err)
		}
		out := make([]byte, 0, len(data)+len(data)/8)
		for _, c := range data {
			out = utf8.AppendRune(out, rune(c))
		}
		return bytes.NewReader(out), nil
	}
	return nil, fmt.Errorf("unsupported XML encoding %q", charset)
}
