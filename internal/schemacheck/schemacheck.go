// Package schemacheck validates snipscan's CycloneDX output against the
// official JSON schema, for tests. The schema is read from the
// cyclonedx-go module in the module cache (it ships the schemas), never
// copied into the repository nor fetched from the network: the SPDX and
// JSF schemas the BOM schema refers to by URL are loaded from the same
// directory.
package schemacheck

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/xeipuuv/gojsonschema"
)

// CycloneDX16 compiles the CycloneDX 1.6 JSON schema.
func CycloneDX16() (*gojsonschema.Schema, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/CycloneDX/cyclonedx-go").Output()
	if err != nil {
		return nil, fmt.Errorf("schemacheck: locating cyclonedx-go in the module cache: %w", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "schema")
	file := func(name string) gojsonschema.JSONLoader {
		return gojsonschema.NewReferenceLoader("file://" + filepath.ToSlash(filepath.Join(dir, name)))
	}
	sl := gojsonschema.NewSchemaLoader()
	for _, s := range []struct{ url, name string }{
		{"http://cyclonedx.org/schema/spdx.schema.json", "spdx.schema.json"},
		{"http://cyclonedx.org/schema/jsf-0.82.schema.json", "jsf-0.82.schemax.json"},
	} {
		if err := sl.AddSchema(s.url, file(s.name)); err != nil {
			return nil, fmt.Errorf("schemacheck: %s: %w", s.name, err)
		}
	}
	schema, err := sl.Compile(file("bom-1.6.schema.json"))
	if err != nil {
		return nil, fmt.Errorf("schemacheck: CycloneDX 1.6 schema: %w", err)
	}
	return schema, nil
}

// Validate checks a JSON document against schema and returns every
// violation, joined, or nil.
func Validate(schema *gojsonschema.Schema, data []byte) error {
	res, err := schema.Validate(gojsonschema.NewBytesLoader(data))
	if err != nil {
		return fmt.Errorf("schemacheck: %w", err)
	}
	var errs []error
	for _, e := range res.Errors() {
		errs = append(errs, errors.New(e.String()))
	}
	return errors.Join(errs...)
}
