// Command spdxgen compiles the license index that package
// license/spdxindex embeds. It fetches the pinned npm package
// spdx-license-list (the SPDX License List with its texts) with npm pack,
// checks the tarball against its pinned integrity, and adds the license
// patterns of github.com/google/licensecheck and the license texts and
// headers of github.com/google/licenseclassifier/v2's assets (read from
// the module cache with go mod download). The index holds hashed words,
// IDs, names and metadata, never readable text, and the same inputs give
// the same bytes.
//
//	go run ./internal/spdxgen -o license/spdxindex/index.bin
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/github/go-spdx/v2/spdxexp/spdxlicenses"
	"github.com/google/licensecheck"

	"github.com/snipscan/snipscan/license/spdxindex"
)

// Pinned inputs.
const (
	listPackage   = "spdx-license-list@6.12.0"
	listIntegrity = "sha512-+nUYqm3aZMSHbjsthK+i/HHI2okTElCvqwUd4k8QcSk+FTGgjq+fsdFj2wZOaX6XmR2JdWhf/NeflNnvKOjcnQ=="
	classifierMod = "github.com/google/licenseclassifier/v2@v2.0.0"
	checkMod      = "github.com/google/licensecheck@v0.3.1" // the version go.mod requires
)

func main() {
	out := flag.String("o", "index.bin", "write the index to `file`")
	flag.Parse()
	if err := run(*out); err != nil {
		log.Fatalf("spdxgen: %v", err)
	}
}

func run(out string) error {
	list, err := fetchList()
	if err != nil {
		return err
	}
	texts := spdxTexts(list)
	texts = append(texts, checkTexts(list)...)
	lc, err := classifierTexts(list)
	if err != nil {
		return err
	}
	texts = append(texts, lc...)
	x := &spdxindex.Index{
		Version: listPackage + " " + checkMod + " " + classifierMod,
		Entries: merge(texts, list),
	}
	b := spdxindex.Encode(x)
	if err := os.WriteFile(out, b, 0o644); err != nil {
		return fmt.Errorf("write index: %w", err)
	}
	log.Printf("spdxgen: %d texts, %d entries, %d bytes to %s", len(texts), len(x.Entries), len(b), out)
	return nil
}

// listLicense is one license of spdx-full.json.
type listLicense struct {
	Name        string `json:"name"`
	URL         string `json:"url"`
	OSIApproved bool   `json:"osiApproved"`
	LicenseText string `json:"licenseText"`
}

// fetchList packs the pinned spdx-license-list with npm into a temporary
// directory, verifies its integrity and returns spdx-full.json.
func fetchList() (map[string]listLicense, error) {
	dir, err := os.MkdirTemp("", "spdxgen")
	if err != nil {
		return nil, fmt.Errorf("temp dir: %w", err)
	}
	defer os.RemoveAll(dir)
	cmd := exec.Command("npm", "pack", "--silent", "--pack-destination", dir, listPackage)
	cmd.Stderr = os.Stderr
	name, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("npm pack %s: %w", listPackage, err)
	}
	fields := strings.Fields(string(name))
	if len(fields) == 0 {
		return nil, fmt.Errorf("npm pack %s wrote no file name", listPackage)
	}
	tgz, err := os.ReadFile(filepath.Join(dir, fields[len(fields)-1]))
	if err != nil {
		return nil, fmt.Errorf("read tarball: %w", err)
	}
	if err := checkIntegrity(tgz, listIntegrity); err != nil {
		return nil, err
	}
	raw, err := readTarFile(tgz, "package/spdx-full.json")
	if err != nil {
		return nil, err
	}
	var list map[string]listLicense
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("parse spdx-full.json: %w", err)
	}
	return list, nil
}

// checkIntegrity compares data with an npm integrity string (sha512).
func checkIntegrity(data []byte, want string) error {
	sum := sha512.Sum512(data)
	got := "sha512-" + base64.StdEncoding.EncodeToString(sum[:])
	if got != want {
		return fmt.Errorf("integrity mismatch for %s: got %s, want %s", listPackage, got, want)
	}
	return nil
}

// readTarFile returns the file name of a gzipped tarball.
func readTarFile(tgz []byte, name string) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s not in tarball", name)
		}
		if err != nil {
			return nil, fmt.Errorf("read tarball: %w", err)
		}
		if h.Name == name {
			b, err := io.ReadAll(tr)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", name, err)
			}
			return b, nil
		}
	}
}

// text is one license text before merging.
type text struct {
	id, source string
	kind       spdxindex.Kind
	words      []spdxindex.Word
}

func spdxTexts(list map[string]listLicense) []text {
	var out []text
	for id, l := range list {
		out = append(out, text{id: textID(id, list), source: "spdx", kind: spdxindex.KindText, words: spdxindex.Prepare([]byte(l.LicenseText))})
	}
	return out
}

// textID returns the ID of a license's full text: a text cannot grant
// later versions, so the text of "GPL-2.0-or-later" or "GPL-2.0+" is that
// of "GPL-2.0-only" when the list has that ID.
func textID(id string, list map[string]listLicense) string {
	base, ok := strings.CutSuffix(id, "-or-later")
	if !ok {
		base, ok = strings.CutSuffix(id, "+")
	}
	if ok {
		if _, has := list[base+"-only"]; has {
			return base + "-only"
		}
	}
	return id
}

// checkTexts converts licensecheck's license patterns to words: the
// first alternative of each choice, optional phrases optional, and
// wildcards slots. Patterns of a URL alone are skipped.
func checkTexts(list map[string]listLicense) []text {
	var out []text
	for _, l := range licensecheck.BuiltinLicenses() {
		if l.LRE == "" {
			continue
		}
		plain, optional := lrePlain(l.LRE)
		ws := spdxindex.PrepareOptional([]byte(plain), optional)
		kind := spdxindex.KindText
		if isNoticeID(l.ID) || isNoticePattern(ws, l.ID, list) {
			kind = spdxindex.KindHeader
		}
		out = append(out, text{id: textID(l.ID, list), source: "licensecheck", kind: kind, words: ws})
	}
	return out
}

// isNoticeID reports whether a licensecheck ID names the notice that
// applies a license rather than its text ("GPL-2.0-or-later",
// "GPL-2.0-or-3.0").
func isNoticeID(id string) bool {
	return strings.HasSuffix(id, "-only") || strings.HasSuffix(id, "-or-later") || strings.Contains(id, "-or-")
}

// isNoticePattern reports whether a licensecheck pattern of a license in
// the SPDX list requires less than half the words of the list's text: a
// pattern of its notice (licensecheck's MPL-2.0, Apache-2.0), not of its
// text.
func isNoticePattern(ws []spdxindex.Word, id string, list map[string]listLicense) bool {
	l, ok := list[id]
	return ok && 2*required(ws) < required(spdxindex.Prepare([]byte(l.LicenseText)))
}

// classifierTexts reads licenseclassifier's assets/License (texts) and
// assets/Header (headers) from the module cache. Its scenarios are never
// read.
func classifierTexts(list map[string]listLicense) ([]text, error) {
	dir, err := moduleDir(classifierMod)
	if err != nil {
		return nil, err
	}
	var out []text
	for _, part := range []struct {
		sub  string
		kind spdxindex.Kind
	}{{"License", spdxindex.KindText}, {"Header", spdxindex.KindHeader}} {
		root := filepath.Join(dir, "assets", part.sub)
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".txt") {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return fmt.Errorf("read %s: %w", p, err)
			}
			id := textID(filepath.Base(filepath.Dir(p)), list)
			out = append(out, text{id: id, source: "licenseclassifier", kind: part.kind, words: spdxindex.Prepare(b)})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read %s assets: %w", classifierMod, err)
		}
	}
	return out, nil
}

// moduleDir returns the module cache directory of mod, downloading it.
func moduleDir(mod string) (string, error) {
	cmd := exec.Command("go", "mod", "download", "-json", mod)
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go mod download %s: %w", mod, err)
	}
	var m struct{ Dir, Error string }
	if err := json.Unmarshal(b, &m); err != nil || m.Dir == "" {
		return "", fmt.Errorf("go mod download %s: %v %s", mod, err, m.Error)
	}
	return m.Dir, nil
}

// merge groups texts with identical words (and kind) into one entry of
// all their IDs, the preferred first, and names them from the SPDX list.
func merge(texts []text, list map[string]listLicense) []spdxindex.Entry {
	type group struct {
		ids     []string
		sources []string
		t       text
	}
	groups := map[string]*group{}
	var keys []string
	for _, t := range texts {
		if required(t.words) < 3 {
			continue
		}
		k := wordsKey(t.kind, t.words)
		g := groups[k]
		if g == nil {
			g = &group{t: t}
			groups[k] = g
			keys = append(keys, k)
		}
		if !slices.Contains(g.ids, t.id) {
			g.ids = append(g.ids, t.id)
		}
		if !slices.Contains(g.sources, t.source) {
			g.sources = append(g.sources, t.source)
		}
	}
	sort.Strings(keys)
	out := make([]spdxindex.Entry, 0, len(keys))
	for _, k := range keys {
		g := groups[k]
		slices.SortFunc(g.ids, spdxindex.PreferID)
		sort.Strings(g.sources)
		id := g.ids[0]
		e := spdxindex.Entry{IDs: g.ids, Name: id, Source: strings.Join(g.sources, ","), Kind: g.t.kind, Words: g.t.words}
		if l, ok := lookup(list, g.ids); ok {
			e.Name, e.OSI = l.Name, l.OSIApproved
		}
		e.Deprecated, _ = spdxlicenses.IsDeprecatedLicense(id)
		out = append(out, e)
	}
	return out
}

// lookup returns the SPDX list's license of the first of ids it has.
func lookup(list map[string]listLicense, ids []string) (listLicense, bool) {
	for _, id := range ids {
		if l, ok := list[id]; ok {
			return l, true
		}
	}
	return listLicense{}, false
}

func required(ws []spdxindex.Word) int {
	n := 0
	for _, w := range ws {
		if !w.Slot && !w.Optional {
			n++
		}
	}
	return n
}

func wordsKey(k spdxindex.Kind, ws []spdxindex.Word) string {
	var b strings.Builder
	b.WriteByte(byte(k))
	for _, w := range ws {
		fmt.Fprintf(&b, "%08x%v%v", w.Hash, w.Slot, w.Optional)
	}
	return b.String()
}
