package report

import (
	"encoding/json"
	"fmt"
	"io"
)

// JSON writes doc as indented JSON (the contract of --format json).
func JSON(w io.Writer, doc *Document) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("report: json: %w", err)
	}
	return nil
}
