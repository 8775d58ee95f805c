// Package corpustest builds the fixtures of the corpus stores' tests from
// real code: files of GOROOT's sources, fingerprinted as the indexer
// fingerprints them.
package corpustest

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/fingerprint"
)

// Source is a Go file of GOROOT's sources, fingerprinted with the
// default parameters.
type Source struct {
	Rel  string // slash path below GOROOT/src
	Data []byte
	Res  *fingerprint.File
}

// Sources reads and fingerprints the files rels of GOROOT/src. It skips
// t where GOROOT's sources are not installed.
func Sources(t testing.TB, rels ...string) []Source {
	t.Helper()
	fp, err := fingerprint.New(fingerprint.Params{}.WithDefaults())
	if err != nil {
		t.Fatal(err)
	}
	var out []Source
	for _, rel := range rels {
		data, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", filepath.FromSlash(rel)))
		if err != nil {
			t.Skipf("GOROOT sources not available: %v", err)
		}
		res := fp.File(fingerprint.Go, data)
		out = append(out, Source{Rel: rel, Data: data, Res: &fingerprint.File{Lines: res.Lines, Tokens: res.Tokens,
			NormHash: res.NormHash, Fingerprints: slices.Clone(res.Fingerprints)}})
	}
	return out
}

// Record returns the file record of the source's content under id.
func (s Source) Record(id uint32) corpus.FileRecord {
	return corpus.FileRecord{ID: id, Sum: corpus.Sum(s.Data), Size: int64(len(s.Data)), Lines: s.Res.Lines,
		Tokens: len(s.Res.Tokens), Lang: fingerprint.Go, NormHash: s.Res.NormHash}
}
