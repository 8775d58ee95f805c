package report_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/xeipuuv/gojsonschema"

	"github.com/snipscan/snipscan/internal/schemacheck"
)

func cdxSchema(t *testing.T) *gojsonschema.Schema {
	t.Helper()
	schema, err := schemacheck.CycloneDX16()
	if err != nil {
		t.Fatal(err)
	}
	return schema
}

// decodeCDX validates a rendering against the schema and decodes it with
// cyclonedx-go.
func decodeCDX(t *testing.T, schema *gojsonschema.Schema, data []byte) *cdx.BOM {
	t.Helper()
	if err := schemacheck.Validate(schema, data); err != nil {
		t.Errorf("not valid CycloneDX 1.6: %v", err)
	}
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(data), cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
		t.Fatalf("cyclonedx-go cannot decode the output: %v\n%s", err, data)
	}
	return &bom
}

func TestCycloneDX(t *testing.T) {
	t.Parallel()
	schema := cdxSchema(t)
	data := render(t, "cyclonedx-json", sbomDoc(), sbomOptions(sbomFiles()))
	bom := decodeCDX(t, schema, data)
	if bom.BOMFormat != "CycloneDX" || bom.SpecVersion != cdx.SpecVersion1_6 || !strings.HasPrefix(bom.SerialNumber, "urn:uuid:") {
		t.Errorf("format %q version %v serial %q", bom.BOMFormat, bom.SpecVersion, bom.SerialNumber)
	}
	if bom.Metadata == nil || bom.Metadata.Timestamp != clock.Format(time.RFC3339) || bom.Metadata.Component == nil ||
		bom.Metadata.Component.Name != "src extra.go" {
		t.Errorf("metadata %+v", bom.Metadata)
	}
	tools := *bom.Metadata.Tools.Components
	if len(tools) != 1 || tools[0].Name != "snipscan" || tools[0].Version != "v0.0.0-test" {
		t.Errorf("tools %+v", tools)
	}

	byPURL := map[string]cdx.Component{}
	for _, c := range *bom.Components {
		byPURL[c.PackageURL] = c
	}
	if len(byPURL) != 4 {
		t.Fatalf("%d components, want 4 origins: %v", len(byPURL), byPURL)
	}
	std := byPURL["pkg:golang/stdlib@1.26.8"]
	if std.Name != "stdlib" || std.Version != "1.26.8" || std.Type != cdx.ComponentTypeLibrary ||
		std.Licenses == nil || (*std.Licenses)[0].Expression != "BSD-3-Clause" || std.Copyright != "Copyright 2009 The Go Authors" {
		t.Errorf("stdlib component %+v", std)
	}
	occ := *std.Evidence.Occurrences
	if len(occ) != 1 || occ[0].Location != "src/z.go" || *occ[0].Line != 12 || *occ[0].Offset != 301 ||
		!strings.Contains(occ[0].AdditionalContext, "lines 12-58 (bytes 301-1877) of src/z.go copied from container/list/list.go lines 40-86") {
		t.Errorf("stdlib occurrences %+v", occ)
	}
	// Two licenses in one package: both, joined with AND; a LicenseRef
	// stays an expression; two findings with one ID get distinct refs.
	nc := byPURL["pkg:golang/example.com/nc@v2.0.0"]
	if got := (*nc.Licenses)[0].Expression; got != "LicenseRef-licensecheck-CommonsClause AND MIT" {
		t.Errorf("nc licenses %q", got)
	}
	if n := len(*nc.Evidence.Occurrences); n != 3 {
		t.Errorf("nc: %d occurrences, want 3", n)
	}
	if !strings.Contains(nc.Copyright, "Copyright 2021 Other Person") {
		t.Errorf("nc copyright %q", nc.Copyright)
	}
	// Code without package metadata: named by its indexed root, no purl.
	misc := byPURL[""]
	if misc.Name != "/srv/corpus" || misc.Licenses != nil || !strings.Contains(misc.Description, "without package metadata") {
		t.Errorf("origin without package %+v", misc)
	}
	refs := map[string]bool{}
	for _, c := range *bom.Components {
		for _, o := range *c.Evidence.Occurrences {
			if refs[o.BOMRef] {
				t.Errorf("bom-ref %q used twice", o.BOMRef)
			}
			refs[o.BOMRef] = true
		}
	}
	deps := *bom.Dependencies
	if deps[0].Ref != "project" || len(*deps[0].Dependencies) != 4 {
		t.Errorf("dependencies %+v", deps)
	}

	// An RFC 4122 version 5 UUID, as the schema asks.
	if uuid := strings.TrimPrefix(bom.SerialNumber, "urn:uuid:"); len(uuid) != 36 || uuid[14] != '5' || !strings.ContainsRune("89ab", rune(uuid[19])) {
		t.Errorf("serial number %q is not a version 5 UUID", bom.SerialNumber)
	}
	// A license newer than the schema's own list of SPDX IDs stays valid:
	// licenses are expressions, never enumerated IDs.
	recent := sbomDoc()
	for i := range recent.Files {
		for j := range recent.Files[i].Matches {
			recent.Files[i].Matches[j].Source.License = []string{"Boehm-GC", "BSD-2-Clause-Darwin"}[j%2]
		}
	}
	decodeCDX(t, schema, render(t, "cyclonedx-json", recent, sbomOptions(sbomFiles())))

	// The empty report is valid too, and the serial number follows the
	// content and the clock.
	decodeCDX(t, schema, render(t, "cyclonedx-json", build(nil, nil), sbomOptions(nil)))
	if again := render(t, "cyclonedx-json", sbomDoc(), sbomOptions(sbomFiles())); !bytes.Equal(again, data) {
		t.Errorf("two renderings with one clock differ")
	}
	later := sbomOptions(sbomFiles())
	later.Now = func() time.Time { return clock.Add(time.Hour) }
	if other := decodeCDX(t, schema, render(t, "cyclonedx-json", sbomDoc(), later)); other.SerialNumber == bom.SerialNumber {
		t.Errorf("serial number %s did not change with the creation time", bom.SerialNumber)
	}
}

// TestCycloneDXRejectsInvalid makes sure the validation above can fail.
func TestCycloneDXRejectsInvalid(t *testing.T) {
	t.Parallel()
	data := render(t, "cyclonedx-json", sbomDoc(), sbomOptions(sbomFiles()))
	bad := bytes.Replace(data, []byte(`"type": "library"`), []byte(`"type": "spaceship"`), 1)
	res, err := cdxSchema(t).Validate(gojsonschema.NewBytesLoader(bad))
	if err != nil || res.Valid() {
		t.Errorf("a component of type spaceship passed the schema (err %v)", err)
	}
}
